import { parseBlockKind, type BlockId, type BlockKind } from '../base/index';
import type { CatalogPool } from './catalog';
import { effectiveLimit } from './rank';
import type { Retriever } from './retriever';

/** Settings of {@link sessionRetriever}. */
export interface SessionOptions {
  /** Name in plans; default `session`. */
  readonly name?: string | undefined;
  /** Kinds offered; default `system`, `state`, `plan`. */
  readonly kinds?: readonly string[] | undefined;
  /** Most candidates; default: the query's limit. */
  readonly limit?: number | undefined;
}

/** Default kinds of {@link sessionRetriever}. */
export const DEFAULT_SESSION_KINDS: readonly BlockKind[] = ['system', 'state', 'plan'];

const byKinds = new WeakMap<CatalogPool, Map<string, BlockId[]>>();

/** Every block of the given kinds in the pool, raw score 1, newest first. */
export function sessionRetriever(options: SessionOptions = {}): Retriever {
  const kinds = [...new Set((options.kinds ?? DEFAULT_SESSION_KINDS).map((k) => parseBlockKind(k)))].sort();
  const key = kinds.join(',');
  return {
    name: options.name ?? 'session',
    async retrieve(query, { catalog }) {
      catalog.sync();
      const pool = catalog.pool(query.sessions);
      let cache = byKinds.get(pool);
      if (cache === undefined) byKinds.set(pool, (cache = new Map()));
      let ids = cache.get(key);
      if (ids === undefined) {
        const wanted = new Set<string>(kinds);
        ids = [];
        for (let i = pool.ids.length - 1; i >= 0; i--) if (wanted.has(pool.records[i]?.kind ?? '')) ids.push(pool.ids[i] as BlockId);
        cache.set(key, ids);
      }
      return ids.slice(0, effectiveLimit(query.limit, options.limit)).map((id) => ({ id, score: 1 }));
    },
  };
}
