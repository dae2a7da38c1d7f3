import { effectiveLimit } from './rank';
import type { Retriever } from './retriever';
import { lexicalSearch } from './text-search';
import { hasTerms, textUnits } from './text-units';

/** Settings of {@link lexicalRetriever}. */
export interface LexicalOptions {
  /** Name in plans; default `lexical`. */
  readonly name?: string | undefined;
  /** Most candidates; default: the query's limit. */
  readonly limit?: number | undefined;
}

/**
 * Term overlap: the fraction of the task's distinct terms (stop-words removed) that a block
 * contains, read from the same persisted inverted indexes as `bm25`.
 */
export function lexicalRetriever(options: LexicalOptions = {}): Retriever {
  return {
    name: options.name ?? 'lexical',
    async retrieve(query, { store }) {
      const limit = effectiveLimit(query.limit, options.limit);
      if (limit === 0 || !hasTerms(store, query.task)) return [];
      const { units, terms } = await textUnits(store, query);
      return lexicalSearch(units, terms, limit);
    },
  };
}
