import type { BlockId, EdgeKind } from '../base/index';
import type { Edge, Store } from '../store/index';

/** A subgraph around some blocks: the nodes reached and the edges between them. */
export interface Neighbourhood {
  readonly nodes: readonly BlockId[];
  readonly edges: readonly Edge[];
  /** True when `maxNodes` cut the walk short. */
  readonly truncated: boolean;
}

/**
 * The typed-edge graph around `roots`: a breadth-first walk over edges in both directions, up to
 * `depth` hops and `maxNodes` nodes, optionally restricted to some edge kinds. Deterministic:
 * neighbours are visited in id order.
 */
export function neighbourhood(
  store: Store,
  roots: readonly BlockId[],
  options: { depth?: number; maxNodes?: number; kinds?: readonly EdgeKind[] } = {},
): Neighbourhood {
  const depth = options.depth ?? 1;
  const maxNodes = options.maxNodes ?? 2000;
  const kinds = options.kinds === undefined ? undefined : new Set<string>(options.kinds);
  const seen = new Set<BlockId>();
  const edges = new Map<string, Edge>();
  let frontier = [...new Set(roots)].sort();
  let truncated = false;
  for (const id of frontier) seen.add(id);
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const next: BlockId[] = [];
    for (const id of frontier) {
      for (const edge of store.edges(id, 'both')) {
        if (kinds !== undefined && !kinds.has(edge.kind)) continue;
        const other = edge.from === id ? edge.to : edge.from;
        if (!seen.has(other)) {
          if (seen.size >= maxNodes) {
            truncated = true;
            continue;
          }
          seen.add(other);
          next.push(other);
        }
        edges.set(`${edge.from}|${edge.kind}|${edge.to}`, edge);
      }
    }
    frontier = next.sort();
  }
  const nodes = [...seen].sort();
  return {
    nodes,
    edges: [...edges.values()]
      .filter((e) => seen.has(e.from) && seen.has(e.to))
      .sort((a, b) => (a.from + a.kind + a.to < b.from + b.kind + b.to ? -1 : 1)),
    truncated,
  };
}

/**
 * Blocks a block depends on: the transitive closure of its outgoing `parent` and `derived-from`
 * edges (what the pager pulls in with `includeDependencies`), in breadth-first order.
 */
export function dependencies(store: Store, id: BlockId, maxNodes = 64): BlockId[] {
  const out: BlockId[] = [];
  const seen = new Set<BlockId>([id]);
  const queue = [id];
  while (queue.length > 0 && out.length < maxNodes) {
    const current = queue.shift() as BlockId;
    for (const edge of store.edges(current, 'out')) {
      if ((edge.kind === 'parent' || edge.kind === 'derived-from') && !seen.has(edge.to)) {
        seen.add(edge.to);
        out.push(edge.to);
        queue.push(edge.to);
      }
    }
  }
  return out;
}
