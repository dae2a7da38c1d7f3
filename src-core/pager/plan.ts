import type { BlockId, BlockKind, Section } from '../base/index';
import type { ModelProfile } from '../config/index';

/** Why a block was selected. */
export type SelectReason = 'required' | 'pinned' | 'relevance' | 'recency' | 'dependency' | 'tool-pair' | 'summary-substitute' | 'system';

/** Why a candidate was left out. */
export type OmitReason = 'section-budget' | 'global-budget' | 'duplicate' | 'pair-incomplete' | 'replaced-by-summary' | 'low-score' | 'body-corrupt';

/** One retriever's view of a candidate. */
export interface RetrieverScore {
  readonly raw: number;
  /** Raw score normalised to [0, 1] within this retriever's results for this call. */
  readonly normalized: number;
  /** 1-based rank within this retriever's results. */
  readonly rank: number;
  /**
   * Its term in the fused score: weight x normalised, or 0 when the retriever was flat (see the
   * plan's `fusion.formula`). Absent in plans recorded before fusion showed its terms.
   */
  readonly contribution?: number | undefined;
}

/** A block the plan takes. */
export interface SelectedBlock {
  readonly id: BlockId;
  readonly kind: BlockKind;
  readonly hash: string;
  readonly section: Section;
  /** Exact tokens this block adds to the rendered prompt (its line plus any label). */
  readonly tokens: number;
  /** Final score: the fused score (`fusion.formula`) plus `priorityWeight` x priority. */
  readonly score: number;
  readonly reason: SelectReason;
  /** Retriever name -> its scores for this block (empty for blocks that came in as dependencies). */
  readonly retrievers: Readonly<Record<string, RetrieverScore>>;
  /** For `dependency`, `tool-pair` and `summary-substitute`: the block that pulled this one in. */
  readonly via?: BlockId | undefined;
  /**
   * `conversation`: part of the contiguous recent conversation (chat: its own message; tool
   * results right after their calling assistant message). `text`: rendered as text in its section.
   */
  readonly placement: 'conversation' | 'text';
  /** For a tool result: the assistant message that called it. */
  readonly caller?: BlockId | undefined;
}

/** A candidate the plan leaves out. */
export interface OmittedBlock {
  readonly id: BlockId;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly reason: OmitReason;
  readonly score: number;
  /** Tokens it would have needed (with the blocks it must travel with). */
  readonly tokensNeeded: number;
  /** Tokens left in its section (or globally, for `global-budget`) at the moment it was tried. */
  readonly tokensLeft: number;
  /** The block that took the last place it could have had, or the duplicate/summary that replaced it. */
  readonly displacedBy?: BlockId | undefined;
  readonly retrievers: Readonly<Record<string, RetrieverScore>>;
}

/** Budget accounting of one section. */
export interface SectionPlan {
  readonly section: Section;
  /** Tokens allocated by the section fractions (System/Task: what they were charged). */
  readonly allocated: number;
  /** Tokens used by the blocks selected into this section (their lines and labels). */
  readonly used: number;
  /** Rendering overhead charged to this section (its header). */
  readonly overhead: number;
  /** Tokens received from other sections' unused budget (with `spill`). */
  readonly spillReceived: number;
}

/** One retriever's run. */
export interface RetrieverRun {
  readonly name: string;
  readonly weight: number;
  readonly candidates: number;
  readonly ms: number;
  /** How fusion read its scores (absent in plans recorded before fusion showed its terms). */
  readonly role?: 'relevance' | 'recency' | 'inclusion' | undefined;
  /** Its largest raw score: normalised = raw / top. */
  readonly top?: number | undefined;
  /** True when it scored the whole pool (nearly) alike and so added nothing. */
  readonly flat?: boolean | undefined;
}

/** How the fused score was made. */
export interface FusionSummary {
  readonly mode: 'relevance' | 'max';
  /** The formula in words, with its constants. */
  readonly formula: string;
  /** The plan's `score` = fused + `priorityWeight` x priority. */
  readonly priorityWeight: number;
}

/** What the pager decided, and why, for one call. Deterministic for a store snapshot, request and policy. */
export interface Plan {
  readonly session: string;
  readonly task: string;
  /** The call's time (ms); the packer's "Current time" line uses it. */
  readonly now: number;
  readonly model: ModelProfile;
  readonly budget: {
    /** The input budget the plan had to fit. */
    readonly input: number;
    /**
     * Tokens charged: an upper bound on both the string and the chat rendering, each of which the
     * packer counts exactly. Never more than `input`.
     */
    readonly used: number;
    /** Global rendering overhead (task framing, chat priming) included in `used`. */
    readonly overhead: number;
    /** Budget never filled: the Slack fraction plus what no section could use. */
    readonly slack: number;
  };
  readonly sections: readonly SectionPlan[];
  /** Selected blocks in rendering order: by section, then as the packer renders them. */
  readonly selected: readonly SelectedBlock[];
  readonly omitted: readonly OmittedBlock[];
  readonly retrievers: readonly RetrieverRun[];
  /** Things a caller should know about this call, in words (e.g. the session holds no blocks). */
  readonly warnings?: readonly string[] | undefined;
  /** How the fused score was made (absent in plans recorded before it was shown). */
  readonly fusion?: FusionSummary | undefined;
  /** Milliseconds per stage: one entry per retriever (`retrieve:NAME`), then merge, allocate, fill, plan (building the decision records) and total. */
  readonly timings: Readonly<Record<string, number>>;
  /** The newest block id visible to the call. */
  readonly watermark: BlockId | null;
}
