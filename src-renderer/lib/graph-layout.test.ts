import { describe, expect, it } from 'vitest';
import { gridPositions } from './graph-layout';

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
