// The one typed contract between the renderer and main: a method map (`noun.verb`, one object
// argument), an input schema per method, and the result type of each. Handlers (./handlers.ts),
// the IPC registration (./ipc.ts), the preload bridge, the web transport and the renderer client
// all derive from it.
//
// Where this departs from "result types derived from src-core": the renderer type-checks this file
// (it imports it with `import type`) under a tsconfig without Node types, and any import from
// src-core, even type-only, makes tsc check all of src-core (node:fs, Buffer, ...) there. So the
// wire types below are written out as plain JSON shapes, with no import from src-core, and
// ./handlers.ts maps src-core values onto them field by field: a change in src-core that breaks
// a wire type is a compile error in the handlers. The vocabulary lists are copies of src-core's;
// handlers.test.ts keeps them equal.
import { z } from 'zod';
import { BLOCK_KINDS, SECTIONS, blockId, session, empty, pageOverrides, type BlockKind, type Section, type FillSection, type EdgeKind, type SelectReason, type OmitReason, type RetrieverRole, type FusionMode } from './contract-atoms';
import { TURN_INPUTS, type TurnOutputs } from './contract-turns';
export type { TurnDetail, TurnPrompt, BlockTurnView, BlockTurns, OmittedColumns, ScoreColumnCell, CallFactsView, CallCostView, TurnMatchView, UserTurnView, SessionTurnsView } from './contract-turns';
import { COMPARE_INPUTS, type CompareOutputs } from './contract-compare';
import { WHATIF_INPUTS, type WhatIfOutputs } from './contract-whatif';
import { GRAPH_INPUTS, type GraphOutputs } from './contract-graph';
import { VERIFY_INPUTS, type VerifyOutputs } from './contract-verify';
import { STORES_INPUTS, type StoresOutputs } from './contract-stores';
import { ASOF_INPUTS, type AsOfOutputs } from './contract-asof';
export type { AsOfStoreView, AsOfTurnView, AsOfSessionView, AsOfBlockView, AsOfBlockPage, BetweenView, AddedWriteView, WrittenBlockView } from './contract-asof';
export type { StoreRef, StoresView, StoreOrigin } from './contract-stores';
export type { GraphNodeView, GraphEdgeView, GraphResult, GraphRole, TurnBundleView, BundleImportResult } from './contract-graph';
export type { VerifyView, VerifyProblemView } from './contract-verify';
import type { PRELOAD_METHODS } from '../preload/index';

// ---------------------------------------------------------------------------------------------
// Vocabulary and schema atoms live in ./contract-atoms.ts (the feature contracts share them).

export { BLOCK_KINDS, SECTIONS, FILL_SECTIONS, EDGE_KINDS, RETRIEVER_ROLES, FUSION_MODES, RECENCY_BOOST, BLOCK_TEXT_LIMIT, PREVIEW_LENGTH } from './contract-atoms';
export type { BlockKind, Section, FillSection, EdgeKind, SelectReason, OmitReason, RetrieverRole, FusionMode } from './contract-atoms';
export type { TurnComparison, DiffBlockView, PromptInfoView, RenderedPromptView } from './contract-compare';
export type { WhatIfView, WhatIfDetail, WhatIfOverridesInput, PlanSplitView, ReplayView, DivergenceView } from './contract-whatif';

// ---------------------------------------------------------------------------------------------
// Results and errors.

/**
 * A failure as data. `code` is a src-core error code (`block-not-found`, `budget-exceeded`, ...)
 * or one of the transport's: `invalid-input` (the input failed its schema), `unknown-method`,
 * `untrusted-sender`, `no-store`, `internal` (a bug; the message says so).
 */
export interface ApiError {
  readonly code: string;
  readonly message: string;
}

/** What every method resolves to; expected failures never reject. */
export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

// ---------------------------------------------------------------------------------------------
// Wire types.

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
  readonly other: { readonly id: string; readonly kind: BlockKind; readonly preview: string } | null;
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
  readonly budget: { readonly input: number; readonly used: number; readonly overhead: number; readonly slack: number };
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

