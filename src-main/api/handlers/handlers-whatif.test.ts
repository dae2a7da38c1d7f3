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
let callId: string;
let budget: number;
let deletedCall: string;

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-whatif-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  store.put({
    session: 'alpha',
    kind: 'system',
    body: 'You are a careful travel agent.',
    createdAt: t0,
  });
  for (let i = 0; i < 30; i++) {
    const topic = i % 2 === 0 ? 'Paris museums and the Louvre' : 'Berlin history and the wall';
    store.put({
      session: 'alpha',
      kind: 'fact',
      body: `Fact ${i}: ${topic}. ${'More detail. '.repeat(10)}`,
      createdAt: t0 + 1000 + i,
    });
  }
  store.put({
    session: 'alpha',
    kind: 'user-message',
    body: 'Which museums are open in Paris?',
    createdAt: t0 + 5000,
  });
  const policy = recordedPolicy(DEFAULT_CONFIG);
  const model = findProfile('gpt-4o', DEFAULT_CONFIG.profiles);
  budget = 1200;
  const first = await tracedCall(
    store,
    {
      session: 'alpha',
      task: 'Which museums are open in Paris?',
      model,
      budget,
      now: t0 + 6000,
      mode: 'chat',
    },
    policy,
  );
  await first.recorded;
  callId = first.record.callId;
  // A second turn whose blocks are later deleted: its replay diverges at the store.
  const doomed = store.put({
    session: 'alpha',
    kind: 'fact',
    body: 'The Louvre opens at 9.',
    createdAt: t0 + 7000,
  }).block.id;
  const second = await tracedCall(
    store,
    {
      session: 'alpha',
      task: 'When does the Louvre open?',
      model,
      budget,
      now: t0 + 8000,
      mode: 'string',
    },
    policy,
  );
  await second.recorded;
  deletedCall = second.record.callId;
  store.delete(doomed);
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('whatif.run', () => {
  it('without overrides re-pages to the recording: no changes, same prompt hash', async () => {
    const result = value(await api['whatif.run']({ callId }));
    expect(result.sameAsRecording).toBe(true);
    expect(result.diff.summary).toBe('+0 -0 ~0 (+0 tokens)');
    expect(result.turn.callId).toBe(callId);
    expect(result.recordedPolicy).toEqual(result.policy);
    expect(result.plan.budget.input).toBe(budget);
    // Made for the chat rendering it was sent as: its used tokens are exact, and the split says so.
    expect(result.plan.rendering).toBe('chat');
    expect(result.recorded.rendering).toBe('chat');
  });

  it('without overrides still diffs empty, scores included, after the store has grown (the store as it was)', async () => {
    // Written after the call: facts that match its task better, one fact again into the session.
    const t = Date.UTC(2026, 0, 2);
    for (let i = 0; i < 40; i++)
      store.put({
        session: 'alpha',
        kind: 'fact',
        body: `Later ${i}: Paris museums open, the Louvre and the Orsay, are open late on Fridays.`,
        createdAt: t + i,
      });
    store.put({
      session: 'beta',
      kind: 'fact',
      body: 'Fact 0: Paris museums and the Louvre. ' + 'More detail. '.repeat(10),
    });
    const result = value(await api['whatif.run']({ callId }));
    expect(result.diff.summary).toBe('+0 -0 ~0 (+0 tokens)');
    expect(result.diff.retrievers).toEqual([]);
    expect(result.sameAsRecording).toBe(true);
  });

  it('with half the budget removes blocks, each with a cause, and stays within the new budget', async () => {
    const result = value(await api['whatif.run']({ callId, overrides: { budget: budget / 2 } }));
    expect(result.plan.budget.input).toBe(budget / 2);
    expect(result.plan.budget.used).toBeLessThanOrEqual(budget / 2);
    expect(result.diff.budget).toEqual({ before: budget, after: budget / 2 });
    expect(result.diff.removed.length).toBeGreaterThan(0);
    for (const removed of result.diff.removed) {
      expect(removed.cause).toBe('budget-shrank');
      expect(removed.detail).not.toBe('');
      expect(result.blocks[removed.id]?.exists).toBe(true);
    }
    expect(result.sameAsRecording).toBe(false);
  });

  it('applies weights, fractions and switches, and reports the policy it ran with', async () => {
    const result = value(
      await api['whatif.run']({
        callId,
        overrides: {
          weights: { recency: 0 },
          sectionBudgets: { recent: 0.1 },
          switches: { spill: false, priorityWeight: 2 },
        },
      }),
    );
    expect(result.policy.weights['recency']).toBe(0);
    expect(result.policy.sectionBudgets.recent).toBe(0.1);
    expect(result.policy.switches).toMatchObject({ spill: false, priorityWeight: 2 });
    expect(result.recordedPolicy.switches.spill).toBe(true);
    expect(result.plan.retrievers.find((r) => r.name === 'recency')?.weight).toBe(0);
  });

  it('changes the model', async () => {
    const models = value(await api['models.list']({}));
    const other = models.models.find((m) => m.name !== 'gpt-4o')!;
    const result = value(await api['whatif.run']({ callId, overrides: { model: other.name } }));
    expect(result.plan.model.name).toBe(other.name);
  });

  it('fails as data: unknown call, unknown retriever, unknown model, fractions over 1', async () => {
    const unknown = await api['whatif.run']({ callId: 'f'.repeat(32) });
    expect(unknown.ok === false && unknown.error.code).toBe('trace-not-found');
    const retriever = await api['whatif.run']({ callId, overrides: { weights: { nope: 1 } } });
    expect(retriever.ok === false && retriever.error.message).toMatch(/no retriever "nope"/);
    const model = await api['whatif.run']({ callId, overrides: { model: 'gpt-0' } });
    expect(model.ok === false && model.error.code).toBe('unknown-model');
    const over = await api['whatif.run']({
      callId,
      overrides: { sectionBudgets: { retrieved: 0.9, recent: 0.9 } },
    });
    expect(over.ok === false && over.error.code).toBe('invalid-input');
  });
});

