import { afterEach } from 'vitest';
import { Store, type StoreOptions } from '../../store/index';
import { tempStore } from '../../store/test-helpers';
import { Catalog } from '../catalog';
import type { RetrievalContext, RetrievalQuery } from '../retriever';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

/** A fresh store (closed and removed after the test). */
export function fresh(): { store: Store; dir: string } {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return { store: t.store, dir: t.dir };
}

/** Another `Store` instance on the same directory: a second process, as far as the log is concerned. */
export function other(dir: string, options: StoreOptions = {}): Store {
  const store = Store.open(dir, options);
  cleanups.push(() => store.close());
  return store;
}

/** The retrieval context of a store. */
export function contextOf(store: Store): RetrievalContext {
  return { store, catalog: Catalog.of(store) };
}

/** A query over `sessions` (the first is the paged session). */
export function query(
  sessions: readonly string[],
  task = '',
  overrides: Partial<RetrievalQuery> = {},
): RetrievalQuery {
  return {
    session: sessions[0] as string,
    sessions,
    task,
    now: 1_700_000_100_000,
    limit: 100,
    ...overrides,
  };
}
