import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openApi, whenQuiet } from './open-api';
import { Store, warmTokenizer } from '../runtime';

vi.mock('../runtime', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../runtime')>();
  return { ...actual, warmTokenizer: vi.fn(async () => undefined) };
});

describe('whenQuiet', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('waits for a first call and then for the calls to stop', () => {
    let last: number | undefined;
    const task = vi.fn();
    whenQuiet(() => last, task, { quietMs: 400, maxWaitMs: 8000, pollMs: 100 });
    vi.advanceTimersByTime(1000);
    expect(task).not.toHaveBeenCalled(); // the page has not asked anything yet
    for (let t = 0; t < 10; t++) {
      last = Date.now();
      vi.advanceTimersByTime(200);
    }
    expect(task).not.toHaveBeenCalled(); // calls every 200 ms: never quiet for 400
    vi.advanceTimersByTime(500);
    expect(task).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('runs after the longest wait when no call ever comes', () => {
    const task = vi.fn();
    whenQuiet(() => undefined, task, { quietMs: 400, maxWaitMs: 3000, pollMs: 100 });
    vi.advanceTimersByTime(2900);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('never runs once cancelled', () => {
    const task = vi.fn();
    const cancel = whenQuiet(() => 0, task, { quietMs: 400, pollMs: 100 });
    vi.advanceTimersByTime(100);
    cancel();
    vi.advanceTimersByTime(10_000);
    expect(task).not.toHaveBeenCalled();
  });
});

describe('openApi', () => {
  it('serves every method through handlers that still answer as the contract says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm386-open-api-'));
    try {
      Store.init(dir).close();
      const api = openApi(dir);
      try {
        const info = await api.handlers['store.info']({});
        expect(info.ok).toBe(true);
        const bad = await api.handlers['blocks.list']({ session: 42 });
        expect(bad.ok).toBe(false);
      } finally {
        api.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('openApi warm-up', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm386-warm-'));
    Store.init(dir).close();
    vi.mocked(warmTokenizer).mockClear();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts filling the tokenizer once the page has asked something and then gone quiet, not while it loads', async () => {
    const api = openApi(dir);
    try {
      api.warmUp();
      vi.advanceTimersByTime(2000);
      expect(warmTokenizer).not.toHaveBeenCalled(); // the page has not asked anything yet
      await api.handlers['store.info']({});
      vi.advanceTimersByTime(100);
      await api.handlers['blocks.list']({ session: 'alpha', limit: 10 });
      vi.advanceTimersByTime(100);
      expect(warmTokenizer).not.toHaveBeenCalled(); // not while the views are still asking
      vi.advanceTimersByTime(1000);
      expect(warmTokenizer).toHaveBeenCalledTimes(1);
      expect(warmTokenizer).toHaveBeenCalledWith('o200k_base');
    } finally {
      api.close();
    }
  });

  it('never starts when warm-up was not asked for, or once the store is closed', async () => {
    const api = openApi(dir);
    await api.handlers['store.info']({});
    vi.advanceTimersByTime(20_000);
    api.warmUp();
    api.close();
    vi.advanceTimersByTime(20_000);
    expect(warmTokenizer).not.toHaveBeenCalled();
  });
});
