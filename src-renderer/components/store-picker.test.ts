import { describe, expect, it } from 'vitest';
import { storeLabels, storeName } from './store-picker';

describe('store menu labels', () => {
  it('name a store by its folder', () => {
    expect(storeName('/data/stores/chat/')).toBe('chat');
    const labels = storeLabels([
      { id: 'a', path: '/data/chat' },
      { id: 'b', path: 'C:\\stores\\docs' },
    ]);
    expect([...labels.values()]).toEqual(['chat', 'docs']);
  });

  it('add the parent folders that tell apart stores with the same folder name', () => {
    const labels = storeLabels([
      { id: 'a', path: '/tmp/run-1/store' },
      { id: 'b', path: '/tmp/run-2/store' },
      { id: 'c', path: '/x/y/store-2' },
      { id: 'd', path: '/p/same/store' },
      { id: 'e', path: '/q/same/store' },
    ]);
    expect(Object.fromEntries(labels)).toEqual({
      a: 'run-1/store',
      b: 'run-2/store',
      c: 'store-2',
      d: 'p/same/store',
      e: 'q/same/store',
    });
  });
});
