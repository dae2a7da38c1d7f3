import { describe, expect, it } from 'vitest';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { layoutOffThread } from './graph-layout-client';
import { layoutPositions } from './graph-layout-run';

function node(id: string, section: GraphNodeView['section'] = 'retrieved'): GraphNodeView {
  return {
    id,
    kind: 'fact',
    section,
    preview: id,
    session: 's',
    role: 'neighbour',
    reason: null,
    tokens: null,
  };
}

const nodes = [node('a'), node('b'), node('c'), node('lone1', 'system'), node('lone2')];
const edges: GraphEdgeView[] = [
  { from: 'a', kind: 'parent', to: 'b' },
  { from: 'b', kind: 'parent', to: 'c' },
];

describe('layoutPositions', () => {
  it('places every block, the unconnected ones in a grid under the connected part', () => {
    const at = layoutPositions(nodes, edges, false);
    expect(Object.keys(at).sort()).toEqual(['a', 'b', 'c', 'lone1', 'lone2']);
    for (const p of Object.values(at))
      expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    const linkedBottom = Math.max(at['a']?.y ?? NaN, at['b']?.y ?? NaN, at['c']?.y ?? NaN);
    expect(at['lone1']?.y).toBeGreaterThan(linkedBottom);
    // Grouped by section: system first, then retrieved on a row of its own.
    expect(at['lone2']?.y).toBeGreaterThan(at['lone1']?.y ?? NaN);
  });
});

describe('layoutOffThread', () => {
  it('without Worker (here: Node) lays out on this thread and gives the same kind of answer', async () => {
    const at = await layoutOffThread(nodes, edges, false).positions;
    expect(Object.keys(at)).toHaveLength(5);
  });

  it('never settles a layout given up', async () => {
    const pending = layoutOffThread(nodes, edges, false);
    pending.cancel();
    const settled = await Promise.race([
      pending.positions.then(() => true),
      new Promise((done) => setTimeout(() => done(false), 50)),
    ]);
    expect(settled).toBe(false);
  });
});
