// The Graph view's filters, as data: which blocks to draw of a graph of thousands. A filter hides
// blocks where the layout put them (the layout is of the whole graph and stays put), so turning a
// filter on and off never reshuffles the picture. The filters live in the URL (`show`, `linked`,
// `section`, `kind`), so a filtered graph is a deep link too.
import type { BlockKind, GraphEdgeView, GraphNodeView, Section } from '../../src-main/api/contract';
import { BLOCK_KINDS, SECTIONS } from './vocabulary';

/** Which part of a turn to draw: every block, or only its selected or omitted candidates, or the neighbours. */
export type GraphShow = 'all' | 'selected' | 'omitted' | 'neighbour';

export const GRAPH_SHOWS: readonly GraphShow[] = ['all', 'selected', 'omitted', 'neighbour'];

export interface GraphFilter {
  readonly show: GraphShow;
  /** Only blocks with at least one edge in this graph. */
  readonly connected: boolean;
  readonly section: Section | undefined;
  readonly kind: BlockKind | undefined;
}

export const NO_FILTER: GraphFilter = {
  show: 'all',
  connected: false,
  section: undefined,
  kind: undefined,
};

/** The filter a URL's parameters ask for; values it does not know are ignored. */
export function parseGraphFilter(params: Readonly<Record<string, string>>): GraphFilter {
  const show = params['show'];
  const section = params['section'];
  const kind = params['kind'];
  return {
    show: (GRAPH_SHOWS as readonly string[]).includes(show ?? '') ? (show as GraphShow) : 'all',
    connected: params['linked'] === '1',
    section: (SECTIONS as readonly string[]).includes(section ?? '')
      ? (section as Section)
      : undefined,
    kind: (BLOCK_KINDS as readonly string[]).includes(kind ?? '') ? (kind as BlockKind) : undefined,
  };
}

/** The URL parameters of a filter (undefined: the parameter goes). */
export function graphFilterParams(filter: GraphFilter): Record<string, string | undefined> {
  return {
    show: filter.show === 'all' ? undefined : filter.show,
    linked: filter.connected ? '1' : undefined,
    section: filter.section,
    kind: filter.kind,
  };
}

/** True when the filter hides anything at all. */
export function isFiltering(filter: GraphFilter): boolean {
  return (
    filter.show !== 'all' ||
    filter.connected ||
    filter.section !== undefined ||
    filter.kind !== undefined
  );
}

/**
 * True when `node` passes the filter's part, section and kind. Connected only is a property of the
 * blocks kept together: see {@link filterNodes}.
 */
function passesOwn(node: GraphNodeView, filter: GraphFilter): boolean {
  if (filter.show !== 'all' && node.role !== filter.show) return false;
  if (filter.section !== undefined && node.section !== filter.section) return false;
  if (filter.kind !== undefined && node.kind !== filter.kind) return false;
  return true;
}

/**
 * The blocks of `nodes` that pass `filter`, in their order. Connected only keeps the blocks with an
 * edge to another block the other filters keep, so no block is drawn alone: what is left is the
 * picture without its loose dots.
 */
export function filterNodes(
  nodes: readonly GraphNodeView[],
  filter: GraphFilter,
  edges: readonly GraphEdgeView[],
): GraphNodeView[] {
  if (!isFiltering(filter)) return [...nodes];
  const kept = nodes.filter((n) => passesOwn(n, filter));
  if (!filter.connected) return kept;
  const ids = new Set(kept.map((n) => n.id));
  const linked = new Set<string>();
  for (const e of edges) {
    if (e.from === e.to || !ids.has(e.from) || !ids.has(e.to)) continue;
    linked.add(e.from);
    linked.add(e.to);
  }
  return kept.filter((n) => linked.has(n.id));
}

/** How many blocks each option of a filter would draw. */
export interface GraphFacets {
  readonly sections: ReadonlyMap<Section, number>;
  readonly kinds: ReadonlyMap<BlockKind, number>;
  readonly shows: ReadonlyMap<GraphShow, number>;
  /** Blocks drawn with Connected only on (and the other filters as they are). */
  readonly linked: number;
}

/**
 * For each option of each filter, how many blocks picking it would draw (the other filters as they
 * are), in the vocabulary's order; options no block has are left out.
 */
export function graphFacets(
  nodes: readonly GraphNodeView[],
  filter: GraphFilter,
  edges: readonly GraphEdgeView[],
): GraphFacets {
  const present = <K extends string>(order: readonly K[], key: (n: GraphNodeView) => K) => {
    const has = new Set(nodes.map(key));
    return order.filter((k) => has.has(k));
  };
  const count = <K extends string>(values: readonly K[], pick: (value: K) => GraphFilter) =>
    new Map(
      values
        .map((v) => [v, filterNodes(nodes, pick(v), edges).length] as const)
        .filter(([, n]) => n > 0),
    );
  return {
    sections: count(
      present(SECTIONS, (n) => n.section),
      (section) => ({ ...filter, section }),
    ),
    kinds: count(
      present(BLOCK_KINDS, (n) => n.kind),
      (kind) => ({ ...filter, kind }),
    ),
    shows: count(
      GRAPH_SHOWS.filter((s) => s !== 'all'),
      (show) => ({ ...filter, show }),
    ),
    linked: filterNodes(nodes, { ...filter, connected: true }, edges).length,
  };
}
