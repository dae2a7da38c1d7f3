import type { BlockId } from '../base/index';
import type { Catalog } from '../retrievers/index';
import type { Store } from '../store/index';

/**
 * What one call sees of the store: everything (a live call), or the store as it was at a
 * recorded watermark (replay and what-if).
 *
 * A watermark is a write sequence (the change-log sequence number the call's catalog had caught
 * up to): a block is visible when it joined one of the pool's sessions at or before it, an edge
 * when it was added at or before it. Traces recorded before write sequences carry a block id
 * instead, and then a block is visible when its id is at or below it (what those calls saw,
 * unless blocks were backdated since).
 */
export interface Snapshot {
  /** True for a live call: every block and edge is visible and nothing is filtered. */
  readonly live: boolean;
  /**
   * True for the blocks of the pool the call could choose from; with `session`, those that were
   * in that session then.
   */
  readonly visible: (id: BlockId, session?: string) => boolean;
  /** The blocks in a session now that were not in it for the call (see `RetrievalQuery.hiddenIn`). */
  readonly hiddenIn: ((session: string) => ReadonlySet<BlockId>) | undefined;
  /** True for every block that existed for the call, in the pool or not (an edge's far end). */
  readonly existed: (id: BlockId) => boolean;
  /** Edges added after this write did not exist for the call (Infinity when every edge did). */
  readonly edgeSeq: number;
  /** How many of the pool's blocks the call can see. */
  readonly poolSize: number;
  /** The newest block id then (recorded for traces made before write sequences). */
  readonly watermark: BlockId | null;
  /** The write sequence the call sees up to: what its trace records and its replay pages at. */
  readonly watermarkSeq: number;
}

/** What {@link snapshotOf} reads of a page request. */
export interface SnapshotRequest {
  readonly asOf?: BlockId | null | undefined;
  readonly asOfSeq?: number | undefined;
}

/** The snapshot a page call sees; the catalog must have been synced. */
export function snapshotOf(
  store: Store,
  catalog: Catalog,
  sessions: readonly string[],
  request: SnapshotRequest,
): Snapshot {
  const pool = catalog.pool(sessions);
  if (request.asOfSeq !== undefined)
    return atSeq(catalog, sessions, request.asOfSeq, request.asOf ?? null);
  if (request.asOf !== undefined) {
    const asOf = request.asOf ?? '';
    return {
      live: false,
      visible: (id) => id <= asOf,
      existed: (id) => id <= asOf,
      hiddenIn: undefined,
      edgeSeq: Number.POSITIVE_INFINITY,
      poolSize: countAtOrBelow(pool.ids, asOf),
      watermark: request.asOf ?? null,
      watermarkSeq: catalog.changeSeq,
    };
  }
  return {
    live: true,
    visible: () => true,
    existed: () => true,
    hiddenIn: undefined,
    edgeSeq: Number.POSITIVE_INFINITY,
    poolSize: pool.ids.length,
    watermark: store.watermark() ?? null,
    watermarkSeq: catalog.changeSeq,
  };
}

function atSeq(
  catalog: Catalog,
  sessions: readonly string[],
  seq: number,
  watermark: BlockId | null,
): Snapshot {
  // Each session's loaded copies carry `joined`, the write that added the block there: a lookup
  // per question, nothing built up front.
  const names = [...new Set(sessions)];
  const inSession = (session: string, id: BlockId) =>
    (catalog.joinedIn(session, id) ?? Number.POSITIVE_INFINITY) <= seq;
  const inPool = (id: BlockId) => names.some((s) => inSession(s, id));
  const pool = catalog.pool(names);
  let poolSize = 0;
  if (names.length === 1) {
    for (const r of pool.records) if ((r.joined ?? 0) <= seq) poolSize++;
  } else {
    for (const id of pool.ids) if (inPool(id)) poolSize++;
  }
  const hidden = new Map<string, Set<BlockId>>();
  const hiddenIn = (session: string) => {
    let set = hidden.get(session);
    if (set === undefined) {
      // After the caller's index caught up: the catalog must know every block it holds.
      catalog.sync();
      set = new Set();
      const { ids, records } = catalog.pool([session]);
      for (let i = 0; i < ids.length; i++)
        if ((records[i]?.joined ?? 0) > seq) set.add(ids[i] as BlockId);
      hidden.set(session, set);
    }
    return set;
  };
  return {
    live: false,
    hiddenIn,
    visible: (id, session) => (session === undefined ? inPool(id) : inSession(session, id)),
    // Outside the pool then (an edge's far end in another session, perhaps in the pool now).
    existed: (id) => inPool(id) || (catalog.record(id)?.seq ?? Number.POSITIVE_INFINITY) <= seq,
    edgeSeq: seq,
    poolSize,
    watermark,
    watermarkSeq: seq,
  };
}

/** How many of sorted ids are at or below `asOf`. */
function countAtOrBelow(ids: readonly BlockId[], asOf: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as BlockId) <= asOf) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
