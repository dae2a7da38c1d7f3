import { describe, expect, it } from 'vitest';
import { isLlm386Error, type BlockId } from '../base/index';
import { packChat, packString, storeSource } from '../packer/index';
import { useTempStores } from '../store/test-helpers';
import { getTokenizer } from '../tokenizer/index';
import { page } from './pager';
import { mergeScores } from './scores';
import { conversation, fixedRetriever, MODEL, newestFirst, policy } from './test-fixtures';

const fresh = useTempStores();

describe('score merging', () => {
  it('normalises each retriever so inflated raw scores cannot crowd out the others', () => {
    const a = '0'.repeat(31) + 'a';
    const b = '0'.repeat(31) + 'b';
    const c = '0'.repeat(31) + 'c';
    const merged = mergeScores([
      {
        name: 'loud',
        weight: 1,
        results: [
          { id: a as BlockId, score: 1_000_000 },
          { id: b as BlockId, score: 500_000 },
        ],
      },
      { name: 'quiet', weight: 1, results: [{ id: c as BlockId, score: 0.02 }] },
    ]);
    expect(merged.get(a as BlockId)?.fused).toBe(1);
    expect(merged.get(c as BlockId)?.fused).toBe(1);
    expect(merged.get(b as BlockId)?.retrievers.loud).toEqual({
      raw: 500_000,
      normalized: 0.5,
      rank: 2,
      contribution: 0.5,
    });
  });

  it("in a page call, the quiet retriever's best facts still win places", async () => {
    const { store } = fresh();
    const facts = Array.from(
      { length: 40 },
      (_, i) =>
        store.put({ session: 's', kind: 'fact', body: `fact number ${i} with some words` }).block
          .id,
    );
    const loud = new Map(facts.slice(0, 20).map((id, i) => [id, 1e9 - i * 1e6]));
    const quiet = new Map(facts.slice(20).map((id, i) => [id, 0.5 - i * 0.01]));
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 400 },
      policy([fixedRetriever('loud', loud), fixedRetriever('quiet', quiet)]),
    );
    const picked = new Set(plan.selected.map((s) => s.id));
    expect(facts.slice(20, 23).every((id) => picked.has(id))).toBe(true);
    expect(facts.slice(0, 3).every((id) => picked.has(id))).toBe(true);
  });
});

