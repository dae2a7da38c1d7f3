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

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-compare-'));
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
  put('system', 'system', 'You are terse.', 0);
  put('keep', 'fact', 'Ada lives in Lisbon.', 1000);
  put('gone', 'fact', 'Ada has a cat named Pixel.', 2000);
  put('q1', 'user-message', 'Where does Ada live?', 3000);
  const turn = async (task: string, at: number, mode: 'string' | 'chat') => {
    const result = await tracedCall(
      store,
      { session: 'alpha', task, model, now: t0 + at, mode },
      policy,
    );
    await result.recorded;
    calls.push(result.record.callId);
  };
  // The tasks name Ada: relevance fusion leaves out (low-score) facts that share no word with the task.
  await turn('Where does Ada live?', 3500, 'string');
  store.delete(ids.gone ?? '');
  put('new', 'fact', 'Ada moved to Porto in May.', 4000);
  put('q2', 'user-message', 'And now?', 5000);
  await turn('Where does Ada live now?', 5500, 'string');
  await turn('Where does Ada live, in chat?', 6000, 'chat');
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compare.turns', () => {
  it('diffs two turns block by block, with a cause per removal and the summary line', async () => {
    const result = value(await api['compare.turns']({ a: calls[0], b: calls[1] }));
    expect(result.session).toBe('alpha');
    expect(result.a?.callId).toBe(calls[0]);
    expect(result.b.callId).toBe(calls[1]);
    const diff = result.diff!;
    expect(diff.added.map((x) => x.id).sort()).toEqual([ids.new, ids.q2].sort());
    expect(diff.removed.map((x) => x.id)).toEqual([ids.gone]);
    expect(diff.removed[0]).toMatchObject({ cause: 'block-deleted', kind: 'fact' });
    expect(diff.summary).toMatch(/^\+2 -1 ~\d+ \([+-]\d+ tokens\)$/);
    expect(diff.sections.map((s) => s.section)).toContain('retrieved');
    expect(result.blocks[ids.gone!]).toEqual({ preview: null, exists: false });
    expect(result.blocks[ids.new!]).toEqual({
      preview: 'Ada moved to Porto in May.',
      exists: true,
    });
    expect(result.prompts.b).toMatchObject({ mode: 'string', promptHash: result.b.promptHash });
    expect(result.prompts.b.chars).toBeGreaterThan(0);
    expect(result.lines!.added).toBeGreaterThan(0);
  });

  it('compares with the previous turn of the session when `a` is left out', async () => {
    const result = value(await api['compare.turns']({ b: calls[1] }));
    expect(result.a?.callId).toBe(calls[0]);
    const first = value(await api['compare.turns']({ b: calls[0] }));
    expect(first.a).toBeNull();
    expect(first.diff).toBeNull();
    expect(first.lines).toBeNull();
  });

  it('fails as data for an unknown call id', async () => {
    const result = await api['compare.turns']({ a: calls[0], b: 'f'.repeat(32) });
    expect(result.ok === false && result.error.code).toBe('trace-not-found');
  });
});

describe('compare.prompts', () => {
  it('returns both prompts in full: string prompts exactly, chat prompts one message per part', async () => {
    const { a, b } = value(await api['compare.prompts']({ a: calls[1], b: calls[2] }));
    expect(a.mode).toBe('string');
    expect(a.text).toContain('Ada moved to Porto in May.');
    expect(a.text).toContain('Where does Ada live now?');
    expect(b.mode).toBe('chat');
    expect(b.text).toMatch(/^=== system ===\n## System\nYou are terse\./);
    expect(b.text).toContain('=== user ===');
    expect(b.text).toContain('Where does Ada live, in chat?');
    expect(b.promptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fails as data for an unknown call id', async () => {
    const result = await api['compare.prompts']({ a: calls[0], b: '0'.repeat(32) });
    expect(result.ok === false && result.error.code).toBe('trace-not-found');
  });
});
