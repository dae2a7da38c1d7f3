import { parseBlockId, type BlockId } from '../base/index';
import type { CatalogPool } from './catalog';
import { effectiveLimit } from './rank';
import type { Retriever, ScoredId } from './retriever';

/** Settings of {@link pinnedRetriever}. */
export interface PinnedOptions {
  /** Name in plans; default `pinned`. */
  readonly name?: string | undefined;
  /** Blocks always offered (when in the pool). */
  readonly ids?: readonly string[] | undefined;
  /** Blocks carrying this label are offered too; default `pinned`. Empty string: none. */
  readonly label?: string | undefined;
  /** Most candidates; default: the query's limit. */
  readonly limit?: number | undefined;
}

const labelled = new WeakMap<CatalogPool, Map<string, BlockId[]>>();

/**
 * Pinned blocks: the listed ids and the blocks labelled `pinned`, restricted to the pool, raw
 * score 1, newest first. The labelled set is computed once per pool state.
 */
export function pinnedRetriever(options: PinnedOptions = {}): Retriever {
  const listed = (options.ids ?? []).map((id) => parseBlockId(id));
  const label = options.label ?? 'pinned';
  return {
    name: options.name ?? 'pinned',
    async retrieve(query, { catalog }) {
      catalog.sync();
      const pool = catalog.pool(query.sessions);
      const ids = new Set<BlockId>(listed.filter((id) => pool.has(id)));
      if (label !== '') for (const id of withLabel(pool, label)) ids.add(id);
      const out: ScoredId[] = [...ids].sort((a, b) => (a < b ? 1 : -1)).map((id) => ({ id, score: 1 }));
      return out.slice(0, effectiveLimit(query.limit, options.limit));
    },
  };
}

function withLabel(pool: CatalogPool, label: string): BlockId[] {
  let byLabel = labelled.get(pool);
  if (byLabel === undefined) labelled.set(pool, (byLabel = new Map()));
  let ids = byLabel.get(label);
  if (ids === undefined) {
    ids = [];
    for (let i = 0; i < pool.ids.length; i++) if (pool.records[i]?.labels.includes(label)) ids.push(pool.ids[i] as BlockId);
    byLabel.set(label, ids);
  }
  return ids;
}