describe('paging', () => {
  it("fits the budget, and the packed prompt is counted exactly: the plan's used, for its rendering", async () => {
    const { store } = fresh();
    conversation(store, 's', 30);
    for (let i = 0; i < 30; i++)
      store.put({ session: 's', kind: 'fact', body: `fact ${i}: the ${i}th thing is ${i * 3}` });
    store.put({ session: 's', kind: 'system', body: 'You are a careful assistant.' });
    for (const budget of [200, 500, 1200, 5000]) {
      const plan = await page(
        store,
        { session: 's', task: 'what is topic 3?', model: MODEL, budget },
        policy([newestFirst()]),
      );
      expect(plan.rendering).toBe('string');
      const source = storeSource(store, plan);
      const text = packString(plan, source);
      expect(text.tokens).toBe(getTokenizer('o200k_base').count(text.prompt));
      expect(plan.budget.used).toBe(text.tokens);
      expect(text.tokens).toBeLessThanOrEqual(budget);
      const chatPlan = await page(
        store,
        { session: 's', task: 'what is topic 3?', model: MODEL, budget, rendering: 'chat' },
        policy([newestFirst()]),
      );
      expect(packChat(chatPlan, storeSource(store, chatPlan)).tokens).toBe(chatPlan.budget.used);
      expect(chatPlan.budget.used).toBeLessThanOrEqual(budget);
    }
  });

  it('under `bound` accounting (trace records made before renderings) fits both renderings, charging every header', async () => {
    const { store } = fresh();
    conversation(store, 's', 30);
    for (const budget of [200, 500, 1200]) {
      const plan = await page(
        store,
        { session: 's', task: 'what is topic 3?', model: MODEL, budget },
        policy([newestFirst()], { accounting: undefined as unknown as 'bound' }),
      );
      expect(plan.rendering).toBeUndefined();
      const source = storeSource(store, plan);
      expect(packString(plan, source).tokens).toBeLessThanOrEqual(plan.budget.used);
      expect(packChat(plan, source).tokens).toBeLessThanOrEqual(plan.budget.used);
      expect(plan.sections.find((s) => s.section === 'state')?.overhead).toBeGreaterThan(0);
    }
  });

  it("pages a session with no blocks (an agent's first call) and says so in the warnings", async () => {
    const { store } = fresh();
    store.put({ session: 'other', kind: 'fact', body: 'elsewhere' });
    const plan = await page(
      store,
      { session: 'new', task: 'hello', model: MODEL, budget: 300 },
      policy([newestFirst()]),
    );
    expect(plan.selected).toEqual([]);
    expect(plan.warnings).toEqual([
      'session "new" holds no blocks yet: the prompt has only the task and global sessions',
    ]);
    store.put({ session: 'new', kind: 'user-message', body: 'hi' });
    expect(
      (
        await page(
          store,
          { session: 'new', task: 'hello', model: MODEL, budget: 300 },
          policy([newestFirst()]),
        )
      ).warnings,
    ).toBeUndefined();
  });

  it('refuses a budget above the one cap (10,000,000 tokens) with invalid-input', async () => {
    const { store } = fresh();
    store.put({ session: 's', kind: 'fact', body: 'x' });
    await expect(
      page(store, { session: 's', task: 't', model: MODEL, budget: 1e26 }, policy([])),
    ).rejects.toSatisfy((e: unknown) => isLlm386Error(e, 'invalid-input'));
    await expect(
      page(store, { session: 's', task: 't', model: MODEL, budget: 10_000_001 }, policy([])),
    ).rejects.toThrow(/up to 10000000/);
  });

  it('fails with budget-exceeded when the required blocks alone do not fit', async () => {
    const { store } = fresh();
    const big = store.put({ session: 's', kind: 'document-chunk', body: 'word '.repeat(500) }).block
      .id;
    await expect(
      page(
        store,
        { session: 's', task: 't', model: MODEL, budget: 100, required: [big] },
        policy([]),
      ),
    ).rejects.toSatisfy(
      (e: unknown) =>
        isLlm386Error(e, 'budget-exceeded') &&
        /need \d+ tokens but the input budget is 100/.test((e as Error).message),
    );
  });

  it('always takes required and System blocks, with their reasons', async () => {
    const { store } = fresh();
    const sys = store.put({ session: 's', kind: 'system', body: 'System rules.' }).block.id;
    const fact = store.put({ session: 's', kind: 'fact', body: 'must be there' }).block.id;
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 300, required: [fact] },
      policy([]),
    );
    expect(plan.selected.find((s) => s.id === sys)?.reason).toBe('system');
    expect(plan.selected.find((s) => s.id === fact)?.reason).toBe('required');
  });

  it('keeps the recent conversation contiguous, newest first', async () => {
    const { store } = fresh();
    conversation(store, 's', 40);
    const plan = await page(
      store,
      { session: 's', task: 'hi', model: MODEL, budget: 600 },
      policy([newestFirst()]),
    );
    const convo = plan.selected
      .filter((s) => s.placement === 'conversation' && s.kind !== 'tool-result')
      .map((s) => s.id);
    const messages = store
      .list('s', { kinds: ['user-message', 'assistant-message'] })
      .map((b) => b.id);
    expect(convo.length).toBeGreaterThan(3);
    expect(messages.slice(messages.length - convo.length)).toEqual(convo);
  });

  it('at a tight budget, the question just asked stays the last message of the conversation even when Retrieved took it', async () => {
    const { store } = fresh();
    for (let i = 0; i < 6; i++) {
      store.put({
        session: 's',
        kind: 'user-message',
        body: `question ${i} about the weather in town ${i}`,
      });
      store.put({
        session: 's',
        kind: 'assistant-message',
        body: `answer ${i}: it is sunny in town ${i}`,
      });
    }
    const asked = store.put({
      session: 's',
      kind: 'user-message',
      body: 'what about the invoices for Lisbon then?',
    }).block.id;
    const plan = await page(
      store,
      { session: 's', task: 'invoices Lisbon', model: MODEL, budget: 60 },
      policy([newestFirst(), fixedRetriever('r', new Map([[asked, 1]]))]),
    );
    const s = plan.selected.find((b) => b.id === asked);
    expect(s).toMatchObject({ section: 'recent', placement: 'conversation' });
    // Under relevance fusion a block taken on its score says relevance, never recency.
    for (const b of plan.selected) if (b.placement === 'text') expect(b.reason).not.toBe('recency');
  });

  it('keeps tool results with the assistant message that called them', async () => {
    const { store } = fresh();
    const ids = conversation(store, 's', 30);
    for (const budget of [150, 300, 700, 3000]) {
      const plan = await page(
        store,
        { session: 's', task: 'compute', model: MODEL, budget },
        policy([newestFirst(), fixedRetriever('tools', new Map(ids.tools.map((id) => [id, 1])))]),
      );
      const picked = new Set(plan.selected.map((s) => s.id));
      for (const [i, tool] of ids.tools.entries()) {
        const caller = store.edges(tool, 'in').find((e) => e.kind === 'tool-invocation')?.from;
        expect(picked.has(tool), `budget ${budget} pair ${i}`).toBe(
          caller !== undefined && picked.has(caller),
        );
      }
    }
  });

  it('substitutes a summary for blocks that do not fit, and takes it once', async () => {
    const { store } = fresh();
    const docs = [0, 1].map(
      (i) =>
        store.put({ session: 's', kind: 'fact', body: `long fact ${i} ${'detail '.repeat(200)}` })
          .block.id,
    );
    const summary = store.put({
      session: 's',
      kind: 'summary',
      body: 'short summary of both facts',
    }).block.id;
    for (const d of docs) store.addEdge(summary, 'derived-from', d);
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 300 },
      policy([fixedRetriever('r', new Map(docs.map((d) => [d, 1])))]),
    );
    expect(plan.selected.filter((s) => s.id === summary)).toHaveLength(1);
    expect(plan.selected.find((s) => s.id === summary)?.reason).toBe('summary-substitute');
    for (const d of docs)
      expect(plan.omitted.find((o) => o.id === d)).toMatchObject({
        reason: 'replaced-by-summary',
        displacedBy: summary,
      });
  });

  it('skips a candidate whose text is already in the prompt', async () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'same words' }).block.id;
    const b = store.put({ session: 's', kind: 'summary', body: 'same words' }).block.id;
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 500 },
      policy([
        fixedRetriever(
          'r',
          new Map([
            [a, 1],
            [b, 0.9],
          ]),
        ),
      ]),
    );
    expect(plan.selected.map((s) => s.id)).toContain(a);
    expect(plan.omitted.find((o) => o.id === b)).toMatchObject({
      reason: 'duplicate',
      displacedBy: a,
    });
  });

  it('drops near-duplicates above the Jaccard threshold when configured', async () => {
    const { store } = fresh();
    const a = store.put({
      session: 's',
      kind: 'fact',
      body: 'the quick brown fox jumps over the lazy dog',
    }).block.id;
    const b = store.put({
      session: 's',
      kind: 'fact',
      body: 'the quick brown fox jumps over the lazy cat',
    }).block.id;
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 500 },
      policy(
        [
          fixedRetriever(
            'r',
            new Map([
              [a, 1],
              [b, 0.9],
            ]),
          ),
        ],
        { redundancyThreshold: 0.7 },
      ),
    );
    expect(plan.omitted.find((o) => o.id === b)?.reason).toBe('duplicate');
  });

  it('lets unused section budget spill to other sections only when spill is on', async () => {
    const { store } = fresh();
    const facts = Array.from(
      { length: 60 },
      (_, i) =>
        store.put({ session: 's', kind: 'fact', body: `fact ${i} ${'x'.repeat(40)}` }).block.id,
    );
    const r = fixedRetriever('r', new Map(facts.map((id, i) => [id, 1 - i / 100])));
    const on = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 1000 },
      policy([r], { spill: true }),
    );
    const off = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 1000 },
      policy([r], { spill: false }),
    );
    expect(on.selected.length).toBeGreaterThan(off.selected.length);
    expect(on.sections.find((s) => s.section === 'retrieved')?.spillReceived).toBeGreaterThan(0);
    expect(off.omitted.every((o) => o.reason === 'section-budget')).toBe(true);
    expect(on.omitted.every((o) => o.reason === 'global-budget')).toBe(true);
  });

  it('lists every candidate exactly once, selected or omitted, with a reason', async () => {
    const { store } = fresh();
    conversation(store, 's', 25);
    const plan = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 400 },
      policy([newestFirst()]),
    );
    const ids = [...plan.selected.map((s) => s.id), ...plan.omitted.map((o) => o.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(store.blockCount());
    expect(plan.omitted.every((o) => o.reason.length > 0)).toBe(true);
  });

  it('is deterministic: same store, request and policy give the same plan and prompt', async () => {
    const { store, dir } = fresh();
    conversation(store, 's', 20);
    const run = async () => {
      const plan = await page(
        store,
        { session: 's', task: 'topic 2', model: MODEL, budget: 500, now: 1_800_000_000_000 },
        policy([newestFirst()]),
      );
      return {
        plan: JSON.stringify({
          ...plan,
          timings: {},
          retrievers: plan.retrievers.map((r) => ({ ...r, ms: 0 })),
        }),
        prompt: packString(plan, storeSource(store, plan)).prompt,
      };
    };
    const first = await run();
    expect(await run()).toEqual(first);
    void dir;
  });
});
