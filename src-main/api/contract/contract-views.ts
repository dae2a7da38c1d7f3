// The contract's wire types: the JSON shapes of method results (see ./index.ts for why they are
// written out rather than derived from src-core). The feature contracts share them.
import type {
  BlockKind,
  Section,
  FillSection,
  EdgeKind,
  SelectReason,
  OmitReason,
  RetrieverRole,
  FusionMode,
} from './contract-atoms';

export interface StoreInfo {
  /** The store's id: what `stores.open` and the page's `?store=` name it by. */
  readonly id: string;
  /** Absolute path of the open store directory. */
  readonly path: string;
  readonly formatVersion: number;
  readonly runtimeVersion: string;
  readonly blocks: number;
  readonly sessions: number;
  /** Size of the store's data file in bytes. */
  readonly sizeBytes: number;
  /** Sequence number of the newest change; see `store.changes`. */
  readonly changeSeq: number;
  readonly readOnly: boolean;
}

export interface StoreChanges {
  /** Sequence number of the newest change; it grows whenever any process writes to the store. */
  readonly seq: number;
  /** The id of the open store: it changes when the inspector switches stores (a bundle, `stores.open`). */
  readonly store: string;
}

export interface SessionSummary {
  readonly session: string;
  readonly blocks: number;
  /** Blocks per kind (kinds with none are left out). */
  readonly kinds: Readonly<Partial<Record<BlockKind, number>>>;
  /** Creation time (ms) of the session's first and last blocks, or null when it has none. */
  readonly firstAt: number | null;
  readonly lastAt: number | null;
}

/** A block's metadata plus a short preview of its text; what lists show. */
export interface BlockSummary {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly createdAt: number;
  /** Body size in bytes. */
  readonly size: number;
  readonly priority: number;
  readonly sessions: readonly string[];
  readonly labels: readonly string[];
  /** The first characters of the text, on one line (binary bodies: a placeholder). */
  readonly preview: string;
  readonly binary: boolean;
}

export interface BlockPage {
  /** Position of the first item in the filtered list. */
  readonly offset: number;
  readonly items: readonly BlockSummary[];
  /** Blocks matching the filters in all pages. */
  readonly total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export interface ToolCallView {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface BlockDetail extends BlockSummary {
  readonly hash: string;
  readonly source: string | null;
  readonly toolCalls: readonly ToolCallView[];
  readonly toolCallId: string | null;
  /** The body as text; a binary body is a placeholder naming its size and hash, never raw bytes. */
  readonly text: string;
  /** True when `text` was cut at {@link BLOCK_TEXT_LIMIT} characters. */
  readonly truncated: boolean;
  /** Token counts of the rendered line per tokenizer (those computed so far, and the default model's). */
  readonly tokens: Readonly<Record<string, number>>;
}

/** An edge with a summary of the block at its other end. */
export interface EdgeView {
  readonly from: string;
  readonly kind: EdgeKind;
  readonly to: string;
  readonly other: {
    readonly id: string;
    readonly kind: BlockKind;
    readonly preview: string;
  } | null;
}

export interface BlockWithEdges {
  readonly block: BlockDetail;
  /** Edges leaving the block. */
  readonly out: readonly EdgeView[];
  /** Edges entering the block. */
  readonly in: readonly EdgeView[];
}

export interface ModelView {
  readonly name: string;
  readonly provider: 'openai' | 'anthropic' | 'custom';
  readonly maxContextTokens: number;
  readonly reservedOutputTokens: number;
  readonly safetyMarginTokens: number;
  /** maxContextTokens - reservedOutputTokens - safetyMarginTokens. */
  readonly inputBudget: number;
  readonly tokenizer: string;
  /** False when counts approximate the provider's tokenizer: every count shown says "approximate". */
  readonly tokenizerExact: boolean;
  readonly supportsSystemRole: boolean;
}

export interface ModelList {
  readonly models: readonly ModelView[];
  readonly defaultModel: string;
}

export interface RetrieverScoreView {
  readonly raw: number;
  /** Normalised to [0, 1] within this retriever's results for the call. */
  readonly normalized: number;
  /** 1-based rank within this retriever's results. */
  readonly rank: number;
  /**
   * Its term in the fused score (`PlanView.fusion`): weight x normalised, or 0 when the retriever
   * was flat. Null in trace records made before plans showed their terms.
   */
  readonly contribution: number | null;
}

export interface SelectedView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  /** Tokens it adds to the prompt: its line with its label and tool-call lines, or its chat message with framing. */
  readonly tokens: number;
  /** A tool call or result: tokens of its whole tool group (call and results travel together); null otherwise or in older records. */
  readonly pairTokens?: number | null | undefined;
  readonly score: number;
  readonly reason: SelectReason;
  readonly retrievers: Readonly<Record<string, RetrieverScoreView>>;
  readonly via: string | null;
  readonly placement: 'conversation' | 'text';
  readonly caller: string | null;
}

export interface OmittedView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly reason: OmitReason;
  readonly score: number;
  readonly tokensNeeded: number;
  readonly tokensLeft: number;
  readonly displacedBy: string | null;
  readonly retrievers: Readonly<Record<string, RetrieverScoreView>>;
}

