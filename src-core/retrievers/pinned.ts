import { parseBlockId, type BlockId } from '../base/index';
import type { Catalog, CatalogPool } from './catalog';
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

/** Per pool and label: the labelled ids found in the first `length` entries. */
const LABELLED = { name: 'pinned-labelled' };

/**
 * Pinned blocks: the listed ids and the blocks labelled `pinned`, restricted to the pool, raw
 * score 1, newest first. The labelled blocks are found once per pool and extended as blocks are
 * appended.
 */
export function pinnedRetriever(options: PinnedOptions = {}): Retriever {
  const listed = (options.ids ?? []).map((id) => parseBlockId(id));
  const label = options.label ?? 'pinned';
  return {
    name: options.name ?? 'pinned',
    role: 'inclusion',
    async retrieve(query, { catalog }) {
      catalog.sync();
      const pool = catalog.pool(query.sessions);
      const visible = query.visible ?? (() => true);
      const ids = new Set<BlockId>(listed.filter((id) => pool.has(id) && visible(id)));
      if (label !== '')
        for (const id of withLabel(catalog, pool, label)) if (visible(id)) ids.add(id);
      const out: ScoredId[] = [...ids]
        .sort((a, b) => (a < b ? 1 : -1))
        .map((id) => ({ id, score: 1 }));
      return out.slice(0, effectiveLimit(query.limit, options.limit));
    },
  };
}

function withLabel(catalog: Catalog, pool: CatalogPool, label: string): readonly BlockId[] {
  const byLabel = catalog.poolData(
    pool,
    LABELLED,
    () => new Map<string, { ids: BlockId[]; length: number }>(),
  );
  let found = byLabel.get(label);
  if (found === undefined) byLabel.set(label, (found = { ids: [], length: 0 }));
  // Extend over blocks appended since (the pool object changes on any other change).
  for (let i = found.length; i < pool.ids.length; i++)
    if (pool.records[i]?.labels.includes(label)) found.ids.push(pool.ids[i] as BlockId);
  found.length = pool.ids.length;
  return found.ids;
}
