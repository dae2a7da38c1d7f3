import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/index';
import { conversation, MODEL } from '../pager/test-fixtures';
import { Store } from '../store/index';
import { useTempStores } from '../store/test-helpers';
import { applyOverrides, livePolicy, recordedPolicy, tracedCall } from './call';
import { replay, whatIf } from './replay';
import {
  flushTraces,
  getTrace,
  getTraceSummary,
  listTraces,
  listTraceSummaries,
  recordOutput,
  SUMMARY_OUTPUT_LENGTH,
  tracePrompt,
  traceSummary,
} from './trace';

const fresh = useTempStores();
const policy = recordedPolicy(DEFAULT_CONFIG);

async function recorded(budget = 800, mode: 'string' | 'chat' | 'openai' | 'anthropic' = 'string') {
  const t = fresh();
  conversation(t.store, 's', 25);
  for (let i = 0; i < 20; i++)
    t.store.put({
      session: 's',
      kind: 'fact',
      body: `fact ${i}: topic ${i % 7} is about ${i * 11}`,
    });
  const call = await tracedCall(
    t.store,
    {
      session: 's',
      task: 'what about topic 3?',
      model: MODEL,
      budget,
      now: 1_800_000_000_000,
      mode,
    },
    policy,
  );
  await call.recorded;
  return { ...t, call };
}

describe('trace records', () => {
  it('keep task, policy, model, watermark, plan and the exact prompt bytes under their hash', async () => {
    const { store, call } = await recorded();
    const record = getTrace(store, call.record.callId);
    expect(record).toMatchObject({
      session: 's',
      task: 'what about topic 3?',
      formatVersion: 1,
      mode: 'string',
      budget: 800,
    });
    expect(record.watermark).toBe(store.watermark());
    expect(record.model.name).toBe('gpt-4o');
    expect(record.plan.selected.length).toBeGreaterThan(0);
    expect(tracePrompt(store, record)?.toString('utf8')).toBe(call.prompt?.prompt);
    expect(listTraces(store, 's').map((r) => r.callId)).toEqual([record.callId]);
  });

  it('record the output and usage after the model answers', async () => {
    const { store, call } = await recorded();
    await recordOutput(store, call.record.callId, 'Topic 3 is about 33.', {
      inputTokens: 700,
      outputTokens: 9,
    });
    expect(getTrace(store, call.record.callId).output).toMatchObject({
      text: 'Topic 3 is about 33.',
      usage: { inputTokens: 700, outputTokens: 9 },
    });
  });

  it('are store changes (a live view of turns sees a new call and a recorded output), without touching any block', async () => {
    const { store, call } = await recorded();
    await call.recorded;
    const before = store.changeSeq();
    const blocks = store.list('s').length;
    await recordOutput(store, call.record.callId, 'done');
    expect(store.changeSeq()).toBe(before + 1);
    expect(store.changesSince(before)).toEqual([
      { op: 'trace', id: call.record.callId, session: 's', seq: before + 1 },
    ]);
    expect(store.list('s').length).toBe(blocks);
    const again = await tracedCall(
      store,
      { session: 's', task: 'topic 3', model: MODEL, budget: 800, mode: 'chat' },
      policy,
    );
    await again.recorded;
    expect(store.changesSince(before + 1).map((c) => c.op)).toEqual(['trace']);
  });
});

describe('trace summaries', () => {
  it('list a session without decoding plans, and follow the recorded output', async () => {
    const { store, call } = await recorded();
    const record = getTrace(store, call.record.callId);
    expect(listTraceSummaries(store, 's')).toEqual([traceSummary(record)]);
    expect(listTraceSummaries(store, 's')[0]).toMatchObject({
      selected: record.plan.selected.length,
      omitted: record.plan.omitted.length,
      inputBudget: 800,
      hasOutput: false,
    });
    await recordOutput(store, call.record.callId, 'done');
    expect(listTraceSummaries(store, 's')[0]?.hasOutput).toBe(true);
  });

  it('carry what a list of turns shows: the output line, usage, when it was recorded, runtime, prices, write watermark', async () => {
    const { store, call } = await recorded();
    const id = call.record.callId;
    expect(getTraceSummary(store, 's', id)).toMatchObject({
      output: null,
      prices: { input: 2.5, output: 10 },
      watermarkSeq: call.record.plan.watermarkSeq,
    });
    expect(getTraceSummary(store, 's', id)?.runtimeMs).toBeGreaterThan(0);
    const long = `Topic 3\n\n  is about 33.${' x'.repeat(SUMMARY_OUTPUT_LENGTH)}`;
    await recordOutput(store, id, long, { inputTokens: 700, outputTokens: 9 }, 1_800_000_000_500);
    const summary = getTraceSummary(store, 's', id);
    expect(summary?.output).toEqual({
      line: long.replace(/\s+/g, ' ').slice(0, SUMMARY_OUTPUT_LENGTH),
      whole: false,
      chars: long.length,
      recordedAt: 1_800_000_000_500,
      usage: { inputTokens: 700, outputTokens: 9 },
    });
    await recordOutput(store, id, ' short\tanswer ');
    expect(getTraceSummary(store, 's', id)?.output).toMatchObject({
      line: ' short answer ',
      whole: true,
      chars: 14,
    });
    expect(getTraceSummary(store, 'other', id)).toBeUndefined();
    expect(getTraceSummary(store, 's', '0'.repeat(32))).toBeUndefined();
  });

  it('are made from the record for traces written before summaries were kept', async () => {
    const { store, call } = await recorded();
    store.db.traceSessions.putSync(['s', call.record.callId], null);
    expect(listTraceSummaries(store, 's')).toEqual([
      traceSummary(getTrace(store, call.record.callId)),
    ]);
    expect(getTraceSummary(store, 's', call.record.callId)).toEqual(
      traceSummary(getTrace(store, call.record.callId)),
    );
  });
});

