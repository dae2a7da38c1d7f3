import { Llm386Error } from '../base/index';
import type { PutInput, PutResult, Store } from '../store/index';
import type { Reduction, ReductionEdge } from './reducer';

/**
 * Writes a reduction in one store transaction: every block and edge, or (on any error) nothing.
 *
 * Every put must carry an explicit id. A knowledge block whose (kind, body) already exists is
 * deduplicated by the store: it keeps the existing id, and edges naming the minted id are
 * redirected to it (an edge that thereby joins a block to itself is dropped). `parents` of a put
 * become `parent` edges, redirected the same way. A parent or edge end that does not exist fails
 * the whole commit with `block-not-found`; an id that already exists (an event block reduced
 * twice) fails it with `invalid-input`. Returns one result per put, in order.
 */
export function commitReduction(store: Store, reduction: Reduction): PutResult[] {
  const ids = new Set<string>();
  const edges: ReductionEdge[] = [];
  const puts: PutInput[] = reduction.puts.map((put, i) => {
    if (put.id === undefined)
      throw new Llm386Error(
        'invalid-input',
        `reduction put ${i} has no explicit id: reducers mint ids with reducerId(callId, index, now)`,
      );
    if (ids.has(put.id))
      throw new Llm386Error(
        'invalid-input',
        `reduction put ${i} reuses id ${put.id}: minted ids must be unique`,
      );
    ids.add(put.id);
    for (const parent of put.parents ?? [])
      edges.push({ from: put.id, kind: 'parent', to: parent });
    if (put.parents === undefined) return put;
    const { parents: _parents, ...rest } = put;
    return rest;
  });
  edges.push(...reduction.edges);
  return store.transaction(() => {
    const results = store.putMany(puts);
    // The store dedups knowledge blocks by (kind, body): follow a minted id to the block it became.
    const actual = new Map<string, string>();
    results.forEach((r, i) => {
      const minted = puts[i]?.id;
      if (minted !== undefined && minted !== r.block.id) actual.set(minted, r.block.id);
    });
    for (const e of edges) {
      const from = actual.get(e.from) ?? e.from;
      const to = actual.get(e.to) ?? e.to;
      if (from === to && (from !== e.from || to !== e.to)) continue;
      store.addEdge(from, e.kind, to);
    }
    return results;
  });
}
