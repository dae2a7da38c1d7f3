import type { BlockId, Section } from '../base/index';
import type { ModelProfile, PagerConfig, SectionBudgets } from '../config/index';
import type { Retriever } from '../retrievers/index';
import type { Rendering } from './plan';

/** A retriever in the stack with its weight and candidate limit. */
export interface WeightedRetriever {
  readonly retriever: Retriever;
  readonly weight: number;
  readonly limit?: number | undefined;
}

/** What to page. */
export interface PageRequest {
  readonly session: string;
  readonly task: string;
  readonly model: ModelProfile;
  /** Overrides the model's input budget. */
  readonly budget?: number | undefined;
  /** Blocks that must be in the plan (or the call fails with `budget-exceeded`). */
  readonly required?: readonly string[] | undefined;
  /** The call's time; default: the clock. */
  readonly now?: number | undefined;
  /**
   * Replay and what-if of a call recorded before write sequences: page the store as it was at
   * this block-id watermark (newer blocks do not exist). Ignored when `asOfSeq` is given.
   */
  readonly asOf?: BlockId | null | undefined;
  /** Replay and what-if: page the store as it was after this write (see `snapshot.ts`). */
  readonly asOfSeq?: number | undefined;
  /**
   * The prompt the plan is for (default `string`): under `exact` accounting its `used` is that
   * rendering's exact token count. Ignored under `bound` accounting.
   */
  readonly rendering?: Rendering | undefined;
}

/** How to page: the retriever stack, section fractions and switches. */
export interface PagePolicy {
  readonly retrievers: readonly WeightedRetriever[];
  readonly sectionBudgets: SectionBudgets;
  readonly pager: PagerConfig;
  readonly includeTimestamps: boolean;
  /** Candidates asked of each retriever without its own limit; default 1000. */
  readonly retrieverLimit?: number | undefined;
  /** Sections the chat rendering sends first, in the system message; default system, background. */
  readonly stableSections?: readonly Section[] | undefined;
}
