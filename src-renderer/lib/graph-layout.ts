// The Graph view's layout, by graph size: fcose settings for the blocks with edges and a grid for
// the rest. No DOM, so bench/graph.bench.ts times exactly this in a headless cytoscape too.
import type { Core, LayoutOptions } from 'cytoscape';

/** Above this many nodes fcose runs its spectral draft alone, without the force-directed polish. */
export const DRAFT_ABOVE = 300;

/** fcose options for a graph of `nodes` nodes. */
export function layoutOptions(nodes: number, large: boolean) {
  // Over DRAFT_ABOVE nodes the spectral draft's sampled BFS dominates: fewer samples and uniform
  // node sizes cut it by about a third; the force-directed polish would cost 0.3-1 s more at 500.
  const draft = nodes > DRAFT_ABOVE;
  return {
    name: 'fcose',
    quality: draft ? 'draft' : 'default',
    randomize: true,
    animate: false,
    fit: true,
    padding: 24,
    nodeSeparation: 60,
    idealEdgeLength: () => (large ? 40 : 70),
    nodeRepulsion: () => 6000,
    numIter: 2500,
    sampleSize: draft ? 10 : 25,
    uniformNodeDimensions: draft,
    tile: true,
    // Unconnected blocks are tiled: leave room for their labels.
    tilingPaddingVertical: large ? 10 : 28,
    tilingPaddingHorizontal: large ? 10 : 130,
  };
}

/** A node to place in the grid of unconnected blocks: grouped by `group` (the section), in order. */
export interface GridItem {
  readonly id: string;
  readonly group: string;
}

/**
 * Positions for the unconnected blocks of a graph: a dense grid under the connected part (whose
 * bounds are `above`, or none), one run of rows per group, about as wide as the connected part or a
 * little wider than tall, so Fit can show everything. No force layout runs on them: on a big turn
 * they are most of the graph.
 */
export function gridPositions(
  items: readonly GridItem[],
  above: { readonly x1: number; readonly x2: number; readonly y2: number } | undefined,
  cell: { readonly w: number; readonly h: number },
): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  if (items.length === 0) return out;
  const square = Math.ceil(Math.sqrt((items.length * cell.h * 1.6) / cell.w));
  const columns = Math.max(
    1,
    above === undefined ? square : Math.max(square, Math.floor((above.x2 - above.x1) / cell.w) + 1),
  );
  const x0 = above === undefined ? 0 : (above.x1 + above.x2) / 2 - ((columns - 1) * cell.w) / 2;
  let y = above === undefined ? 0 : above.y2 + 3 * cell.h;
  const groups = new Map<string, GridItem[]>();
  for (const item of items) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  for (const members of groups.values()) {
    members.forEach((item, i) => {
      out.set(item.id, { x: x0 + (i % columns) * cell.w, y: y + Math.floor(i / columns) * cell.h });
    });
    // A blank half row between groups.
    y += (Math.ceil(members.length / columns) + 0.5) * cell.h;
  }
  return out;
}

/** What the grid of unconnected blocks orders them by: section, part in the turn, kind, id. */
export interface LayoutNode {
  readonly id: string;
  readonly section: string;
  readonly role?: string | undefined;
  readonly kind?: string | undefined;
}

const SECTION_ORDER = [
  'system',
  'task',
  'state',
  'plan',
  'tools',
  'recent',
  'retrieved',
  'background',
];
const ROLE_ORDER = ['root', 'selected', 'omitted', 'neighbour'];

/**
 * The unconnected blocks in grid order: by section (each its own run of rows), then the turn's
 * selected blocks before its omitted ones and the neighbours, then by kind and id. The order
 * depends on nothing but the blocks themselves, so the grid is the same however they arrive, and
 * the blocks a section or kind filter keeps sit together.
 */
export function gridOrder<T extends LayoutNode>(nodes: readonly T[]): T[] {
  const rank = (list: readonly string[], value: string | undefined) => {
    const at = value === undefined ? -1 : list.indexOf(value);
    return at === -1 ? list.length : at;
  };
  const text = (a: string | undefined, b: string | undefined) =>
    (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
  return [...nodes].sort(
    (a, b) =>
      rank(SECTION_ORDER, a.section) - rank(SECTION_ORDER, b.section) ||
      rank(ROLE_ORDER, a.role) - rank(ROLE_ORDER, b.role) ||
      text(a.kind, b.kind) ||
      text(a.id, b.id),
  );
}

/**
 * Lays out the blocks with an edge with fcose, and places the unconnected ones in a grid under
 * them, grouped by section (no force layout on those: on a big turn they are most of the graph).
 */
export function layoutGraph(instance: Core, nodes: readonly LayoutNode[], large: boolean): void {
  const linked = instance.nodes().filter((node) => node.degree(false) > 0);
  let above: { x1: number; x2: number; y2: number } | undefined;
  if (linked.nonempty()) {
    linked
      .union(linked.connectedEdges())
      .layout({ ...layoutOptions(linked.length, large), fit: false } as LayoutOptions)
      .run();
    const box = linked.boundingBox({ includeLabels: false, includeOverlays: false });
    above = { x1: box.x1, x2: box.x2, y2: box.y2 };
  }
  const lone = gridOrder(
    nodes.filter((n) => instance.getElementById(n.id).degree(false) === 0),
  ).map((n) => ({ id: n.id, group: n.section }));
  const cell = large ? { w: 22, h: 22 } : { w: 120, h: 40 };
  const positions = gridPositions(lone, above, cell);
  instance.batch(() => {
    for (const [id, position] of positions) instance.getElementById(id).position(position);
  });
}
