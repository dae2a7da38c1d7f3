// Removal causes of a plan diff, in words for people (the same words as src-core/diff/README.md).
import type { RemovalCause } from '../../src-main/api/contract';

export const CAUSE_TEXT: Readonly<Record<RemovalCause, string>> = {
  'block-deleted': 'the block was deleted from the store',
  duplicate: 'a near-duplicate of a block that was taken',
  'replaced-by-summary': 'a summary covering it was taken instead',
  'pair-incomplete': 'its tool call or result could not come with it',
  'budget-shrank': 'the input budget or its section’s share shrank',
  displaced: 'another block took its place',
  'score-fell': 'its score fell below what was taken',
  'dependency-dropped': 'the block that brought it in was dropped',
  'body-corrupt': 'its stored bytes no longer match their hash',
};

/** A signed token count: +12, −3, 0. */
export function signed(n: number): string {
  const rounded = Math.round(n);
  return rounded > 0 ? `+${rounded}` : rounded < 0 ? `−${Math.abs(rounded)}` : '0';
}
