import { afterEach, describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { tempStore } from '../store/test-helpers';
import { dependencies, neighbourhood } from './graph';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('graph', () => {
  it('walks both directions up to a depth, deterministically, and can cap the node count', () => {
    const t = tempStore();
    cleanup = t.cleanup;
    const ids = ['a', 'b', 'c', 'd'].map(
      (body) => t.store.put({ session: 's', kind: 'fact', body }).block.id,
    );
    const [a, b, c, d] = ids as unknown as [BlockId, BlockId, BlockId, BlockId];
    t.store.addEdge(b, 'supports', a);
    t.store.addEdge(c, 'contradicts', b);
    t.store.addEdge(d, 'parent', c);
    const one = neighbourhood(t.store, [b]);
    expect(one.nodes).toEqual([a, b, c].sort());
    expect(one.edges).toHaveLength(2);
    expect(neighbourhood(t.store, [a], { depth: 3 }).nodes).toHaveLength(4);
    expect(neighbourhood(t.store, [a], { depth: 3, kinds: ['supports'] }).nodes).toEqual(
      [a, b].sort(),
    );
    const capped = neighbourhood(t.store, [b], { maxNodes: 2 });
    expect(capped).toMatchObject({ truncated: true });
    expect(capped.nodes).toHaveLength(2);
  });

  it('follows parent and derived-from edges transitively for dependencies', () => {
    const t = tempStore();
    cleanup = t.cleanup;
    const a = t.store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    const b = t.store.put({ session: 's', kind: 'fact', body: 'b', parents: [a] }).block.id;
    const c = t.store.put({ session: 's', kind: 'summary', body: 'c' }).block.id;
    t.store.addEdge(c, 'derived-from', b);
    expect(dependencies(t.store, c)).toEqual([b, a]);
  });
});
