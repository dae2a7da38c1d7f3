import { describe, expect, it } from 'vitest';
import { gridOrder, gridPositions } from './graph-layout';

const cell = { w: 22, h: 22 };

describe('gridPositions', () => {
  it('packs 2,000 unconnected blocks in a grid a little wider than tall', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ id: `n${i}`, group: 'retrieved' }));
    const at = [...gridPositions(items, undefined, cell).values()];
    expect(at).toHaveLength(2000);
    const width = Math.max(...at.map((p) => p.x)) - Math.min(...at.map((p) => p.x));
    const height = Math.max(...at.map((p) => p.y)) - Math.min(...at.map((p) => p.y));
    expect(width / height).toBeGreaterThan(1.2);
    expect(width / height).toBeLessThan(2.2);
    expect(new Set(at.map((p) => `${p.x},${p.y}`)).size).toBe(2000);
  });

  it('goes under the connected part, at least as wide, and starts each group on a new row', () => {
    const items = [
      { id: 'a', group: 'system' },
      { id: 'b', group: 'retrieved' },
      { id: 'c', group: 'retrieved' },
    ];
    const at = gridPositions(items, { x1: -100, x2: 100, y2: 50 }, cell);
    const a = at.get('a');
    const b = at.get('b');
    const c = at.get('c');
    expect(a !== undefined && b !== undefined && c !== undefined).toBe(true);
    if (a === undefined || b === undefined || c === undefined) return;
    expect(Math.min(a.y, b.y, c.y)).toBeGreaterThan(50);
    expect(b.y).toBeGreaterThan(a.y);
    expect(c.y).toBe(b.y);
    expect(c.x - b.x).toBe(cell.w);
  });

  it('places nothing for no blocks', () => {
    expect(gridPositions([], undefined, cell).size).toBe(0);
  });
});

describe('gridOrder', () => {
  it('orders by section, then selected before omitted before neighbours, then kind, then id', () => {
    const nodes = [
      { id: 'n2', section: 'recent', role: 'neighbour', kind: 'user-message' },
      { id: 'o1', section: 'recent', role: 'omitted', kind: 'user-message' },
      { id: 's2', section: 'recent', role: 'selected', kind: 'user-message' },
      { id: 's1', section: 'recent', role: 'selected', kind: 'user-message' },
      { id: 'a1', section: 'recent', role: 'selected', kind: 'assistant-message' },
      { id: 'sys', section: 'system', role: 'selected', kind: 'system' },
    ];
    expect(gridOrder(nodes).map((n) => n.id)).toEqual(['sys', 'a1', 's1', 's2', 'o1', 'n2']);
  });

  it('gives the same order whatever order the blocks arrive in', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => ({
      id: `b${i}`,
      section: ['recent', 'retrieved', 'tools'][i % 3] ?? 'recent',
      role: i % 2 === 0 ? 'selected' : 'omitted',
      kind: 'fact',
    }));
    expect(gridOrder([...nodes].reverse())).toEqual(gridOrder(nodes));
  });
});
