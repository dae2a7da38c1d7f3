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
