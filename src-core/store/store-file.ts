// Opening and closing a store's LMDB environment under its open lock, and the stores this
// process has open (closed at exit, under their lock).
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { acquireOpenLock, withOpenLock } from './open-lock';

/** Name of the LMDB file inside a store directory. */
export const STORE_FILE = 'data.mdb';

/** A store this process has open. */
interface Closable {
  close(): void;
}

/** Stores open in this process; closed on exit so that no close happens outside the open lock. */
const openStores = new Set<Closable>();
let exitHookSet = false;

/** Registers an open store, to be closed at exit (lmdb-js's own exit hook would close it outside the lock). */
export function trackOpen(store: Closable): void {
  if (!exitHookSet) {
    exitHookSet = true;
    process.once('exit', () => {
      for (const open of [...openStores]) open.close();
    });
  }
  openStores.add(store);
}

/** A store closed by its owner. */
export function untrack(store: Closable): void {
  openStores.delete(store);
}

/**
 * The map's first address range: 8 GiB (virtual only: without a write map the file grows only as
 * data is written). lmdb-js otherwise starts at 128 KB and remaps as the file grows, and the
 * pages of each earlier mapping stayed resident: ingesting 200k messages held 640 MB of mapped
 * pages for a 254 MB file (270 MB with one map). Past 8 GiB lmdb-js still doubles it. Not larger:
 * each open store reserves its range of the process's address space (a 1 TiB range exhausted
 * it at about 128 open stores). Windows preallocates the file to the map size, so there the
 * growing map stays.
 */
const MAP_SIZE = process.platform === 'win32' ? {} : { mapSize: 2 ** 33 };

/**
 * Opens the environment and reads the format version, the first read of a new process, under the
 * store's open lock (see {@link withOpenLock}). The version is read before any other database is
 * opened, so a newer store is never written to.
 */
export function openRoot(dir: string, readOnly: boolean): { root: RootDatabase; meta: Database<unknown, string>; version: unknown } {
  return withOpenLock(dir, () => {
    const root = open({ path: join(dir, STORE_FILE), maxDbs: 32, readOnly, compression: false, ...MAP_SIZE });
    try {
      const meta = root.openDB<unknown, string>({ name: 'meta' });
      return { root, meta, version: meta.get('formatVersion') };
    } catch (error) {
      closeRoot(dir, root);
      throw error;
    }
  });
}

/**
 * Closes the environment under the store's open lock. lmdb-js closes at once unless writes or
 * reads are still pending; then the lock is held until it has closed.
 */
export function closeRoot(dir: string, root: RootDatabase): void {
  let release: () => void;
  try {
    release = acquireOpenLock(dir);
  } catch {
    // Another process has held the lock for 10 s (hung): closing anyway beats keeping the store
    // open, which lmdb-js would close without the lock at exit in any case.
    release = () => undefined;
  }
  let closing: Promise<void>;
  try {
    closing = root.close();
  } catch (error) {
    release();
    throw error;
  }
  // lmdb-js sets `status` but does not declare it.
  if ((root as unknown as { status?: string }).status === 'closed') release();
  else void closing.then(release, release);
}
