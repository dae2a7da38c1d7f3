// The one typed contract between the renderer and main: a method map (`noun.verb`, one object
// argument), an input schema per method, and the result type of each. Handlers
// (../handlers/index.ts), the IPC registration (../ipc.ts), the preload bridge, the web transport
// and the renderer client all derive from it; this folder imports none of them.
//
// Where this departs from "result types derived from src-core": the renderer type-checks this file
// (it imports it with `import type`) under a tsconfig without Node types, and any import from
// src-core, even type-only, makes tsc check all of src-core (node:fs, Buffer, ...) there. So the
// wire types below are written out as plain JSON shapes, with no import from src-core, and the
// handlers (../handlers/index.ts) map src-core values onto them field by field: a change in
// src-core that breaks a wire type is a compile error in the handlers. The vocabulary is the exception: its module,
// src-core/base/vocabulary.ts, imports nothing, and ./contract-atoms.ts re-exports it.
import { z } from 'zod';
import { BLOCK_KINDS, SECTIONS, blockId, session, empty, pageOverrides } from './contract-atoms';
import { TURN_INPUTS, type TurnOutputs } from './contract-turns';
import type {
  StoreInfo,
  StoreChanges,
  SessionSummary,
  BlockPage,
  BlockWithEdges,
  ModelList,
  PageResult,
} from './contract-views';
export type {
  TurnDetail,
  TurnPrompt,
  BlockTurnView,
  BlockTurns,
  OmittedColumns,
  ScoreColumnCell,
  CallFactsView,
  CallCostView,
  TurnMatchView,
  UserTurnView,
  SessionTurnsView,
} from './contract-turns';
import { COMPARE_INPUTS, type CompareOutputs } from './contract-compare';
import { WHATIF_INPUTS, type WhatIfOutputs } from './contract-whatif';
import { GRAPH_INPUTS, type GraphOutputs } from './contract-graph';
import { VERIFY_INPUTS, type VerifyOutputs } from './contract-verify';
import { STORES_INPUTS, type StoresOutputs } from './contract-stores';
import { ASOF_INPUTS, type AsOfOutputs } from './contract-asof';
export type {
  AsOfStoreView,
  AsOfTurnView,
  AsOfSessionView,
  AsOfBlockView,
  AsOfBlockPage,
  BetweenView,
  AddedWriteView,
  WrittenBlockView,
} from './contract-asof';
export type { StoreRef, StoresView, StoreOrigin } from './contract-stores';
export type {
  GraphNodeView,
  GraphEdgeView,
  GraphResult,
  GraphRole,
  TurnBundleView,
  BundleImportResult,
} from './contract-graph';
export type { VerifyView, VerifyProblemView } from './contract-verify';

// ---------------------------------------------------------------------------------------------
// Vocabulary and schema atoms live in ./contract-atoms.ts (the feature contracts share them).

export {
  BLOCK_KINDS,
  SECTIONS,
  FILL_SECTIONS,
  EDGE_KINDS,
  RETRIEVER_ROLES,
  FUSION_MODES,
  RECENCY_BOOST,
  BLOCK_TEXT_LIMIT,
  PREVIEW_LENGTH,
} from './contract-atoms';
export type {
  BlockKind,
  Section,
  FillSection,
  EdgeKind,
  SelectReason,
  OmitReason,
  RetrieverRole,
  FusionMode,
} from './contract-atoms';
export type {
  TurnComparison,
  DiffBlockView,
  PromptInfoView,
  RenderedPromptView,
} from './contract-compare';
export type {
  WhatIfView,
  WhatIfDetail,
  WhatIfOverridesInput,
  PlanSplitView,
  ReplayView,
  DivergenceView,
} from './contract-whatif';

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
export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

// ---------------------------------------------------------------------------------------------
// Wire types live in ./contract-views.ts (the feature contracts share them).

export type {
  StoreInfo,
  StoreChanges,
  SessionSummary,
  BlockSummary,
  BlockPage,
  ToolCallView,
  BlockDetail,
  EdgeView,
  BlockWithEdges,
  ModelView,
  ModelList,
  RetrieverScoreView,
  SelectedView,
  OmittedView,
  SectionView,
  RetrieverRunView,
  FusionView,
  PlanView,
  SpanView,
  PromptView,
  ChatMessageView,
  ChatView,
  PolicyView,
  PageSwitches,
  CandidateBlockView,
  PageResult,
  TurnSummary,
  AddedView,
  RemovalCause,
  RemovedView,
  PlacementView,
  ChangedView,
  SectionDeltaView,
  RetrieverChangeView,
  PlanDiffView,
} from './contract-views';

// ---------------------------------------------------------------------------------------------
// Input schemas.

/** One zod schema per method, for its single object argument. */
export const API_INPUTS = {
  'store.info': empty,
  'store.changes': empty,
  'sessions.list': empty,
  'blocks.list': z
    .strictObject({
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
    })
    .refine(
      (v) => v.cursor === undefined || v.offset === undefined,
      'pass either cursor or offset, not both',
    ),
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
export interface ApiOutputs
  extends
    TurnOutputs,
    CompareOutputs,
    WhatIfOutputs,
    GraphOutputs,
    VerifyOutputs,
    StoresOutputs,
    AsOfOutputs {
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
export type Api = {
  readonly [K in ApiMethod]: (input: ApiInput<K>) => Promise<ApiResult<ApiOutput<K>>>;
};

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

// The schemas and the result types name exactly the same methods (the preload checks its list).
/** True when two types are the same. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatch: Same<keyof typeof API_INPUTS, ApiMethod> = true;
void schemasMatch;