export interface SectionView {
  readonly section: Section;
  readonly allocated: number;
  readonly used: number;
  readonly overhead: number;
  readonly spillReceived: number;
  /** Where the spill came from (section -> tokens); null when none or in older records. */
  readonly spillFrom?: Readonly<Partial<Record<Section, number>>> | null | undefined;
  /** Tokens its allocation paid, with tool partners and dependencies rendered elsewhere and its header; null in older records. */
  readonly charged?: number | null | undefined;
}

export interface RetrieverRunView {
  readonly name: string;
  readonly weight: number;
  readonly candidates: number;
  readonly ms: number;
  /** How fusion read its scores; null (like `top` and `flat`) in trace records made before plans showed it. */
  readonly role: RetrieverRole | null;
  /** Its largest raw score: normalised = raw / top. */
  readonly top: number | null;
  /** True when it scored the whole pool (nearly) alike and so added nothing. */
  readonly flat: boolean | null;
}

/** How a plan's fused scores were made. */
export interface FusionView {
  readonly mode: FusionMode;
  /** The formula in words, with its constants. */
  readonly formula: string;
  /** A candidate's `score` = fused + priorityWeight x its block's priority. */
  readonly priorityWeight: number;
  /** In `relevance` fusion, the share of the relevance term a recency score of 1 adds ({@link RECENCY_BOOST}). */
  readonly recencyBoost: number;
}

export interface PlanView {
  readonly session: string;
  readonly task: string;
  readonly now: number;
  readonly model: ModelView;
  readonly budget: {
    readonly input: number;
    readonly used: number;
    readonly overhead: number;
    readonly slack: number;
  };
  /**
   * The rendering `budget.used` counts exactly (string, chat, openai, anthropic); null for a plan
   * recorded before plans had a rendering, whose `used` is an upper bound on string and chat.
   */
  readonly rendering?: 'string' | 'chat' | 'openai' | 'anthropic' | null | undefined;
  readonly sections: readonly SectionView[];
  readonly selected: readonly SelectedView[];
  readonly omitted: readonly OmittedView[];
  readonly retrievers: readonly RetrieverRunView[];
  /** Null in trace records made before plans showed how the fused score was made. */
  readonly fusion: FusionView | null;
  readonly timings: Readonly<Record<string, number>>;
  readonly watermark: string | null;
}

/** Which block a span of rendered text comes from. */
export interface SpanView {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  /** Chat only: index of the message whose content the offsets point into. */
  readonly message: number | null;
}

export interface PromptView {
  readonly text: string;
  readonly tokens: number;
  readonly promptHash: string;
  readonly spans: readonly SpanView[];
}

export interface ChatMessageView {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly toolCalls: readonly ToolCallView[];
  readonly toolCallId: string | null;
}

