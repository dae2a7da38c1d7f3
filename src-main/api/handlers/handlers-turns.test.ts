import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOutput, tracedCall } from '../../../src-core/index';
import type { ApiResult } from '../contract';
import { createApiHandlers, type ApiHandlers } from './index';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from '../../runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
const calls: string[] = [];
let systemId: string;
let globalId: string;
let stringCall: string;
let goneCall: string;
let globalCall: string;

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-turns-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  systemId = store.put({ session: 'alpha', kind: 'system', body: 'You are terse.', createdAt: t0 })
    .block.id;
  for (let i = 0; i < 8; i++)
    store.put({
      session: 'alpha',
      kind: 'fact',
      body: `Fact ${i}: the number ${i} is ${i % 2 === 0 ? 'even' : 'odd'} and has a long description to take tokens. ${'More words about this number follow here. '.repeat(6)}`,
      createdAt: t0 + i,
    });
  const policy = recordedPolicy(DEFAULT_CONFIG);
  const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
  for (let i = 0; i < 3; i++) {
    store.put({
      session: 'alpha',
      kind: 'user-message',
      body: `Question ${i}: what is ${i} + ${i}?`,
      createdAt: t0 + 1000 * (i + 1),
    });
    const budget = i === 2 ? 300 : undefined;
    const result = await tracedCall(
      store,
      {
        session: 'alpha',
        task: `answer question ${i}\nsecond line`,
        model,
        budget,
        now: t0 + 1000 * (i + 1) + 500,
        mode: 'chat',
      },
      policy,
    );
    await result.recorded;
    calls.push(result.record.callId);
  }
  await recordOutput(store, calls[1]!, 'It is 2.', { inputTokens: 10, outputTokens: 3 });

  // A string-mode call; a call whose block is deleted afterwards; a call seeing a global session.
  store.put({ session: 'beta', kind: 'user-message', body: 'Hello from beta.', createdAt: t0 });
  stringCall = (
    await traced({ session: 'beta', task: 'greet', model, now: t0 + 100, mode: 'string' }, policy)
  ).record.callId;
  const doomed = store.put({
    session: 'delta',
    kind: 'user-message',
    body: 'This message will be deleted.',
    createdAt: t0,
  }).block.id;
  goneCall = (
    await traced({ session: 'delta', task: 'answer', model, now: t0 + 100, mode: 'openai' }, policy)
  ).record.callId;
  store.delete(doomed);
  globalId = store.put({
    session: 'global',
    kind: 'fact',
    body: 'Shared: the office opens at nine.',
    createdAt: t0,
  }).block.id;
  store.put({
    session: 'gamma',
    kind: 'user-message',
    body: 'When does the office open?',
    createdAt: t0,
  });
  const withGlobal = { ...policy, pager: { ...policy.pager, globalSessions: ['global'] } };
  globalCall = (
    await traced(
      { session: 'gamma', task: 'office hours', model, now: t0 + 100, mode: 'chat' },
      withGlobal,
    )
  ).record.callId;
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

async function traced(
  request: Parameters<typeof tracedCall>[1],
  policy: Parameters<typeof tracedCall>[2],
) {
  const result = await tracedCall(store, request, policy);
  await result.recorded;
  return result;
}

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
    expect(first).toMatchObject({
      session: 'alpha',
      model: 'gpt-4o',
      mode: 'chat',
      hasOutput: false,
      task: 'answer question 0 second line',
    });
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
    expect(value(await api['turns.list']({ session: 'nobody' }))).toEqual({
      turns: [],
      total: 0,
      groups: [],
      facts: {},
    });
  });
});

