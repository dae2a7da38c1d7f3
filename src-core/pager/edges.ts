import type { BlockId } from '../base/index';
import { EdgeIndex, type Neighbour } from '../graph/index';
import type { Store } from '../store/index';

/**
 * The edges one page call can see: all of them in a live call; in a replay, without those added
 * after its watermark or to blocks that did not exist then (see `Snapshot.edgeSeq`).
 */
export class EdgeView {
  private readonly index: EdgeIndex;
  private readonly cache = new Map<BlockId, { out: Neighbour[]; in: Neighbour[] }>();
  /** Edges added after this write did not exist for the call (see `Snapshot.edgeSeq`). */
  edgeSeq = Number.POSITIVE_INFINITY;
  /** Blocks that existed for the call, in its pool or not (see `Snapshot.existed`). */
  existed: (id: BlockId) => boolean = () => true;

  constructor(
    store: Store,
    /** No watermark: every edge is visible, so edge lists are used as the index holds them. */
    private readonly allVisible: boolean,
  ) {
    this.index = EdgeIndex.of(store);
    this.index.sync();
  }

  /** Outgoing edges of a block (visible ones only). */
  out(id: BlockId): readonly Neighbour[] {
    const out = this.index.outgoing(id);
    return this.allVisible || out.length === 0 ? out : this.filtered(id).out;
  }

  /** Incoming edges of a block (visible ones only). */
  in(id: BlockId): readonly Neighbour[] {
    const inc = this.index.incoming(id);
    return this.allVisible || inc.length === 0 ? inc : this.filtered(id).in;
  }

  /** A replayed call's edges of a block, without those to blocks it cannot see (cached). */
  private filtered(id: BlockId): { readonly out: Neighbour[]; readonly in: Neighbour[] } {
    let e = this.cache.get(id);
    if (e === undefined) {
      // Blocks newer than the watermark did not exist for a replayed call.
      const seen = (n: Neighbour) => n.seq <= this.edgeSeq && this.existed(n.id);
      e = {
        out: this.index.outgoing(id).filter(seen),
        in: this.index.incoming(id).filter(seen),
      };
      this.cache.set(id, e);
    }
    return e;
  }
}
