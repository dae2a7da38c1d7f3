import { describe, expect, it } from 'vitest';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { layoutOffThread } from './graph-layout-client';
import { layoutDigest, layoutPositions } from './graph-layout-run';

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

/** A tree of `n` blocks (each a child of the block at i / 3) and `lone` blocks with no edge. */
function tree(n: number, lone: number) {
  const id = (i: number) => `b${String(i).padStart(5, '0')}`;
  const nodes = Array.from({ length: n + lone }, (_, i) => node(id(i)));
  const edges: GraphEdgeView[] = Array.from({ length: n - 1 }, (_, i) => ({
    from: id(i + 1),
    kind: 'parent',
    to: id(Math.floor((i + 1) / 3)),
  }));
  return { nodes, edges };
}

/** A reordering of `list` that depends only on `seed`. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('layoutPositions is deterministic', () => {
  it('lays the same graph out the same way every time (fcose polish, under the draft size)', () => {
    const { nodes, edges } = tree(120, 30);
    expect(layoutPositions(nodes, edges, false)).toEqual(layoutPositions(nodes, edges, false));
  });

  it('lays a big graph (fcose draft, large sizes) out the same way every time', () => {
    const { nodes, edges } = tree(500, 800);
    expect(layoutPositions(nodes, edges, true)).toEqual(layoutPositions(nodes, edges, true));
  });

  it('does not depend on the order the nodes and edges arrive in', () => {
    const { nodes, edges } = tree(120, 30);
    expect(layoutPositions(shuffled(nodes, 3), shuffled(edges, 5), false)).toEqual(
      layoutPositions(nodes, edges, false),
    );
  });

  it('gives the same layout the same digest, and a moved block another', () => {
    const { nodes, edges } = tree(60, 10);
    const at = layoutPositions(nodes, edges, false);
    expect(layoutDigest(layoutPositions(nodes, edges, false))).toBe(layoutDigest(at));
    expect(layoutDigest(at)).toMatch(/^70-[0-9a-f]{8}$/);
    const moved = { ...at, b00001: { x: (at['b00001']?.x ?? 0) + 1, y: at['b00001']?.y ?? 0 } };
    expect(layoutDigest(moved)).not.toBe(layoutDigest(at));
  });

  it('leaves Math.random as it was', () => {
    const original = Math.random;
    const { nodes, edges } = tree(20, 2);
    layoutPositions(nodes, edges, false);
    expect(Math.random).toBe(original);
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
