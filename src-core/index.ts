// The public surface of the LLM386 runtime library: everything a Node agent or the inspector uses.
export {
  Llm386Error,
  isLlm386Error,
  assert,
  systemClock,
  fixedClock,
  sha256Hex,
  decodeUtf8,
  encodeUtf8,
  isBlockId,
  parseBlockId,
  idTime,
  randomIdSource,
  seededIdSource,
  BLOCK_KINDS,
  KNOWLEDGE_KINDS,
  SECTIONS,
  KIND_SECTION,
  EDGE_KINDS,
  isKnowledgeKind,
  parseBlockKind,
  parseEdgeKind,
  parseSession,
  parsePriority,
  RUNTIME_VERSION,
} from './base/index';
export type {
  ErrorCode,
  Clock,
  BlockId,
  IdSource,
  BlockKind,
  Section,
  EdgeKind,
  SessionName,
} from './base/index';
export {
  parseConfig,
  loadConfigFile,
  DEFAULT_CONFIG,
  DEFAULT_SECTION_BUDGETS,
  BUILTIN_PROFILES,
  DEFAULT_MODEL,
  findProfile,
  allProfiles,
  inputBudget,
  profilePrices,
  MAX_BUDGET_TOKENS,
} from './config/index';
export type {
  Config,
  SectionBudgets,
  RetrieverConfig,
  PagerConfig,
  ModelPrices,
  ModelProfile,
} from './config/index';
export {
  getTokenizer,
  isTokenizerId,
  TOKENIZER_IDS,
  TOKENIZER_VERSION,
  warmTokenizer,
} from './tokenizer/index';
export type { Tokenizer, TokenizerId } from './tokenizer/index';
export {
  Store,
  STORE_FORMAT_VERSION,
  STORE_FILE,
  verifyStore,
  repairStore,
  bodyText,
  blockLine,
} from './store/index';
export type {
  StoreOptions,
  VerifyReport,
  RepairReport,
  Block,
  BlockRecord,
  PutInput,
  PutResult,
  ListOptions,
  Edge,
  Problem,
  ToolCall,
} from './store/index';
export { Runtime, openRuntime } from './runtime';
export { neighbourhood, dependencies } from './graph/index';
export type { Neighbourhood } from './graph/index';
export type { RuntimeOptions, TurnRequest } from './runtime';
export { page, pageChecked, mergeScores, FILL_SECTIONS, SPILL_ORDER } from './pager/index';
export type {
  Plan,
  PageRequest,
  PagePolicy,
  WeightedRetriever,
  SelectedBlock,
  OmittedBlock,
  SectionPlan,
  RetrieverRun,
  RetrieverScore,
  SelectReason,
  OmitReason,
} from './pager/index';
export {
  packString,
  packChat,
  storeSource,
  canonicalJson,
  toOpenAiRequest,
  toAnthropicRequest,
} from './packer/index';
export type {
  PackOptions,
  ChatMessage,
  Span,
  PackedPrompt,
  PackedChat,
  BlockSource,
  OpenAiChatRequest,
  AnthropicRequest,
} from './packer/index';
export {
  Catalog,
  buildRetrievers,
  DEFAULT_RETRIEVERS,
  featureHashingEmbedder,
  httpEmbedder,
  loadCustomRetriever,
} from './retrievers/index';
export type {
  Retriever,
  RetrievalQuery,
  RetrievalContext,
  ScoredId,
  Embedder,
} from './retrievers/index';
export {
  runCall,
  tracedCall,
  recordedPolicy,
  livePolicy,
  applyOverrides,
  replay,
  whatIf,
  getTrace,
  listTraces,
  listTraceSummaries,
  getTraceSummary,
  traceSummary,
  recordOutput,
  tracePrompt,
  TRACE_FORMAT_VERSION,
} from './tracer/index';
export type {
  TraceRecord,
  TraceSummary,
  OutputSummary,
  RecordedPolicy,
  PackMode,
  Usage,
  CallRequest,
  CallResult,
  WhatIfOverrides,
  ReplayReport,
  Divergence,
  WhatIfResult,
} from './tracer/index';
export {
  exportTurnBundle,
  importTurnBundle,
  parseTurnBundle,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
} from './tracer/index';
export type { TurnBundle, BundleImport, BundleBlock, BundleBytes } from './tracer/index';
export {
  asOfTrace,
  edgesAt,
  existedAt,
  sessionBlocksAt,
  sessionsAt,
  writtenBetween,
} from './tracer/index';
export type { AsOf, WrittenBetween } from './tracer/index';
export { CallSpans, turnLink, webTurnLink } from './tracer/index';
export type { TelemetryOptions, GoneBlock } from './tracer/index';
export {
  identity,
  appendOutput,
  jsonEvents,
  reducerByName,
  reducerId,
  commitReduction,
  REDUCER_NAMES,
} from './reducer/index';
export type { Reducer, ReduceInput, Reduction, ReductionEdge, ReducerName } from './reducer/index';
export { diffPlans, diffText } from './diff/index';
export type { PlanDiff, RemovalCause, TextDiff } from './diff/index';