export interface ChatView {
  readonly messages: readonly ChatMessageView[];
  readonly cacheBoundary: number | null;
  readonly tokens: number;
  readonly promptHash: string;
  readonly spans: readonly SpanView[];
}

/** The policy a page call ran with, after overrides. */
export interface PolicyView {
  readonly sectionBudgets: Readonly<Record<FillSection, number>>;
  readonly weights: Readonly<Record<string, number>>;
  readonly switches: PageSwitches;
}

export interface PageSwitches {
  readonly includeDependencies: boolean;
  readonly summarySubstitution: boolean;
  readonly spill: boolean;
  readonly redundancyThreshold: number;
  readonly priorityWeight: number;
  readonly includeTimestamps: boolean;
}

/** What the candidate lists show of a block besides the plan: a preview line, its time and priority. */
export interface CandidateBlockView {
  readonly preview: string;
  readonly createdAt: number;
  /** The block's priority in [0, 1]; the plan's score adds `fusion.priorityWeight` x it. */
  readonly priority: number;
}

export interface PageResult {
  readonly plan: PlanView;
  readonly prompt: PromptView;
  readonly chat: ChatView;
  /** A preview line, creation time and priority for every candidate (selected or omitted) that still exists. */
  readonly blocks: Readonly<Record<string, CandidateBlockView>>;
  readonly policy: PolicyView;
  /** Wall time of the call in main (ms): paging plus both renderings. */
  readonly ms: number;
}

/** One recorded model call (a trace record), as lists show it. */
export interface TurnSummary {
  readonly callId: string;
  readonly session: string;
  /** The call's time (ms). */
  readonly createdAt: number;
  /** Model profile name and its input budget (after any budget override). */
  readonly model: string;
  readonly inputBudget: number;
  /** Tokens of the rendered prompt, and the plan's overhead among them. */
  readonly tokens: number;
  readonly overhead: number;
  readonly selected: number;
  readonly omitted: number;
  /** The task, on one line, cut to the preview length. */
  readonly task: string;
  readonly mode: 'string' | 'chat' | 'openai' | 'anthropic';
  readonly promptHash: string;
  /** True once the model's output was recorded. */
  readonly hasOutput: boolean;
}

/** A block selected in the after plan but not in the before plan. */
export interface AddedView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly tokens: number;
  readonly reason: SelectReason;
  readonly score: number;
}

export type RemovalCause =
  | 'block-deleted'
  | 'duplicate'
  | 'replaced-by-summary'
  | 'pair-incomplete'
  | 'budget-shrank'
  | 'displaced'
  | 'score-fell'
  | 'dependency-dropped'
  | 'body-corrupt';

/** A block selected before but not after, with why. */
export interface RemovedView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly tokens: number;
  readonly cause: RemovalCause;
  readonly displacedBy: string | null;
  readonly omitReason: OmitReason | null;
  readonly scoreBefore: number;
  readonly scoreAfter: number | null;
  /** One sentence for people. */
  readonly detail: string;
}

export interface PlacementView {
  readonly section: Section;
  readonly reason: SelectReason;
  readonly tokens: number;
}

/** A block selected in both plans with another reason or section. */
export interface ChangedView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly before: PlacementView;
  readonly after: PlacementView;
}

export interface SectionDeltaView {
  readonly section: Section;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

export interface RetrieverChangeView {
  readonly id: string;
  readonly retriever: string;
  readonly before: RetrieverScoreView | null;
  readonly after: RetrieverScoreView | null;
}

/** What changed from plan `before` to plan `after` (src-core diffPlans). */
export interface PlanDiffView {
  /** `+A -R ~C (+T tokens)`. */
  readonly summary: string;
  readonly added: readonly AddedView[];
  readonly removed: readonly RemovedView[];
  readonly changed: readonly ChangedView[];
  readonly tokenDelta: number;
  readonly budget: { readonly before: number; readonly after: number };
  readonly sections: readonly SectionDeltaView[];
  readonly retrievers: readonly RetrieverChangeView[];
}
