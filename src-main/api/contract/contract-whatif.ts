// Contract methods of the What-if and replay of a turn. Merged into API_INPUTS and ApiOutputs by
// ./index.ts; the handlers live in ../handlers/handlers-whatif.ts.
import { z } from 'zod';
import { blockId, pageOverrides } from './contract-atoms';
import type { DiffBlockView } from './contract-compare';
import type {
  CandidateBlockView,
  ChatView,
  ModelView,
  PlanDiffView,
  PlanView,
  PolicyView,
  PromptView,
  RetrieverRunView,
  SectionView,
  TurnSummary,
} from './contract-views';
import type { OmittedColumns } from './contract-turns';

const { switches, ...otherOverrides } = pageOverrides;

/** What a what-if may change: model, input budget, section fractions, retriever weights, pager switches. */
export const whatIfOverrides = z.strictObject({
  ...otherOverrides,
  // includeTimestamps is a packer setting the recording fixes; a what-if re-pages only.
  switches: switches.unwrap().omit({ includeTimestamps: true }).optional(),
});

/** Overrides as a caller passes them. */
export type WhatIfOverridesInput = z.input<typeof whatIfOverrides>;

/** One zod schema per method of this feature. */
export const WHATIF_INPUTS = {
  /** Re-pages a recorded turn with overrides at its watermark; no model is called. */
  'whatif.run': z.strictObject({ callId: blockId, overrides: whatIfOverrides.default({}) }),
  /**
   * The same what-if's candidates and prompt, for the candidates table, why / why not and the
   * prompt view: asked for after `whatif.run` (whose answer stays small), and answered from it
   * when the store has not changed since.
   */
  'whatif.detail': z.strictObject({ callId: blockId, overrides: whatIfOverrides.default({}) }),
  /** Re-runs a recorded turn exactly: identical bytes, or where it diverged. */
  'whatif.replay': z.strictObject({ callId: blockId }),
} as const satisfies Record<string, z.ZodType>;

/**
 * A plan's budget split without its candidate lists (the diff names the blocks that matter): at
 * 100k blocks the lists are megabytes that a what-if would send on every change.
 */
export interface PlanSplitView {
  readonly model: ModelView;
  readonly budget: PlanView['budget'];
  /** The rendering `budget.used` counts exactly; null for a plan recorded before plans had one (see {@link PlanView.rendering}). */
  readonly rendering: 'string' | 'chat' | 'openai' | 'anthropic' | null;
  readonly sections: readonly SectionView[];
  readonly retrievers: readonly RetrieverRunView[];
  readonly timings: Readonly<Record<string, number>>;
  /** How many blocks were selected and omitted. */
  readonly selected: number;
  readonly omitted: number;
}

/** A what-if's outcome: the new plan and its diff against the recording. */
export interface WhatIfView {
  readonly turn: TurnSummary;
  /** The recorded plan (before) and the re-paged one (after). */
  readonly recorded: PlanSplitView;
  readonly plan: PlanSplitView;
  /** The recorded policy, and the policy the what-if ran with (after overrides). */
  readonly recordedPolicy: PolicyView;
  readonly policy: PolicyView;
  readonly diff: PlanDiffView;
  /** Every block id the diff names, with a preview. */
  readonly blocks: Readonly<Record<string, DiffBlockView>>;
  readonly tokens: number;
  readonly promptHash: string;
  /** True when the re-paged prompt has the recording's hash. */
  readonly sameAsRecording: boolean;
  /** The recorded retriever stack (name and kind), for a config file that reproduces the what-if. */
  readonly retrievers: readonly { readonly name: string; readonly kind: string }[];
  /** Wall time of the call in main (ms). */
  readonly ms: number;
}

/** A what-if's plan with its candidates, and its prompt in both renderings. */
export interface WhatIfDetail {
  /** The re-paged plan; its `omitted` list is empty and comes as {@link omitted} columns. */
  readonly plan: PlanView;
  /** The omitted candidates as column arrays (see {@link OmittedColumns}), previews included. */
  readonly omitted: OmittedColumns;
  /** Previews of the selected candidates. */
  readonly blocks: Readonly<Record<string, CandidateBlockView>>;
  /** The rendering the recording sent, which the what-if's prompt hash is of. */
  readonly mode: TurnSummary['mode'];
  readonly prompt: PromptView;
  readonly chat: ChatView;
  readonly promptHash: string;
  readonly ms: number;
}

/** Where a replay first differed from its recording. */
export interface DivergenceView {
  /** `store` (recorded blocks are gone), `retrieve:NAME`, `fill` (another selection), `pack` (same selection, other bytes) or `page`. */
  readonly stage: string;
  readonly blockId: string | null;
  readonly detail: string;
}

/** The outcome of replaying a recorded turn. */
export interface ReplayView {
  readonly callId: string;
  readonly identical: boolean;
  readonly recordedHash: string;
  readonly replayedHash: string | null;
  /** Blocks the recording selected that no longer exist. */
  readonly missing: readonly string[];
  readonly divergence: DivergenceView | null;
  readonly diff: PlanDiffView | null;
  readonly blocks: Readonly<Record<string, DiffBlockView>>;
  readonly ms: number;
}

/** The result type of each method of this feature. */
export interface WhatIfOutputs {
  'whatif.run': WhatIfView;
  'whatif.detail': WhatIfDetail;
  'whatif.replay': ReplayView;
}
