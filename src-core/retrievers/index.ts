// The public surface of the retrievers module: retrievers, the catalog and indexes they read, embedders.
export type {
  RetrievalQuery,
  ScoredId,
  RetrievalContext,
  Retriever,
  RetrieverRole,
} from './retriever';
export { Catalog } from './catalog';
export type { CatalogPool } from './catalog';
export { compareScored } from './rank';
export { recencyRetriever } from './recency';
export type { RecencyOptions } from './recency';
export { lexicalRetriever } from './lexical';
export type { LexicalOptions } from './lexical';
export { bm25Retriever } from './bm25';
export type { Bm25Options } from './bm25';
export { annRetriever } from './ann';
export type { AnnOptions } from './ann';
export { pinnedRetriever } from './pinned';
export type { PinnedOptions } from './pinned';
export { sessionRetriever, DEFAULT_SESSION_KINDS } from './session-kinds';
export type { SessionOptions } from './session-kinds';
export { loadCustomRetriever } from './custom';
export type { CustomRetrieverModule, LoadCustomOptions } from './custom';
export { buildRetrievers, embedderFor, indexesFor, DEFAULT_RETRIEVERS } from './build';
export type { RetrieverDeps, BuiltRetriever } from './build';
export {
  featureHashingEmbedder,
  httpEmbedder,
  embedderFromSpec,
  hashVector,
  isTermEmbedder,
} from './embedders';
export type {
  Embedder,
  TermEmbedder,
  FeatureHashingOptions,
  HttpEmbedderOptions,
  EmbedderOptions,
} from './embedders';
export { embedCached } from './embedding-cache';
export type { EmbedItem } from './embedding-cache';
export { IndexSet, TextFamily, VectorFamily } from './index-set';
export type { IndexStats } from './index-set';
export type { FamilyStats, IndexFamily } from './index-family';
export { textTerms, termIds, STOP_WORDS } from './text-terms';
export { DEFAULT_PRUNING } from './text-search';
export type { Bm25Params, QueryPruning } from './text-search';
