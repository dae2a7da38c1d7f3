import { describe, expect, it } from 'vitest';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { layoutPositions } from '../lib/graph-layout-run';
import type { Palette } from '../lib/graph-style';
import { placedGraph } from './graph-canvas';

function node(id: string): GraphNodeView {
  return {
    id,
    kind: 'fact',
    section: 'retrieved',
    preview: id,
    session: 's',
    role: 'neighbour',
    reason: null,
    tokens: null,
  };
}

describe('placedGraph', () => {
  it('draws each node where the layout (run in the worker) put it', () => {
    const nodes = ['a', 'b', 'c', 'lone'].map(node);
    const edges: GraphEdgeView[] = [
      { from: 'a', kind: 'parent', to: 'b' },
      { from: 'b', kind: 'supports', to: 'c' },
    ];
    const positions = layoutPositions(nodes, edges, false);
    const palette = new Proxy({}, { get: () => '#888' }) as Palette;
    const graph = placedGraph(nodes, edges, positions, palette);
    try {
      for (const n of nodes) expect(graph.getElementById(n.id).position()).toEqual(positions[n.id]);
      expect(new Set(nodes.map((n) => JSON.stringify(positions[n.id]))).size).toBe(4);
    } finally {
      graph.destroy();
    }
  });
});
