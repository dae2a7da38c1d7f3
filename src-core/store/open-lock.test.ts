import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isLlm386Error } from '../base/index';
import { OPEN_LOCK_NAME, withOpenLock } from './open-lock';
import { Store } from './store';
import { useTempDirs } from './test-helpers';

const tempDir = useTempDirs('llm386-lock-');
/** A lock left by another process: its directory with `pid` inside. */
function foreignLock(dir: string, pid: number): string {
  const path = join(dir, OPEN_LOCK_NAME);
  mkdirSync(path);
  writeFileSync(join(path, 'pid'), `${pid}\n`);
  return path;
}

describe('withOpenLock', () => {
  it('holds the lock, with this pid in it, only while the open runs, also when it throws', () => {
    const dir = tempDir();
    const path = join(dir, OPEN_LOCK_NAME);
    const seen = withOpenLock(dir, () => readFileSync(join(path, 'pid'), 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(path)).toBe(false);
    expect(() =>
      withOpenLock(dir, () => {
        throw new Error('open failed');
      }),
    ).toThrow('open failed');
    expect(existsSync(path)).toBe(false);
  });

  it('waits for a live owner and fails readably, naming it, when it does not let go', () => {
    const dir = tempDir();
    foreignLock(dir, 4242);
    let clock = 0;
    const waits: number[] = [];
    let ran = false;
    let error: unknown;
    try {
      withOpenLock(dir, () => (ran = true), {
        waitMs: 100,
        now: () => clock,
        sleep: (ms) => {
          waits.push(ms);
          clock += ms;
        },
        isAlive: () => true,
      });
    } catch (e) {
      error = e;
    }
    expect(ran).toBe(false);
    expect(waits.length).toBeGreaterThan(5);
    expect(isLlm386Error(error) && error.code).toBe('io-error');
    expect((error as Error).message).toMatch(
      /being opened or closed by another process \(pid 4242\).*remove .*\.open-lock if no llm386 process is running/,
    );
  });

  it('runs as soon as the owner lets go', () => {
    const dir = tempDir();
    const path = foreignLock(dir, 4242);
    let sleeps = 0;
    const result = withOpenLock(dir, () => 'opened', {
      isAlive: () => true,
      sleep: () => {
        if (++sleeps === 3) rmSync(path, { recursive: true });
      },
    });
    expect(result).toBe('opened');
    expect(sleeps).toBe(3);
  });

  it('takes over a lock whose owner has exited, and leaves nothing behind', () => {
    const dir = tempDir();
    foreignLock(dir, 4242);
    const alive: number[] = [];
    const result = withOpenLock(dir, () => 'opened', {
      isAlive: (pid) => (alive.push(pid), false),
      sleep: () => expect.unreachable('no wait'),
    });
    expect(result).toBe('opened');
    expect(alive).toEqual([4242]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock older than the stale age even when its pid is alive', () => {
    const dir = tempDir();
    const path = foreignLock(dir, 4242);
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(path, old, old);
    expect(
      withOpenLock(dir, () => 'opened', {
        isAlive: () => true,
        sleep: () => expect.unreachable('no wait'),
      }),
    ).toBe('opened');
  });

  it('does not wait for itself when nested in one process', () => {
    const dir = tempDir();
    const inner = withOpenLock(dir, () =>
      withOpenLock(dir, () => 'inner', { sleep: () => expect.unreachable('no wait') }),
    );
    expect(inner).toBe('inner');
    expect(existsSync(join(dir, OPEN_LOCK_NAME))).toBe(false);
  });
});

describe('Store open and close take the lock', () => {
  it('an open waits while another process is opening or closing the store', async () => {
    const dir = tempDir();
    Store.init(dir).close();
    expect(readdirSync(dir)).not.toContain(OPEN_LOCK_NAME);
    // The parent of this test process is alive: its pid stands for a process in the middle of an open.
    const path = foreignLock(dir, process.ppid);
    // The open blocks this thread, so the other process letting go is played by a worker thread.
    const releaser = new Worker(
      `setTimeout(() => require('node:fs').rmSync(${JSON.stringify(path)}, { recursive: true }), 300)`,
      { eval: true },
    );
    const started = Date.now();
    const store = Store.open(dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    store.close();
    expect(readdirSync(dir)).not.toContain(OPEN_LOCK_NAME);
    await releaser.terminate();
  });
});
