// A short inter-process lock around opening and closing a store's LMDB environment.
//
// Why: LMDB up to 0.9.31 (vendored by lmdb-js 3.5.6) destroys the lock file's shared robust
// mutexes in mdb_env_close when the closing process is the last one with the store open (LMDB
// ITS#10095, removed upstream in 0.9.32). A process opening the store at that moment has already
// failed to take the exclusive file lock that would make it initialise the mutexes, so it waits
// for a shared lock and then finds destroyed mutexes: every write transaction of that process
// fails with EINVAL ("Invalid argument: No transaction to renew" from lmdb-js), and so does every
// process that opens the store while it still has it open. Retrying inside the process cannot
// help, because lmdb-js keeps one environment per path per process. Seen as CLI failures when
// about 20 processes open a new store at once (about 1 in 60 runs). Serialising the opens and
// closes of our own processes removes the race: a close either finishes before an open starts
// (and the opener then initialises fresh mutexes) or sees the opener's shared lock and destroys
// nothing.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Llm386Error } from '../base/index';

/** Name of the lock directory inside a store directory, present only while an open or close runs. */
export const OPEN_LOCK_NAME = '.open-lock';

/** How long an open or close waits for another process's open or close before failing. */
const WAIT_MS = 10_000;

/** A lock older than this is taken over even when its owner seems alive (a hung or reused pid). */
const STALE_MS = 30_000;

/** Options of {@link withOpenLock}, for tests. */
export interface OpenLockOptions {
  readonly waitMs?: number;
  readonly staleMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => void;
  readonly isAlive?: (pid: number) => boolean;
}

/**
 * Runs `fn` (an LMDB environment open or close of the store in `dir`) while holding the store's
 * open lock: a directory created atomically with the owner's pid inside. A lock whose owner has
 * exited, or that is older than 30 s, is taken over. A store directory that cannot be written to
 * (a read-only copy) is opened without the lock. Nested use in one process does not wait.
 */
export function withOpenLock<T>(dir: string, fn: () => T, options: OpenLockOptions = {}): T {
  const release = acquireOpenLock(dir, options);
  try {
    return fn();
  } finally {
    release();
  }
}

const held = new Set<string>();

/** Takes the open lock of the store in `dir` (see {@link withOpenLock}); returns its release. */
export function acquireOpenLock(dir: string, options: OpenLockOptions = {}): () => void {
  const path = join(dir, OPEN_LOCK_NAME);
  if (held.has(path)) return () => undefined;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepSync;
  const waitMs = options.waitMs ?? WAIT_MS;
  const deadline = now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return () => undefined;
      if (code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (isStale(path, owner, now(), options)) {
        takeOver(path);
        continue;
      }
      if (now() >= deadline) {
        throw new Llm386Error(
          'io-error',
          `store ${dir} is being opened or closed by another process${owner === undefined ? '' : ` (pid ${owner})`} for over ${Math.round(waitMs / 1000)} s: try again, or remove ${path} if no llm386 process is running`,
        );
      }
      sleep(Math.min(1 + attempt, 10) + Math.floor(Math.random() * 3));
      continue;
    }
    held.add(path);
    try {
      writeFileSync(join(path, 'pid'), `${process.pid}\n`);
    } catch {
      // The directory alone still excludes others; its age makes it stale if we die holding it.
    }
    return () => {
      held.delete(path);
      rmSync(path, { recursive: true, force: true });
    };
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(path, 'pid'), 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isStale(
  path: string,
  owner: number | undefined,
  now: number,
  options: OpenLockOptions,
): boolean {
  let age: number;
  try {
    age = now - statSync(path).mtimeMs;
  } catch {
    return false; // gone already: the next mkdir decides
  }
  if (age > (options.staleMs ?? STALE_MS)) return true;
  // No pid yet: the owner is between creating the directory and writing its pid.
  if (owner === undefined) return age > 1_000;
  return !(options.isAlive ?? isAlive)(owner);
}

/**
 * Moves a stale lock aside under a unique name (atomic: of two processes only one moves it), then
 * removes it. Left alone: if a second process judged the same lock stale just before the first
 * one took it over and locked again, the second moves the new lock aside too. That needs a process
 * to die holding a lock held for milliseconds and two waiters at the same instant, and costs only
 * the original LMDB race, not data.
 */
function takeOver(path: string): void {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
