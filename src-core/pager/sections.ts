import { lookupSet, type FillSection } from '../base/index';

// The sections split by fractions are the vocabulary's (../base/vocabulary.ts).
export { FILL_SECTIONS } from '../base/index';
export type { FillSection } from '../base/index';
/** Order in which unused budget flows to sections that still have candidates waiting (`spill`). */
export const SPILL_ORDER: readonly FillSection[] = [
  'retrieved',
  'recent',
  'tools',
  'state',
  'plan',
  'background',
];
/** The seed's spill order, kept with `max` fusion (and so for traces recorded before `relevance`). */
export const SEED_SPILL_ORDER: readonly FillSection[] = [
  'recent',
  'retrieved',
  'tools',
  'state',
  'plan',
  'background',
];
/** Fill order of the first pass: the conversation window first, then the sections by their fractions. */
export const FIRST_PASS: readonly FillSection[] = [
  'recent',
  'state',
  'plan',
  'tools',
  'retrieved',
  'background',
];
/** Message kinds: the conversation window's blocks. */
export const MESSAGE_KINDS = lookupSet<string>(['user-message', 'assistant-message']);
