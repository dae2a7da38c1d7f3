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
} from './base/index';
export type { ErrorCode, Clock, BlockId, IdSource, BlockKind, Section, EdgeKind, SessionName } from './base/index';
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
} from './config/index';
export type { Config, SectionBudgets, RetrieverConfig, PagerConfig, ModelProfile } from './config/index';
export { getTokenizer, isTokenizerId, TOKENIZER_IDS, TOKENIZER_VERSION } from './tokenizer/index';
export type { Tokenizer, TokenizerId } from './tokenizer/index';
export { Store, STORE_FORMAT_VERSION, STORE_FILE, verifyStore, repairStore, bodyText, blockLine } from './store/index';
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
