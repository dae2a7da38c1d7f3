import { effectiveLimit } from './rank';
import type { Retriever } from './retriever';
import { DEFAULT_PRUNING, bm25Search, type QueryPruning } from './text-search';
import { hasTerms, textUnits } from './text-units';

/** Settings of {@link bm25Retriever}. */
export interface Bm25Options {
  /** Name in plans; default `bm25`. */
  readonly name?: string | undefined;
  /** Term-frequency saturation; default 1.2. */
  readonly k1?: number | undefined;
  /** Length normalisation; default 0.75. */
  readonly b?: number | undefined;
  /** Most candidates; default: the query's limit. */
  readonly limit?: number | undefined;
  /** Query pruning for long tasks and common terms; default {@link DEFAULT_PRUNING}. */
  readonly pruning?: Partial<QueryPruning> | undefined;
}

/**
 * BM25 relevance of blocks to the task, with minisearch's tokenizer and BM25+ scoring (see
 * `bm25Search`) over the store's persisted per-session inverted indexes. Long tasks are pruned to
 * their rarest terms, so a 30-word task costs about what a 5-word one does.
 */
export function bm25Retriever(options: Bm25Options = {}): Retriever {
  const params = { k1: options.k1 ?? 1.2, b: options.b ?? 0.75, d: 0.5 };
  const pruning = { ...DEFAULT_PRUNING, ...options.pruning };
  return {
    name: options.name ?? 'bm25',
    async retrieve(query, { store }) {
      const limit = effectiveLimit(query.limit, options.limit);
      if (limit === 0 || !hasTerms(store, query.task)) return [];
      const { units, terms } = await textUnits(store, query);
      return bm25Search(units, terms, limit, params, pruning);
    },
  };
}
