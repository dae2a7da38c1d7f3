import { parseBlockKind, type BlockId, type BlockKind } from '../base/index';

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

/** Per pool and kind set: matching ids, oldest first, found in the first `length` entries. */
const BY_KINDS = { name: 'session-kinds' };

/** Every block of the given kinds in the pool, raw score 1, newest first. */
export function sessionRetriever(options: SessionOptions = {}): Retriever {
  const kinds = [
    ...new Set((options.kinds ?? DEFAULT_SESSION_KINDS).map((k) => parseBlockKind(k))),
  ].sort();
  const key = kinds.join(',');
  const wanted = new Set<string>(kinds);
  return {
    name: options.name ?? 'session',
    role: 'inclusion',
    async retrieve(query, { catalog }) {
      catalog.sync();
      const pool = catalog.pool(query.sessions);
      const cache = catalog.poolData(
        pool,
        BY_KINDS,
        () => new Map<string, { ids: BlockId[]; length: number }>(),
      );
      let found = cache.get(key);
      if (found === undefined) cache.set(key, (found = { ids: [], length: 0 }));
      // Extend over blocks appended since (the pool object changes on any other change).
      for (let i = found.length; i < pool.ids.length; i++)
        if (wanted.has(pool.records[i]?.kind ?? '')) found.ids.push(pool.ids[i] as BlockId);
      found.length = pool.ids.length;
      const limit = effectiveLimit(query.limit, options.limit);
      const ids: BlockId[] = [];
      for (let i = found.ids.length - 1; i >= 0 && ids.length < limit; i--) {
        const id = found.ids[i] as BlockId;
        if (query.visible === undefined || query.visible(id)) ids.push(id);
      }
      return ids.map((id) => ({ id, score: 1 }));
    },
  };
}