describe('turns.get', () => {
  it("returns a recorded turn's plan, previews, policy and its neighbours", async () => {
    const detail = value(await api['turns.get']({ callId: calls[1]! }));
    expect(detail.turn.callId).toBe(calls[1]);
    expect(detail.plan.session).toBe('alpha');
    expect(detail.plan.selected.map((s) => s.id)).toContain(systemId);
    expect(detail.blocks[systemId]?.preview).toBe('You are terse.');
    expect(detail.previous).toBe(calls[0]);
    expect(detail.next).toBe(calls[2]);
    expect(detail.missing).toEqual([]);
    expect(Object.keys(detail.policy.weights)).toContain('bm25');
  });

  it('has no previous turn for the first and no next for the last', async () => {
    expect(value(await api['turns.get']({ callId: calls[0]! })).previous).toBeNull();
    expect(value(await api['turns.get']({ callId: calls[2]! })).next).toBeNull();
  });

  it('records omitted blocks with their reasons under a small budget', async () => {
    const detail = value(await api['turns.get']({ callId: calls[2]! }));
    expect(detail.plan.budget.input).toBe(300);
    expect(detail.plan.omitted.length).toBeGreaterThan(0);
    expect(detail.plan.budget.used).toBeLessThanOrEqual(300);
  });

  it('leaves the omitted candidates out on request, for turns.omitted to bring', async () => {
    const full = value(await api['turns.get']({ callId: calls[2]! }));
    const light = value(await api['turns.get']({ callId: calls[2]!, omitted: false }));
    expect(light.plan.omitted).toEqual([]);
    expect(light.omittedCount).toBe(full.plan.omitted.length);
    expect(light.plan.selected).toEqual(full.plan.selected);
    // Column arrays (the renderer's expandOmitted turns them back into these views).
    const rest = value(await api['turns.omitted']({ callId: calls[2]! }));
    const omitted = full.plan.omitted;
    expect(omitted.length).toBeGreaterThan(0);
    expect(rest.id).toEqual(omitted.map((o) => o.id));
    expect(rest.kind.map((k) => rest.kindNames[k])).toEqual(omitted.map((o) => o.kind));
    expect(rest.section.map((k) => rest.sectionNames[k])).toEqual(omitted.map((o) => o.section));
    expect(rest.reason.map((k) => rest.reasonNames[k])).toEqual(omitted.map((o) => o.reason));
    expect(rest.score).toEqual(omitted.map((o) => o.score));
    expect(rest.tokensNeeded).toEqual(omitted.map((o) => o.tokensNeeded));
    expect(rest.tokensLeft).toEqual(omitted.map((o) => o.tokensLeft));
    expect(rest.displacedBy).toEqual(omitted.map((o) => o.displacedBy));
    for (const [name, column] of Object.entries(rest.retrievers)) {
      expect(
        column.map((v) =>
          v === null ? undefined : { raw: v[0], normalized: v[1], rank: v[2], contribution: v[3] },
        ),
      ).toEqual(omitted.map((o) => o.retrievers[name]));
    }
    expect(
      rest.id.map((id, i) =>
        rest.preview[i] === null
          ? undefined
          : { preview: rest.preview[i], createdAt: rest.createdAt[i], priority: rest.priority[i] },
      ),
    ).toEqual(omitted.map((o) => full.blocks[o.id]));
    expect({ ...light.blocks }).toEqual(
      Object.fromEntries(
        Object.entries(full.blocks).filter(
          ([id]) => !rest.id.includes(id) || light.plan.selected.some((s) => s.id === id),
        ),
      ),
    );
  });

  it('fails as data for an unknown call', async () => {
    const result = await api['turns.get']({ callId: '0'.repeat(32) });
    expect(result.ok === false && result.error.code).toBe('trace-not-found');
  });
});

describe('turns.prompt', () => {
  it('gives a chat turn its messages with block spans, exactly as recorded, and its output', async () => {
    const prompt = value(await api['turns.prompt']({ callId: calls[0]! }));
    const summary = value(await api['turns.list']({ session: 'alpha' })).turns[0]!;
    expect(prompt).toMatchObject({ mode: 'chat', exact: true, request: null });
    expect(prompt.chat?.promptHash).toBe(summary.promptHash);
    expect(prompt.chat?.spans.some((s) => s.id === systemId)).toBe(true);
    expect(prompt.prompt?.text).toContain('You are terse.');
    expect(prompt.output).toBeNull();
    expect(value(await api['turns.prompt']({ callId: calls[1]! })).output).toMatchObject({
      text: 'It is 2.',
      inputTokens: 10,
      outputTokens: 3,
    });
  });

  it('gives a string turn the recorded prompt text with spans', async () => {
    const prompt = value(await api['turns.prompt']({ callId: stringCall }));
    expect(prompt.mode).toBe('string');
    expect(prompt.exact).toBe(true);
    expect(prompt.prompt?.text).toContain('Hello from beta.');
    expect(prompt.prompt?.spans.length).toBeGreaterThan(0);
  });

  it('shows the recorded request without spans when a selected block is gone', async () => {
    const detail = value(await api['turns.get']({ callId: goneCall }));
    expect(detail.missing.length).toBe(1);
    const prompt = value(await api['turns.prompt']({ callId: goneCall }));
    expect(prompt).toMatchObject({ mode: 'openai', exact: false, chat: null });
    expect(prompt.request).toContain('This message will be deleted.');
    expect(prompt.prompt?.spans).toEqual([]);
    expect(prompt.prompt?.text).toBe(prompt.request);
  });
});

