// Opening and closing a store's LMDB environment under its open lock, and the stores this
// process has open (closed at exit, under their lock).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { Llm386Error } from '../base/index';
import { checkLmdbFile } from './lmdb-file';
import { migrateStore } from './migrate';
import { acquireOpenLock, withOpenLock } from './open-lock';
import { openDatabases, type StoreDatabases } from './tables';

/**
 * The on-disk format this build writes. Opening a store with a newer version fails and touches
 * nothing; an older one is migrated on open (see `migrate.ts`).
 *
 * 2: session memberships are rows of their own (`[id, session] -> write sequence`), written once
 * each, instead of a list inside every record rewritten on each new session; records, session
 * copies and edges carry the write (change-log sequence number) that made them.
 */
export const STORE_FORMAT_VERSION = 2;

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
export function openRoot(
  dir: string,
  readOnly: boolean,
): { root: RootDatabase; meta: Database<unknown, string>; version: unknown } {
  return withOpenLock(dir, () => {
    const root = open({
      path: join(dir, STORE_FILE),
      maxDbs: 32,
      readOnly,
      compression: false,
      ...MAP_SIZE,
    });
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

/** Makes `dir` ready to hold a new store (creating it), or fails when it is a file. */
export function prepareStoreDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new Llm386Error(
      'not-a-store',
      `${dir} is a file, not a directory: pick a directory for the store`,
    );
  }
  mkdirSync(dir, { recursive: true });
}

/**
 * Checks `dir` holds a store whose data file can be mapped safely: `store-not-found`,
 * `not-a-store`, or `store-corrupt` (mapping a truncated file would crash the process).
 */
export function checkStoreDir(dir: string): void {
  if (!existsSync(dir)) {
    throw new Llm386Error(
      'store-not-found',
      `no store at ${dir}: create one with \`llm386 init ${dir}\` or pass --store`,
    );
  }
  if (!statSync(dir).isDirectory() || !existsSync(join(dir, STORE_FILE))) {
    throw new Llm386Error(
      'not-a-store',
      `${dir} is not an LLM386 store (no ${STORE_FILE}): create one with \`llm386 init ${dir}\``,
    );
  }
  const file = checkLmdbFile(join(dir, STORE_FILE));
  if (!file.ok && file.problem === 'not-lmdb') {
    throw new Llm386Error(
      'not-a-store',
      `${dir}/${STORE_FILE} is not an LMDB file (damaged or foreign): restore it from a backup or \`llm386 init\` a new store`,
    );
  }
  if (!file.ok) {
    throw new Llm386Error(
      'store-corrupt',
      `store ${dir} is damaged: ${STORE_FILE} ${file.detail}: it cannot be opened safely; restore ${STORE_FILE} from a backup, or copy what still reads into a new store with \`llm386 salvage --store ${dir} --to NEWDIR\``,
    );
  }
}

/**
 * Opens a store's environment and tables: a newer format is refused untouched, an older one is
 * migrated (a read-only open migrates with a short writable open first), a new one is stamped.
 */
export function openEnvironment(
  dir: string,
  options: { readOnly: boolean; create: boolean; now: () => number },
): { root: RootDatabase; db: StoreDatabases } {
  let opened: { root: RootDatabase; meta: Database<unknown, string>; version: unknown };
  try {
    opened = openRoot(dir, options.readOnly);
  } catch (error) {
    throw new Llm386Error('io-error', `cannot open store ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { root, meta, version } = opened;
  if (typeof version === 'number' && version > STORE_FORMAT_VERSION) {
    closeRoot(dir, root);
    throw new Llm386Error(
      'store-version-too-new',
      `store ${dir} has format version ${version} but this llm386 reads up to ${STORE_FORMAT_VERSION}: upgrade llm386`,
    );
  }
  if (version === undefined && !options.create) {
    closeRoot(dir, root);
    throw new Llm386Error(
      'not-a-store',
      `${dir} is not an LLM386 store (no format version): create one with \`llm386 init ${dir}\``,
    );
  }
  if (typeof version === 'number' && version < STORE_FORMAT_VERSION && options.readOnly) {
    closeRoot(dir, root);
    const writable = openEnvironment(dir, { ...options, readOnly: false, create: false });
    closeRoot(dir, writable.root);
    return openEnvironment(dir, options);
  }
  const db = openDatabases(root, meta);
  if (typeof version === 'number' && version < STORE_FORMAT_VERSION) {
    try {
      root.transactionSync(() => migrateStore(db, version));
    } catch (error) {
      closeRoot(dir, root);
      throw new Llm386Error(
        'io-error',
        `cannot migrate store ${dir} from format ${version} to ${STORE_FORMAT_VERSION}: ${(error as Error).message}; nothing was changed`,
        { cause: error },
      );
    }
  }
  if (version === undefined) {
    root.transactionSync(() => {
      meta.putSync('formatVersion', STORE_FORMAT_VERSION);
      meta.putSync('createdAt', options.now());
    });
  }
  return { root, db };
}
