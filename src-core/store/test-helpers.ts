import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../base/index';
import { Store, type StoreOptions } from './store';

/** Temp directories made by this test process: removed at its exit when a test did not clean up. */
const madeDirs: string[] = [];
process.once('exit', () => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh store in a temp directory with a deterministic clock; `cleanup` closes and removes it. */
export function tempStore(options: StoreOptions = {}): {
  store: Store;
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-test-'));
  madeDirs.push(dir);
  const store = Store.init(dir, { clock: fixedClock(1_700_000_000_000, 1000), ...options });
  return {
    store,
    dir,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers an `afterEach` that cleans up every store made in the test, and returns the maker.
 * Call once at the top of a test file: `const fresh = useTempStores();`.
 */
export function useTempStores(): (options?: StoreOptions) => ReturnType<typeof tempStore> {
  let cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups) c();
    cleanups = [];
  });
  return (options = {}) => {
    const t = tempStore(options);
    cleanups.push(t.cleanup);
    return t;
  };
}

/**
 * Registers an `afterEach` that removes every directory made in the test, and returns the maker of
 * new empty temp directories: `const tempDir = useTempDirs('llm386-lock-');`.
 */
export function useTempDirs(prefix: string): () => string {
  let dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    dirs = [];
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