describe('turns.prompt cache', () => {
  it('answers again from a later output and a later deletion, not from the first rendering', async () => {
    const local = mkdtempSync(join(tmpdir(), 'llm386-prompt-cache-'));
    const s = Store.init(local);
    try {
      const t0 = Date.UTC(2026, 0, 1);
      s.put({ session: 'a', kind: 'system', body: 'Be brief.', createdAt: t0 });
      const doomed = s.put({
        session: 'a',
        kind: 'user-message',
        body: 'Soon gone.',
        createdAt: t0 + 1,
      }).block.id;
      const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
      const call = await tracedCall(
        s,
        { session: 'a', task: 'reply', model, now: t0 + 10, mode: 'chat' },
        recordedPolicy(DEFAULT_CONFIG),
      );
      await call.recorded;
      const handlers = createApiHandlers({ store: s, config: DEFAULT_CONFIG });
      const first = value(await handlers['turns.prompt']({ callId: call.record.callId }));
      expect(first).toMatchObject({ exact: true, output: null });
      expect(value(await handlers['turns.prompt']({ callId: call.record.callId }))).toBe(first); // the same rendering, not a new one
      await recordOutput(s, call.record.callId, 'Done.');
      expect(
        value(await handlers['turns.prompt']({ callId: call.record.callId })).output,
      ).toMatchObject({ text: 'Done.' });
      s.delete(doomed);
      expect(value(await handlers['turns.prompt']({ callId: call.record.callId })).exact).toBe(
        false,
      );
    } finally {
      s.close();
      rmSync(local, { recursive: true, force: true });
    }
  });
});

describe('turns.forBlock', () => {
  it('lists the turns that selected a block, newest first', async () => {
    const { turns, sessions, scanned } = value(await api['turns.forBlock']({ id: systemId }));
    expect(sessions).toEqual(['alpha']);
    expect(scanned).toBe(3);
    expect(turns.map((t) => t.turn.callId)).toEqual([...calls].reverse());
    expect(turns[0]).toMatchObject({ decision: 'selected', reason: 'system', section: 'system' });
  });

  it('reads at most `scan` records per request, and continues from `next`', async () => {
    const first = value(await api['turns.forBlock']({ id: systemId, scan: 2 }));
    expect(first).toMatchObject({ scanned: 2, total: 3, next: calls[1] });
    expect(first.turns.map((t) => t.turn.callId)).toEqual([calls[2], calls[1]]);
    const rest = value(await api['turns.forBlock']({ id: systemId, scan: 2, before: first.next! }));
    expect(rest).toMatchObject({ scanned: 1, total: 3, next: null });
    expect(rest.turns.map((t) => t.turn.callId)).toEqual([calls[0]]);
  });

  it('skips turns recorded before the block existed, without reading them', async () => {
    const later = store.put({
      session: 'alpha',
      kind: 'fact',
      body: 'A fact written after every call.',
      createdAt: Date.UTC(2030, 0, 1),
    }).block.id;
    expect(value(await api['turns.forBlock']({ id: later }))).toMatchObject({
      turns: [],
      scanned: 0,
      total: 0,
      next: null,
    });
    store.delete(later);
  });

  it('finds the turns of sessions that see the block as global', async () => {
    const { turns, sessions } = value(await api['turns.forBlock']({ id: globalId }));
    expect(sessions).toContain('gamma');
    expect(turns.map((t) => t.turn.callId)).toEqual([globalCall]);
    expect(value(await api['turns.forBlock']({ id: globalId, session: 'alpha' })).turns).toEqual(
      [],
    );
  });

  it('includes turns that omitted the block', async () => {
    const omitted = value(await api['turns.get']({ callId: calls[2]! })).plan.omitted[0]!;
    const { turns } = value(await api['turns.forBlock']({ id: omitted.id }));
    expect(turns.find((t) => t.turn.callId === calls[2])).toMatchObject({
      decision: 'omitted',
      reason: omitted.reason,
    });
  });

  it('fails as data for an unknown block', async () => {
    const result = await api['turns.forBlock']({ id: '0'.repeat(32) });
    expect(result.ok === false && result.error.code).toBe('block-not-found');
  });
});