describe('whatif.detail', () => {
  it('gives the same what-if with its candidates and its prompt, whose sent rendering has the what-if hash', async () => {
    const overrides = { budget: budget / 2 };
    const run = value(await api['whatif.run']({ callId, overrides }));
    const detail = value(await api['whatif.detail']({ callId, overrides }));
    expect(detail.promptHash).toBe(run.promptHash);
    expect(detail.mode).toBe('chat');
    expect(run.retrievers.map((r) => r.name)).toEqual(Object.keys(run.recordedPolicy.weights));
    expect(run.retrievers.find((r) => r.name === 'bm25')?.kind).toBe('bm25');
    expect(detail.chat.promptHash).toBe(run.promptHash);
    expect(detail.plan.sections).toEqual(run.plan.sections);
    expect(detail.plan.selected).toHaveLength(run.plan.selected);
    expect(detail.plan.omitted).toEqual([]);
    expect(detail.omitted.id).toHaveLength(run.plan.omitted);
    // What the budget left out is among the omitted candidates, with a preview.
    for (const removed of run.diff.removed) expect(detail.omitted.id).toContain(removed.id);
    for (const s of detail.plan.selected) expect(detail.blocks[s.id]?.preview).not.toBe('');
    // Every selected block has a span in the prompt.
    const spans = new Set(detail.chat.spans.map((s) => s.id));
    for (const s of detail.plan.selected)
      if (s.reason !== 'system') expect(spans.has(s.id)).toBe(true);
  });

  it('without overrides the prompt is the recording’s', async () => {
    const detail = value(await api['whatif.detail']({ callId }));
    const recorded = value(await api['turns.prompt']({ callId }));
    expect(detail.chat.messages).toEqual(recorded.chat?.messages);
    expect(detail.promptHash).toBe(value(await api['turns.get']({ callId })).turn.promptHash);
  });

  it('settings that cannot be paged fail as data, as whatif.run does', async () => {
    const result = await api['whatif.detail']({
      callId,
      overrides: { sectionBudgets: { retrieved: 0.9, recent: 0.9 } },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-input');
  });
});

describe('whatif.replay', () => {
  it('says identical for a recorded turn', async () => {
    const report = value(await api['whatif.replay']({ callId }));
    expect(report).toMatchObject({
      callId,
      identical: true,
      divergence: null,
      diff: null,
      missing: [],
    });
    expect(report.replayedHash).toBe(report.recordedHash);
  });

  it('says where a replay diverged when a recorded block was deleted', async () => {
    const report = value(await api['whatif.replay']({ callId: deletedCall }));
    expect(report.identical).toBe(false);
    expect(report.missing).toHaveLength(1);
    expect(report.divergence).toMatchObject({ stage: 'store', blockId: report.missing[0] });
    expect(report.diff?.removed.find((r) => r.id === report.missing[0])?.cause).toBe(
      'block-deleted',
    );
    expect(report.blocks[report.missing[0]!]).toEqual({ preview: null, exists: false });
  });

  it('fails as data for an unknown call id', async () => {
    const result = await api['whatif.replay']({ callId: '0'.repeat(32) });
    expect(result.ok === false && result.error.code).toBe('trace-not-found');
  });
});

describe('the budget cap', () => {
  it('is the same in the contract as in src-core (MAX_BUDGET_TOKENS)', async () => {
    const { MAX_BUDGET_TOKENS } = await import('../../../src-core/index');
    const { pageOverrides } = await import('../contract/contract-atoms');
    expect(pageOverrides.budget.safeParse(MAX_BUDGET_TOKENS).success).toBe(true);
    expect(pageOverrides.budget.safeParse(MAX_BUDGET_TOKENS + 1).success).toBe(false);
  });
});
