import type { BlockId, EdgeKind } from '../base/index';
import type { BlockRecord, Change, Edge, Store } from '../store/index';
import type { TraceRecord } from './trace';

/**
 * The store as a recorded call saw it: every write up to `seq` (the call's write-sequence
 * watermark). A call recorded before write sequences also carries its block-id watermark `id`:
 * blocks of a store migrated from format 1 all carry write 0, so for those the id decides.
 */
export interface AsOf {
  readonly seq: number;
  readonly id?: BlockId | null | undefined;
}

/** The point in the store's history a recorded call saw. */
export function asOfTrace(record: TraceRecord): AsOf {
  const seq = record.plan.watermarkSeq;
  return seq !== undefined ? { seq } : { seq: record.changeSeq, id: record.watermark };
}

const byId = (at: AsOf, id: string) => at.id === undefined || (at.id !== null && id <= at.id);

/** True when the block had been written by then. */
export function existedAt(record: Pick<BlockRecord, 'id' | 'seq'>, at: AsOf): boolean {
  return (record.seq ?? 0) <= at.seq && byId(at, record.id);
}

/** A session's blocks as they were then (oldest first): those that had joined it by then. */
export function sessionBlocksAt(store: Store, session: string, at: AsOf): BlockRecord[] {
  return store.list(session).filter((r) => (r.joined ?? 0) <= at.seq && byId(at, r.id));
}

/** Every session with the number of blocks it held then (sessions empty then are left out). */
export function sessionsAt(store: Store, at: AsOf): { session: string; blocks: number }[] {
  const out: { session: string; blocks: number }[] = [];
  for (const { session } of store.sessions()) {
    const n = sessionBlocksAt(store, session, at).length;
    if (n > 0) out.push({ session, blocks: n });
  }
  return out;
}

/** A block's edges as they were then: added by then, between blocks that existed then. */
export function edgesAt(
  store: Store,
  id: string,
  at: AsOf,
  direction: 'out' | 'in' | 'both' = 'both',
): Edge[] {
  const existed = (other: string) => {
    const r = store.getRecord(other);
    return r !== undefined && existedAt(r, at);
  };
  return store
    .edges(id, direction)
    .filter(
      (e) =>
        (store.edgeSeq(e.from, e.kind, e.to) ?? 0) <= at.seq && existed(e.from) && existed(e.to),
    );
}

/** What was written between two points of the store's history (after `from`, up to `to`). */
export interface WrittenBetween {
  readonly from: number;
  readonly to: number;
  /** Blocks added to a session (new, or an existing fact deduplicated into it). */
  readonly added: readonly {
    readonly id: BlockId;
    readonly session: string;
    readonly seq: number;
  }[];
  /** Blocks taken out of a session (purges). */
  readonly removed: readonly {
    readonly id: BlockId;
    readonly session: string;
    readonly seq: number;
  }[];
  /** Blocks deleted. */
  readonly deleted: readonly { readonly id: BlockId; readonly seq: number }[];
  readonly edges: readonly {
    readonly from: BlockId;
    readonly kind: EdgeKind;
    readonly to: BlockId;
    readonly seq: number;
  }[];
  /** Calls recorded. */
  readonly calls: readonly {
    readonly callId: BlockId;
    readonly session: string;
    readonly seq: number;
  }[];
  /** True when more than `limit` writes lie between: the lists hold the first `limit`. */
  readonly truncated: boolean;
}

/** The writes after `from` up to `to` from the change log, at most `limit` of them (oldest first). */
export function writtenBetween(
  store: Store,
  from: number,
  to: number,
  limit = 1000,
): WrittenBetween {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const changes: (Change & { seq: number })[] = store.changesSince(
    lo,
    Math.max(0, Math.min(limit + 1, hi - lo)),
  );
  const within = changes.filter((c) => c.seq <= hi);
  const truncated = within.length > limit || (within.length === limit && hi - lo > limit);
  const taken = within.slice(0, limit);
  const added: { id: BlockId; session: string; seq: number }[] = [];
  const removed: { id: BlockId; session: string; seq: number }[] = [];
  const deleted: { id: BlockId; seq: number }[] = [];
  const edges: { from: BlockId; kind: EdgeKind; to: BlockId; seq: number }[] = [];
  const calls: { callId: BlockId; session: string; seq: number }[] = [];
  const seenCalls = new Set<string>();
  for (const c of taken) {
    if (c.op === 'add' && c.session !== undefined) {
      // A label merged into a block already in the session is logged as an add too: not a join.
      const joined = store.joinedAt(c.id, c.session);
      if (joined === undefined || joined >= c.seq)
        added.push({ id: c.id as BlockId, session: c.session, seq: c.seq });
    } else if (c.op === 'trace') {
      // An output recorded later is logged under the same call id.
      if (!seenCalls.has(c.id))
        calls.push({ callId: c.id as BlockId, session: c.session ?? '', seq: c.seq });
      seenCalls.add(c.id);
    } else if (c.op === 'remove' && c.session !== undefined)
      removed.push({ id: c.id as BlockId, session: c.session, seq: c.seq });
    else if (c.op === 'delete') deleted.push({ id: c.id as BlockId, seq: c.seq });
    else if (c.op === 'edge' && c.to !== undefined && c.kind !== undefined)
      edges.push({
        from: c.id as BlockId,
        kind: c.kind as EdgeKind,
        to: c.to as BlockId,
        seq: c.seq,
      });
  }
  return { from: lo, to: hi, added, removed, deleted, edges, calls, truncated };
}