describe('recording behind the call', () => {
  it('serves a trace from memory until it is written, and flushTraces waits for the write', async () => {
    const t = fresh();
    conversation(t.store, 's', 5);
    const call = await tracedCall(
      t.store,
      { session: 's', task: 't', model: MODEL, budget: 500 },
      policy,
    );
    expect(getTrace(t.store, call.record.callId).promptHash).toBe(call.promptHash);
    expect(listTraces(t.store, 's').map((r) => r.callId)).toEqual([call.record.callId]);
    expect(t.store.db.traces.get(call.record.callId)).toBeUndefined();
    await flushTraces(t.store);
    expect((t.store.db.traces.get(call.record.callId) as { promptHash: string }).promptHash).toBe(
      call.promptHash,
    );
    expect(tracePrompt(t.store, getTrace(t.store, call.record.callId))?.toString('utf8')).toBe(
      call.prompt?.prompt,
    );
  });
});

describe('replay', () => {
  it('is identical for a recorded call, in every mode, even after later writes and a reopen', async () => {
    for (const mode of ['string', 'chat', 'openai', 'anthropic'] as const) {
      const { store, dir, call } = await recorded(800, mode);
      conversation(store, 's', 5, 1_900_000_000_000);
      store.close();
      const again = Store.open(dir);
      const report = await replay(again, call.record.callId);
      expect(report, mode).toMatchObject({ identical: true, missing: [] });
      again.close();
    }
  });

  it('reports deleted blocks instead of crashing', async () => {
    const { store, call } = await recorded();
    const victim = call.plan.selected.find((s) => s.kind === 'fact' || s.kind === 'user-message');
    store.delete(victim?.id as string);
    const report = await replay(store, call.record.callId);
    expect(report.identical).toBe(false);
    expect(report.missing).toContain(victim?.id);
    expect(report.divergence?.stage).toBe('store');
  });
});

describe('what-if', () => {
  it('with a halved budget returns a plan within it and names the cause of each removal', async () => {
    const { store, call } = await recorded(1200);
    const result = await whatIf(store, call.record.callId, { budget: 600 });
    expect(result.plan.budget.input).toBe(600);
    expect(result.tokens).toBeLessThanOrEqual(600);
    expect(result.diff.removed.length).toBeGreaterThan(0);
    for (const r of result.diff.removed) expect(r.cause).toBeTruthy();
    expect(result.diff.summary).toMatch(/^\+\d+ -\d+ ~\d+ \([+-]\d+ tokens\)$/);
  });

  it('applies weights, fractions and switches, and rejects unknown retrievers', async () => {
    const { store, call } = await recorded(1200);
    const r = await whatIf(store, call.record.callId, {
      weights: { recency: 0 },
      sectionBudgets: { recent: 0.05, retrieved: 0.6 },
      switches: { spill: false },
    });
    expect(r.plan.sections.find((s) => s.section === 'recent')?.allocated).toBeLessThan(
      call.plan.sections.find((s) => s.section === 'recent')?.allocated ?? 0,
    );
    await expect(whatIf(store, call.record.callId, { weights: { nope: 1 } })).rejects.toThrow(
      /no retriever "nope"/,
    );
    await expect(
      whatIf(store, call.record.callId, { sectionBudgets: { recent: 0.9 } }),
    ).rejects.toThrow(/sum to/);
  });
});

describe('live policies', () => {
  it('reuse the retriever instances of a stack per open store, with the weights of each policy', async () => {
    const { store } = fresh();
    const a = await livePolicy(policy, store);
    const weighted = applyOverrides(policy, { weights: { bm25: 3 } });
    const b = await livePolicy(weighted, store);
    expect(b.retrievers.map((r) => r.retriever)).toEqual(a.retrievers.map((r) => r.retriever));
    expect(b.retrievers.every((r, i) => r.retriever === a.retrievers[i]?.retriever)).toBe(true);
    expect(b.retrievers.find((r) => r.retriever.name === 'bm25')?.weight).toBe(3);
    expect(a.retrievers.find((r) => r.retriever.name === 'bm25')?.weight).toBe(1);
    // Another stack, or another store, gets its own instances.
    const other = await livePolicy(
      { ...policy, retrievers: policy.retrievers.filter((r) => r.kind !== 'ann') },
      store,
    );
    expect(other.retrievers[0]?.retriever).not.toBe(a.retrievers[0]?.retriever);
    const elsewhere = await livePolicy(policy, fresh().store);
    expect(elsewhere.retrievers[0]?.retriever).not.toBe(a.retrievers[0]?.retriever);
  });

  it('give a what-if the same plan as a fresh process would (replay stays identical after what-ifs)', async () => {
    const { store, call } = await recorded();
    const first = await whatIf(store, call.record.callId, { weights: { bm25: 2 } });
    await whatIf(store, call.record.callId, { weights: { ann: 0 } });
    const again = await whatIf(store, call.record.callId, { weights: { bm25: 2 } });
    expect(again.promptHash).toBe(first.promptHash);
    expect((await replay(store, call.record.callId)).identical).toBe(true);
  });
});
