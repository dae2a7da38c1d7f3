import type {
  BlockId,
  BlockKind,
  FusionMode,
  OmitReason,
  SelectReason,
  Section,
} from '../base/index';
import type { ModelProfile } from '../config/index';
import type { BlockRecord } from '../store/index';

/**
 * The prompt a plan is made for: a string, a chat message list, or a provider request (OpenAI
 * Chat Completions, Anthropic Messages; both are counted as the chat message list they are made
 * from). The plan's `budget.used` is exactly the packed prompt's token count.
 */
export type Rendering = 'string' | 'chat' | 'openai' | 'anthropic';

// Why a block was selected or left out: the vocabulary's reasons (../base/vocabulary.ts).
export type { SelectReason, OmitReason } from '../base/index';

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
  /**
   * Exact tokens this block adds to the plan's rendering: its line with its label and tool-call
   * lines, or, sent as a chat message, with its message framing (`bound` plans: the larger of the
   * string and chat renderings).
   */
  readonly tokens: number;
  /**
   * For a tool call or tool result: tokens of the whole tool group (the call and all its results),
   * which travel together. Absent for other blocks and in plans recorded before it was shown.
   */
  readonly pairTokens?: number | undefined;
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
  /** Tokens of the blocks rendered in this section (the sum of their `tokens`). */
  readonly used: number;
  /** Its rendering overhead: its header when it has blocks (and any join between its blocks). */
  readonly overhead: number;
  /** Tokens it took beyond its allocation from other sections' unused budget (with `spill`). */
  readonly spillReceived: number;
  /** Where `spillReceived` came from: the sections whose allocation went unused, tokens each. */
  readonly spillFrom?: Readonly<Partial<Record<Section, number>>> | undefined;
  /**
   * Tokens charged to this section's allocation while filling: what it took, including tool
   * partners and dependencies rendered in other sections, and its header. At most `allocated +
   * spillReceived`. Absent in plans recorded before it was shown.
   */
  readonly charged?: number | undefined;
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
  readonly mode: FusionMode;
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
     * Exactly the token count of the prompt the plan packs into for its `rendering` (`bound`
     * plans: an upper bound on both the string and the chat rendering). Never more than `input`.
     */
    readonly used: number;
    /** Rendering overhead not in a section: the task, chat message framing and reply priming. */
    readonly overhead: number;
    /** `input - used`: the Slack fraction plus what no section could use. */
    readonly slack: number;
  };
  /**
   * The rendering `used` counts. Absent: a plan charged under `bound` accounting (trace records
   * made before plans had a rendering), which fits both the string and the chat rendering.
   */
  readonly rendering?: Rendering | undefined;
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
  /**
   * The write sequence the call saw the store up to: replay and what-if page at it. Absent in
   * plans recorded before write sequences (their `watermark` block id stands in).
   */
  readonly watermarkSeq?: number | undefined;
}

/**
 * The records of a plan's selected blocks as the pager read them, kept on the plan object it
 * returned under a symbol: not part of the plan's data (not enumerable, never serialised, gone
 * from a copy), so the packer of that same object reads them instead of looking every selected
 * block up in the catalog again (about 1,700 lookups in 100k-entry maps per 128k-token call).
 */
const PLAN_RECORDS: unique symbol = Symbol('llm386.plan-records');

/** Looks up a selected block's record by id. */
export interface PlannedRecords {
  get(id: BlockId): BlockRecord | undefined;
}

/** Attaches the selected blocks' records to the plan object the pager is about to return. */
export function attachRecords(plan: Plan, records: PlannedRecords): Plan {
  Object.defineProperty(plan, PLAN_RECORDS, { value: records, enumerable: false });
  return plan;
}

/** The records {@link attachRecords} kept on this very plan object, if it is one the pager made. */
export function plannedRecords(plan: Plan): PlannedRecords | undefined {
  return (plan as { [PLAN_RECORDS]?: PlannedRecords })[PLAN_RECORDS];
}
