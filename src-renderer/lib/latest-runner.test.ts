import { describe, expect, it } from 'vitest';
import { LatestRunner } from './latest-runner';

function deferred() {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LatestRunner', () => {
  it('runs a request at once when none is in flight and reports its result', async () => {
    const results: string[] = [];
    const runner = new LatestRunner<string>((key, value) => results.push(`${key}=${value}`));
    runner.request('a', () => Promise.resolve('A'));
    await flush();
    expect(results).toEqual(['a=A']);
  });

  it('keeps one request in flight: later ones wait, only the newest is sent, stale results are dropped', async () => {
    const results: string[] = [];
    const started: string[] = [];
    const runner = new LatestRunner<string>((key, value) => results.push(`${key}=${value}`));
    const first = deferred();
    const last = deferred();
    runner.request('1', () => (started.push('1'), first.promise));
    runner.request('2', () => (started.push('2'), Promise.resolve('two')));
    runner.request('3', () => (started.push('3'), last.promise));
    expect(started).toEqual(['1']);
    first.resolve('one');
    await flush();
    // 1 is stale (3 is newest): dropped; 2 was replaced by 3 while waiting, never sent.
    expect(results).toEqual([]);
    expect(started).toEqual(['1', '3']);
    last.resolve('three');
    await flush();
    expect(results).toEqual(['3=three']);
  });

  it('goes on with the next request after a failed one', async () => {
    const results: string[] = [];
    const runner = new LatestRunner<string>((key, value) => results.push(`${key}=${value}`));
    runner.request('bad', () => Promise.reject(new Error('boom')));
    runner.request('good', () => Promise.resolve('ok'));
    await flush();
    await flush();
    expect(results).toEqual(['good=ok']);
  });
});
