import { afterEach } from 'vitest';
import type { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';

/** Registers an `afterEach` that removes every temp store made by the returned `fresh`. */
export function freshStores(): () => Store {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  return () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    return t.store;
  };
}

/** What must not move when a reduction is rejected: block count and change sequence. */
export function storeState(store: Store): { blocks: number; seq: number } {
  return { blocks: store.blockCount(), seq: store.changeSeq() };
}
