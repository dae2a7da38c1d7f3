export { lookupSet } from './lookup';
export { Llm386Error, isLlm386Error, assert } from './errors';
export type { ErrorCode } from './errors';
export { systemClock, fixedClock } from './clock';
export type { Clock } from './clock';
export { sha256Hex, decodeUtf8, encodeUtf8 } from './hash';
export {
  isBlockId,
  parseBlockId,
  idTime,
  minIdAt,
  maxIdAt,
  randomIdSource,
  seededIdSource,
} from './ids';
export type { BlockId, IdSource } from './ids';
export {
  BLOCK_KINDS,
  SECTIONS,
  FILL_SECTIONS,
  SECTION_TITLES,
  KIND_SECTION,
  EDGE_KINDS,
  SELECT_REASONS,
  OMIT_REASONS,
  RETRIEVER_ROLES,
  FUSION_MODES,
} from './vocabulary';
export type {
  BlockKind,
  Section,
  FillSection,
  EdgeKind,
  SelectReason,
  OmitReason,
  RetrieverRole,
  FusionMode,
} from './vocabulary';
export {
  KNOWLEDGE_KINDS,
  isKnowledgeKind,
  parseBlockKind,
  parseEdgeKind,
  parseSession,
  parsePriority,
} from './vocabulary-checks';
export type { SessionName } from './vocabulary-checks';
export { RUNTIME_VERSION } from './version';
export { parseTimestamp } from './time';
export { injectFault, isStorageFull } from './faults';
