import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';
import { EdgeIndex } from './edge-index';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('edge index', () => {
  it('mirrors the store and catches up with edges added and blocks deleted by another instance', () => {
    const t = tempStore();
    cleanup = t.cleanup;
    const a = t.store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    const b = t.store.put({ session: 's', kind: 'fact', body: 'b', parents: [a] }).block.id;
    const index = EdgeIndex.of(t.store);
    index.sync();
    // Each edge carries the write that added it, read at load and from the log alike.
    expect(index.outgoing(b)).toEqual([{ kind: 'parent', id: a, seq: 3 }]);
    const other = Store.open(t.dir);
    const c = other.put({ session: 's', kind: 'fact', body: 'c' }).block.id;
    other.addEdge(c, 'supports', a);
    other.delete(b);
    other.close();
    index.sync();
    expect(index.incoming(a)).toEqual([{ kind: 'supports', id: c, seq: 5 }]);
    expect(index.outgoing(b)).toEqual([]);
  });
});
