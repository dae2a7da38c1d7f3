// The fcose layout settings of the Graph view, by graph size. Pure data (no DOM), so
// bench/graph.bench.ts times exactly these settings in a headless cytoscape too.

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
  const columns = Math.max(1, above === undefined ? square : Math.max(square, Math.floor((above.x2 - above.x1) / cell.w) + 1));
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
