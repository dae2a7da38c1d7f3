// compare.turns says of each added block whether it is new to the store since the earlier turn
// (written after that turn's watermark, as a reducer writes the turn's output back) or was there
// already and is newly selected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedCall } from '../../../src-core/index';
import type { ApiResult } from '../contract';
import { createApiHandlers, type ApiHandlers } from './index';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from '../../runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
const calls: string[] = [];
const ids: Record<string, string> = {};
const FIRST_BUDGET = 40;

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-compare-origin-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  const policy = recordedPolicy(DEFAULT_CONFIG);
  const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
  const put = (
    name: string,
    kind: 'system' | 'fact' | 'user-message',
    body: string,
    at: number,
  ) => {
    ids[name] = store.put({ session: 'alpha', kind, body, createdAt: t0 + at }).block.id;
  };
  const turn = async (task: string, at: number, budget?: number) => {
    const result = await tracedCall(
      store,
      { session: 'alpha', task, model, budget, now: t0 + at, mode: 'string' },
      policy,
    );
    await result.recorded;
    calls.push(result.record.callId);
    return result.plan;
  };
  put('system', 'system', 'You are terse.', 0);
  put('lives', 'fact', 'Ada lives in Lisbon.', 1000);
  put('works', 'fact', 'Ada works as a mathematician at the analytical engine workshop.', 2000);
  put('q1', 'user-message', 'Where does Ada live?', 3000);
  // A budget too small for every fact: the one about work is left out.
  const first = await turn('Where does Ada live?', 3500, FIRST_BUDGET);
  expect(first.omitted.map((o) => o.id)).toContain(ids['works']);
  put('moved', 'fact', 'Ada moved to Porto, where the workshop is.', 4000);
  put('q2', 'user-message', 'Where does she work?', 5000);
  const second = await turn(
    'Where does Ada work as a mathematician, and where is the workshop?',
    5500,
  );
  expect(second.selected.map((s) => s.id)).toEqual(
    expect.arrayContaining([ids['works'], ids['moved']]),
  );
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compare.turns addedOrigin', () => {
  it('marks added blocks written after the earlier turn as new, and those already there as old', async () => {
    const result = value(await api['compare.turns']({ a: calls[0], b: calls[1] }));
    const added = result.diff?.added.map((a) => a.id) ?? [];
    expect(added).toEqual(expect.arrayContaining([ids['works'], ids['moved'], ids['q2']]));
    expect(result.addedOrigin[ids['moved'] ?? '']).toBe('new');
    expect(result.addedOrigin[ids['q2'] ?? '']).toBe('new');
    expect(result.addedOrigin[ids['works'] ?? '']).toBe('old');
    expect(Object.keys(result.addedOrigin).sort()).toEqual([...added].sort());
  });

  it('has no origins without an earlier turn, and none new when the later turn is compared against the earlier', async () => {
    expect(value(await api['compare.turns']({ b: calls[0] })).addedOrigin).toEqual({});
    const reversed = value(await api['compare.turns']({ a: calls[1], b: calls[0] }));
    expect(Object.values(reversed.addedOrigin).every((o) => o === 'old')).toBe(true);
  });
});
