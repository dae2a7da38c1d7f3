export { Store, STORE_FORMAT_VERSION, STORE_FILE } from './store';
export type { StoreOptions, StoreSlot } from './store';
export type { Change } from './tables';
export { verifyStore, repairStore } from './check';
export type { VerifyReport, RepairReport } from './check';
export { bodyText, blockLine } from './block';
export { endsJoinable, lineShapeOf, STARTS_SLASH, ENDS_JOINABLE } from './line-shape';
export type {
  Block,
  BlockRecord,
  PutInput,
  PutResult,
  ListOptions,
  Edge,
  Problem,
  ToolCall,
} from './block';
export { salvageStore } from './salvage-store';
export type { SalvageReport } from './salvage-store';
export type {
  TraceLog,
  IndexTables,
  EmbeddingCache,
  SessionCall,
  SessionCallRange,
} from './module-tables';
