import type { BlockId } from '../base/index';
import type { Catalog, CatalogPool } from './catalog';
import { TopK, compareScored, effectiveLimit } from './rank';
import type { Retriever, ScoredId } from './retriever';

/** Settings of {@link recencyRetriever}. */
export interface RecencyOptions {
  /** Name in plans; default `recency`. */
  readonly name?: string | undefined;
  /** Age at which the score halves, in seconds; default 3600. */
  readonly halfLifeSecs?: number | undefined;
  /** Most candidates, below the query's limit; default: the query's. */
  readonly limit?: number | undefined;
}

interface Times {
  createdAt: Float64Array;
  /** Entries of the pool covered so far. */
  length: number;
  /** True when creation times never decrease along the (id-ordered) pool: the usual case. */
  sorted: boolean;
}

/** Names the creation-time arrays in `Catalog.poolData`. */
const TIMES = { name: 'recency-times' };

/** Creation times of the pool as a typed array, extended in place as blocks are appended. */
function times(catalog: Catalog, pool: CatalogPool): Times {
  const t = catalog.poolData<Times>(pool, TIMES, () => ({
    createdAt: new Float64Array(Math.max(16, pool.ids.length)),
    length: 0,
    sorted: true,
  }));
  const n = pool.ids.length;
  if (t.length < n) {
    if (t.createdAt.length < n) {
      const grown = new Float64Array(n * 2);
      grown.set(t.createdAt.subarray(0, t.length));
      t.createdAt = grown;
    }
    for (let i = t.length; i < n; i++) {
      const c = pool.records[i]?.createdAt ?? 0;
      t.createdAt[i] = c;
      if (i > 0 && c < (t.createdAt[i - 1] as number)) t.sorted = false;
    }
    t.length = n;
  }
  return t;
}

/**
 * Exponential decay on age: score `0.5 ^ (age / halfLife)` with age = `now - createdAt` (never
 * negative, so a block from the future scores 1). Considers every block of the pool and returns
 * the newest `limit` by that score (ties: newer id first).
 *
 * Ids are minted in time order, so creation times almost always ascend with ids; then the newest
 * `limit` are simply the last ones (O(limit)). Otherwise (blocks put with an explicit older
 * `createdAt`) one pass over a typed array of times keeps the best.
 */
export function recencyRetriever(options: RecencyOptions = {}): Retriever {
  const halfLifeMs = (options.halfLifeSecs ?? 3600) * 1000;
  if (!(halfLifeMs > 0)) throw new RangeError('recency half-life must be positive');
  const score = (now: number, createdAt: number) =>
    Math.pow(0.5, Math.max(0, now - createdAt) / halfLifeMs);
  return {
    name: options.name ?? 'recency',
    role: 'recency',
    async retrieve(query, { catalog }) {
      catalog.sync();
      const pool = catalog.pool(query.sessions);
      const limit = effectiveLimit(query.limit, options.limit);
      const { createdAt, sorted } = times(catalog, pool);
      const n = pool.ids.length;
      const visible = query.visible;
      if (sorted) {
        const out: ScoredId[] = [];
        // Scores are monotone in createdAt, but blocks created after `now` all score 1: they tie,
        // and ties go to the newer id, which is the later one here too.
        for (let i = n - 1; i >= 0 && out.length < limit; i--) {
          const id = pool.ids[i] as BlockId;
          if (visible === undefined || visible(id))
            out.push({ id, score: score(query.now, createdAt[i] as number) });
        }
        return out;
      }
      // Rank by creation time (score is monotone in it), then score the kept ones.
      const top = new TopK(limit);
      for (let i = n - 1; i >= 0; i--) {
        const id = pool.ids[i] as BlockId;
        if (visible === undefined || visible(id))
          top.push(id, Math.min(createdAt[i] as number, query.now));
      }
      return top
        .result()
        .map(({ id, score: t }) => ({ id, score: score(query.now, t) }))
        .sort(compareScored);
    },
  };
}
