import type { BlockId, EdgeKind } from '../base/index';
import type { Store, StoreSlot } from '../store/index';

/** One neighbour: the edge kind and the block at its other end. */
export interface Neighbour {
  readonly kind: EdgeKind;
  readonly id: BlockId;
  /** The write that added the edge (0 for edges older than write sequences). */
  readonly seq: number;
}

/** The edge index of an open store (see `StoreSlot`). */
const EDGE_INDEX: StoreSlot<EdgeIndex> = {
  name: 'edge-index',
  create: (store) => new (EdgeIndex as unknown as new (s: Store) => EdgeIndex)(store),
};

/**
 * An in-memory copy of the typed-edge graph, kept in step with the store through the change log
 * (edges are added with an `edge` change; deleting a block drops its edges). The pager asks it
 * for every candidate's partners and dependencies, which would otherwise cost two LMDB range
 * scans each.
 */
export class EdgeIndex {
  private readonly out = new Map<BlockId, Neighbour[]>();
  private readonly in = new Map<BlockId, Neighbour[]>();
  private seq = -1;

  private constructor(private readonly store: Store) {}

  /** The index of a store (one per Store instance). */
  static of(store: Store): EdgeIndex {
    return store.slot(EDGE_INDEX);
  }

  /** Catches up with the store: a full load the first time (or after `repair`), then only new changes. */
  sync(): void {
    this.store.refresh();
    if (this.seq < 0) {
      this.load();
      return;
    }
    const changes = this.store.changesSince(this.seq);
    for (const c of changes) {
      if (c.op === 'reset') {
        this.load();
        return;
      }
      if (c.op === 'edge' && c.to !== undefined && c.kind !== undefined)
        this.add(c.id as BlockId, c.kind as EdgeKind, c.to as BlockId, c.seq);
      else if (c.op === 'delete') this.drop(c.id as BlockId);
      this.seq = c.seq;
    }
  }

  /** Outgoing edges of a block, in (kind, id) order. */
  outgoing(id: BlockId): readonly Neighbour[] {
    return this.out.get(id) ?? [];
  }

  /** Incoming edges of a block, in (kind, id) order. */
  incoming(id: BlockId): readonly Neighbour[] {
    return this.in.get(id) ?? [];
  }

  private load(): void {
    this.out.clear();
    this.in.clear();
    // Read the sequence number first: changes racing with the scan are re-applied (adds are idempotent).
    this.seq = this.store.changeSeq();
    for (const edge of this.store.allEdges()) this.add(edge.from, edge.kind, edge.to, edge.seq);
  }

  private add(from: BlockId, kind: EdgeKind, to: BlockId, seq: number): void {
    insert(this.out, from, { kind, id: to, seq });
    insert(this.in, to, { kind, id: from, seq });
  }

  private drop(id: BlockId): void {
    for (const n of this.out.get(id) ?? []) remove(this.in, n.id, id);
    for (const n of this.in.get(id) ?? []) remove(this.out, n.id, id);
    this.out.delete(id);
    this.in.delete(id);
  }
}

function insert(map: Map<BlockId, Neighbour[]>, key: BlockId, n: Neighbour): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [n]);
    return;
  }
  if (list.some((x) => x.kind === n.kind && x.id === n.id)) return;
  list.push(n);
  list.sort((a, b) =>
    a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
}

function remove(map: Map<BlockId, Neighbour[]>, key: BlockId, other: BlockId): void {
  const list = map.get(key);
  if (list === undefined) return;
  const kept = list.filter((x) => x.id !== other);
  if (kept.length === 0) map.delete(key);
  else map.set(key, kept);
}
