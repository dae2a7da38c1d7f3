// Contract methods of the Compare view: two turns diffed. Merged into API_INPUTS and
// ApiOutputs by ./index.ts; the handlers live in ../handlers/handlers-compare.ts.
import { z } from 'zod';
import { blockId } from './contract-atoms';
import type { PlanDiffView, TurnSummary } from './contract-views';

/** One zod schema per method of this feature. */
export const COMPARE_INPUTS = {
  /** Turn `b` against turn `a` (call ids); without `a`, against the turn before `b` in its session. */
  'compare.turns': z.strictObject({ a: blockId.optional(), b: blockId }),
  /** The rendered prompts of two turns in full, loaded on demand (they may be megabytes). */
  'compare.prompts': z.strictObject({ a: blockId, b: blockId }),
} as const satisfies Record<string, z.ZodType>;

/** A block named by a diff (added, removed, changed, or the one that took a removed block's place). */
export interface DiffBlockView {
  /** The first characters of its text, or null when the block no longer exists. */
  readonly preview: string | null;
  readonly exists: boolean;
}

/** Size and identity of one turn's rendered prompt, without its text. */
export interface PromptInfoView {
  readonly mode: TurnSummary['mode'];
  readonly promptHash: string;
  readonly tokens: number;
  /** Characters and lines of the readable rendering (see {@link RenderedPromptView}). */
  readonly chars: number;
  readonly lines: number;
}

/** What changed from turn `a` to turn `b`. */
export interface TurnComparison {
  /** The session of turn `b`. */
  readonly session: string;
  /** Null when `a` was left out and `b` is the first turn of its session. */
  readonly a: TurnSummary | null;
  readonly b: TurnSummary;
  /** Null when `a` is. */
  readonly diff: PlanDiffView | null;
  /** Every block id the diff names, with a preview. */
  readonly blocks: Readonly<Record<string, DiffBlockView>>;
  /**
   * For each added block that still exists: `new` when it was written after turn `a`'s watermark
   * (new to the store since `a`, e.g. made by `a`'s reducer from its output), `old` when it was in
   * the store at `a` and is newly selected. Empty when `a` is null.
   */
  readonly addedOrigin: Readonly<Record<string, 'new' | 'old'>>;
  readonly prompts: { readonly a: PromptInfoView | null; readonly b: PromptInfoView };
  /** Lines only in `a`'s and only in `b`'s readable prompt; null when `a` is. */
  readonly lines: { readonly removed: number; readonly added: number } | null;
  /** Wall time of the call in main (ms). */
  readonly ms: number;
}

/** One turn's rendered prompt in full, as people read it. */
export interface RenderedPromptView {
  readonly callId: string;
  readonly mode: TurnSummary['mode'];
  readonly promptHash: string;
  /** Tokens of the prompt as recorded. */
  readonly tokens: number;
  /**
   * The exact recorded text for string prompts. Chat and provider requests are recorded as
   * canonical JSON; they are shown one message per part (role header, content, tool calls), with
   * every byte of content kept.
   */
  readonly text: string;
}

/** The result type of each method of this feature. */
export interface CompareOutputs {
  'compare.turns': TurnComparison;
  'compare.prompts': { readonly a: RenderedPromptView; readonly b: RenderedPromptView };
}
