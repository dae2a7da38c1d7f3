import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_RETRY_MS, POLL_MS, pollDelay, startPoller } from './poller';

describe('pollDelay', () => {
  it('polls every POLL_MS while the server answers', () => {
    expect(pollDelay(0)).toBe(POLL_MS);
  });

  it('backs off exponentially after failures in a row, capped at MAX_RETRY_MS', () => {
    const delays = Array.from({ length: 9 }, (_, i) => pollDelay(i + 1));
    expect(delays).toEqual([
      1000,
      2000,
      4000,
      8000,
      16000,
      MAX_RETRY_MS,
      MAX_RETRY_MS,
      MAX_RETRY_MS,
      MAX_RETRY_MS,
    ]);
  });
});

describe('startPoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Runs the poller against `answers` (true = the server answered) for `ms` and returns the calls' times. */
  async function run(answers: (n: number) => boolean, ms: number) {
    const calls: number[] = [];
    const waits: number[] = [];
    const poller = startPoller(
      async () => {
        calls.push(Date.now());
        return answers(calls.length);
      },
      (delay) => waits.push(delay),
    );
    await vi.advanceTimersByTimeAsync(ms);
    poller.stop();
    return { calls, waits, poller };
  }

  it('a stopped server gets a handful of requests over six minutes, not hundreds', async () => {
    const { calls, waits } = await run(() => false, 6 * 60_000);
    expect(calls.length).toBeLessThan(20);
    expect(waits.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
  });

  it('returns to the normal pace once the server answers again', async () => {
    const { waits } = await run((n) => n > 3, 20_000);
    expect(waits.slice(0, 5)).toEqual([1000, 2000, 4000, POLL_MS, POLL_MS]);
  });

  it('polls at once when asked, without waiting out the back-off', async () => {
    const calls: number[] = [];
    const poller = startPoller(
      async () => {
        calls.push(Date.now());
        return false;
      },
      () => undefined,
    );
    await vi.advanceTimersByTimeAsync(3500);
    expect(calls.length).toBe(3);
    poller.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.length).toBe(4);
    poller.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.length).toBe(4);
  });
});
