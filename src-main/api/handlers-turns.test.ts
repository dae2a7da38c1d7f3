import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedCall } from '../../src-core/index';
import type { ApiResult } from './contract';
import { createApiHandlers, type ApiHandlers } from './handlers';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from './runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
const calls: string[] = [];

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-turns-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  store.put({ session: 'alpha', kind: 'system', body: 'You are terse.', createdAt: t0 });
  const policy = recordedPolicy(DEFAULT_CONFIG);
  const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
  for (let i = 0; i < 3; i++) {
    store.put({ session: 'alpha', kind: 'user-message', body: `Question ${i}: what is ${i} + ${i}?`, createdAt: t0 + 1000 * (i + 1) });
    const budget = i === 2 ? 300 : undefined;
    const result = await tracedCall(store, { session: 'alpha', task: `answer question ${i}\nsecond line`, model, budget, now: t0 + 1000 * (i + 1) + 500, mode: 'chat' }, policy);
    await result.recorded;
    calls.push(result.record.callId);
  }
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('turns.list', () => {
  it("lists a session's recorded turns oldest first, with tokens against the budget", async () => {
    const { turns, total } = value(await api['turns.list']({ session: 'alpha' }));
    expect(total).toBe(3);
    expect(turns.map((t) => t.callId)).toEqual(calls);
    const [first, , last] = turns;
    expect(first).toMatchObject({ session: 'alpha', model: 'gpt-4o', mode: 'chat', hasOutput: false, task: 'answer question 0 second line' });
    expect(first!.tokens).toBeGreaterThan(0);
    expect(first!.tokens).toBeLessThanOrEqual(first!.inputBudget);
    expect(first!.selected).toBeGreaterThan(0);
    expect(last!.inputBudget).toBe(300);
    expect(last!.promptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the newest turns under a limit, and lists nothing for a session without traces', async () => {
    const limited = value(await api['turns.list']({ session: 'alpha', limit: 2 }));
    expect(limited.turns.map((t) => t.callId)).toEqual(calls.slice(1));
    expect(limited.total).toBe(3);
    expect(value(await api['turns.list']({ session: 'nobody' }))).toEqual({ turns: [], total: 0 });
  });
});