export type RemovalCause = 'block-deleted' | 'duplicate' | 'replaced-by-summary' | 'pair-incomplete' | 'budget-shrank' | 'displaced' | 'score-fell' | 'dependency-dropped' | 'body-corrupt';

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

// ---------------------------------------------------------------------------------------------
// Input schemas.

/** One zod schema per method, for its single object argument. */
export const API_INPUTS = {
  'store.info': empty,
  'store.changes': empty,
  'sessions.list': empty,
  'blocks.list': z.strictObject({
    session,
    kinds: z.array(z.enum(BLOCK_KINDS)).max(BLOCK_KINDS.length).optional(),
    /** Only blocks of these sections (the sections their kinds render in); with `kinds`, both must hold. */
    sections: z.array(z.enum(SECTIONS)).max(SECTIONS.length).optional(),
    /** Only blocks carrying this label (exact match). */
    label: z.string().min(1).max(200).optional(),
    /** Only blocks created at or after / at or before this time (ms since epoch). */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    /** Case-insensitive text search over the blocks' text. */
    search: z.string().max(500).optional(),
    /** The `nextCursor` of the previous page: pages stay stable while blocks are added. */
    cursor: blockId.optional(),
    /** Or a position in the filtered list, for random access (virtual lists); not with `cursor`. */
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
  }).refine((v) => v.cursor === undefined || v.offset === undefined, 'pass either cursor or offset, not both'),
  'blocks.get': z.strictObject({ id: blockId }),
  'models.list': empty,
  'plan.page': z.strictObject({
    session,
    task: z.string().max(100_000).default(''),
    ...pageOverrides,
    required: z.array(blockId).max(10_000).default([]),
    /** The call's time (ms); default now. */
    now: z.number().int().min(0).optional(),
  }),
  ...TURN_INPUTS,
  ...COMPARE_INPUTS,
  ...WHATIF_INPUTS,
  ...GRAPH_INPUTS,
  ...VERIFY_INPUTS,
  ...STORES_INPUTS,
  ...ASOF_INPUTS,
} as const satisfies Record<string, z.ZodType>;

/** The result type of each method (the feature contracts add theirs). */
export interface ApiOutputs extends TurnOutputs, CompareOutputs, WhatIfOutputs, GraphOutputs, VerifyOutputs, StoresOutputs, AsOfOutputs {
  'store.info': StoreInfo;
  'store.changes': StoreChanges;
  'sessions.list': { readonly sessions: readonly SessionSummary[] };
  'blocks.list': BlockPage;
  'blocks.get': BlockWithEdges;
  'models.list': ModelList;
  'plan.page': PageResult;
}

/** A method name. */
export type ApiMethod = keyof ApiOutputs;
/** What a caller passes (defaults may be left out). */
export type ApiInput<K extends ApiMethod> = z.input<(typeof API_INPUTS)[K]>;
/** What a handler receives: the input after its schema (defaults filled in). */
export type ApiParsedInput<K extends ApiMethod> = z.output<(typeof API_INPUTS)[K]>;
export type ApiOutput<K extends ApiMethod> = ApiOutputs[K];

/** The API as the renderer calls it: what window.llm386 and the web client both implement. */
export type Api = { readonly [K in ApiMethod]: (input: ApiInput<K>) => Promise<ApiResult<ApiOutput<K>>> };

/**
 * The request header that carries the web-mode token on every `POST /api/<method>`. A header, not
 * a cookie: browsers send a 127.0.0.1 cookie to every port, so any other local server the browser
 * visits would receive it. The page keeps the token in localStorage, which is per origin (port
 * included).
 */
export const WEB_TOKEN_HEADER = 'X-LLM386-Token';
/** {@link WEB_TOKEN_HEADER} as a type, for the renderer (which imports this file as types only). */
export type WebTokenHeader = typeof WEB_TOKEN_HEADER;

/** Every method name, in the contract's order. */
export const API_METHODS = Object.keys(API_INPUTS) as readonly ApiMethod[];

// The schemas, the result types and the preload's literal method list name exactly the same methods.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatch: Same<keyof typeof API_INPUTS, ApiMethod> = true;
const preloadMatches: Same<(typeof PRELOAD_METHODS)[number], ApiMethod> = true;
void [schemasMatch, preloadMatches];
