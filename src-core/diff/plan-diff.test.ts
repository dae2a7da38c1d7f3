import { afterEach, describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { page, type Plan } from '../pager/index';
import { conversation, fixedRetriever, MODEL, policy } from '../pager/test-fixtures';
import type { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';
import { diffPlans } from './plan-diff';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function fresh(): Store {
  const t = tempStore();
  cleanups.push(t.cleanup);
  return t.store;
}
const NOW = 1_700_001_000_000;

/** Eight facts of 14 tokens each; the retriever scores fact i at 1 - i/10. */
function factStore() {
  const store = fresh();
  const facts = Array.from(
    { length: 8 },
    (_, i) =>
      store.put({
        session: 's',
        kind: 'fact',
        body: `fact ${i}: the value of item ${i} is ${i * 11}`,
      }).block.id,
  );
  const scores = new Map<BlockId, number>(facts.map((f, i) => [f, 1 - i / 10]));
  const pol = policy([fixedRetriever('r', scores)]);
  const pageAt = (budget: number, required?: string[]) =>
    page(
      store,
      {
        session: 's',
        task: 'values',
        model: MODEL,
        budget,
        now: NOW,
        ...(required === undefined ? {} : { required }),
      },
      pol,
    );
  return { store, facts, scores, pageAt };
}

describe('diffPlans on real plans', () => {
  it('a halved budget removes the lowest-scoring facts, each for budget-shrank', async () => {
    const { facts, pageAt } = factStore();
    const a = await pageAt(200);
    // 55 tokens hold the task, the Retrieved header and three facts (empty sections cost nothing).
    const b = await pageAt(55);
    const diff = diffPlans(a, b);
    expect(diff.summary).toBe('+0 -5 ~0 (-70 tokens)');
    expect(diff.added).toEqual([]);
    expect(diff.removed.map((r) => r.id)).toEqual(facts.slice(3));
    for (const r of diff.removed) {
      expect(r).toMatchObject({
        kind: 'fact',
        section: 'retrieved',
        tokens: 14,
        cause: 'budget-shrank',
        omitReason: 'global-budget',
        displacedBy: facts[2],
      });
      expect(r.detail).toMatch(/the input budget shrank from 200 to 55 tokens$/);
    }
    expect(diff.tokenDelta).toBe(-70);
    expect(diff.budget).toEqual({ before: 200, after: 55 });
    expect(diff.sections.find((s) => s.section === 'retrieved')).toEqual({
      section: 'retrieved',
      before: 112,
      after: 42,
      delta: -70,
    });
    expect(diff.sections.map((s) => s.section)).toEqual([
      'system',
      'task',
      'state',
      'plan',
      'retrieved',
      'tools',
      'recent',
      'background',
    ]);
    expect(diff.retrievers).toEqual([]);
  });

  it('a deleted block is block-deleted; a block pushed out by new higher-scoring blocks is displaced', async () => {
    const { store, facts, scores, pageAt } = factStore();
    const a = await pageAt(120);
    expect(a.selected.map((s) => s.id)).toEqual(facts.slice(0, 7));
    store.delete(facts[2] as string);
    const news = [8, 9].map(
      (i) =>
        store.put({
          session: 's',
          kind: 'fact',
          body: `fact ${i}: the value of item ${i} is ${i * 11}`,
        }).block.id,
    );
    for (const n of news) scores.set(n, 2);
    const b = await pageAt(120);
    const exists = (id: BlockId) => store.getRecord(id) !== undefined;
    const diff = diffPlans(a, b, { exists });

    expect(diff.summary).toBe('+2 -2 ~0 (+0 tokens)');
    expect(diff.added.map((x) => [x.id, x.reason, x.section, x.tokens])).toEqual(
      news.map((n) => [n, 'relevance', 'retrieved', 14]),
    );
    const displacer = b.omitted.find((o) => o.id === facts[6])?.displacedBy;
    expect(displacer).toBeDefined();
    expect(diff.removed.map((r) => [r.id, r.cause, r.displacedBy])).toEqual([
      [facts[2], 'block-deleted', undefined],
      [facts[6], 'displaced', displacer],
    ]);
    // Without the existence check, a block the after plan never saw also counts as deleted.
    expect(diffPlans(a, b).removed.map((r) => r.cause)).toEqual(['block-deleted', 'displaced']);
    // The new maximum halves every old fact's normalised score and moves it down two ranks.
    expect(diff.retrievers.find((r) => r.id === facts[0])).toEqual({
      id: facts[0],
      retriever: 'r',
      before: { raw: 1, normalized: 1, rank: 1, contribution: 1 },
      after: { raw: 1, normalized: 0.5, rank: 3, contribution: 0.5 },
    });
    expect(diff.retrievers.map((r) => r.id)).toEqual([
      facts[0],
      facts[1],
      facts[3],
      facts[4],
      facts[5],
      facts[6],
    ]);
  });

  it('a block selected for another reason is changed, not added or removed', async () => {
    const { facts, pageAt } = factStore();
    const diff = diffPlans(await pageAt(400), await pageAt(400, [facts[5] as string]));
    expect(diff.summary).toBe('+0 -0 ~1 (+0 tokens)');
    expect(diff.changed).toEqual([
      {
        id: facts[5],
        kind: 'fact',
        before: { section: 'retrieved', reason: 'relevance', tokens: 14 },
        after: { section: 'retrieved', reason: 'required', tokens: 14 },
      },
    ]);
  });

  it('messages cut from a shorter conversation window, and the blocks they pulled in, are budget-shrank', async () => {
    const store = fresh();
    conversation(store, 's', 12);
    const pol = policy([]);
    const a = await page(
      store,
      { session: 's', task: 'hi', model: MODEL, budget: 800, now: NOW },
      pol,
    );
    const b = await page(
      store,
      { session: 's', task: 'hi', model: MODEL, budget: 330, now: NOW },
      pol,
    );
    const diff = diffPlans(a, b, { exists: (id) => store.getRecord(id) !== undefined });
    expect(diff.summary).toBe('+0 -8 ~0 (-94 tokens)');
    expect(new Set(diff.removed.map((r) => r.kind))).toEqual(
      new Set(['user-message', 'assistant-message', 'tool-result']),
    );
    for (const r of diff.removed) expect(r.cause).toBe('budget-shrank');
  });

  it('blocks that a summary stands in for are replaced-by-summary, naming the summary', async () => {
    const store = fresh();
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
    const pol = policy([fixedRetriever('r', new Map(docs.map((d) => [d, 1])))]);
    const a = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 2000, now: NOW },
      pol,
    );
    const b = await page(
      store,
      { session: 's', task: 't', model: MODEL, budget: 300, now: NOW },
      pol,
    );
    const diff = diffPlans(a, b);
    expect(diff.added.map((x) => [x.id, x.reason])).toEqual([[summary, 'summary-substitute']]);
    expect(diff.removed.map((r) => [r.id, r.cause, r.displacedBy])).toEqual(
      docs.map((d) => [d, 'replaced-by-summary', summary]),
    );
  });

  it('comparing a plan with itself finds nothing', async () => {
    const { pageAt } = factStore();
    const a = await pageAt(150);
    const diff = diffPlans(a, a);
    expect(diff).toMatchObject({
      summary: '+0 -0 ~0 (+0 tokens)',
      added: [],
      removed: [],
      changed: [],
      retrievers: [],
      tokenDelta: 0,
    });
  });
});

// Hand-built plans pin down the cause precedence, case by case.
const id = (n: number) => n.toString(16).padStart(32, '0') as BlockId;
type Sel = Plan['selected'][number];
type Omit = Plan['omitted'][number];
const sel = (n: number, extra: Partial<Sel> = {}): Sel => ({
  id: id(n),
  kind: 'fact',
  hash: `h${n}`,
  section: 'retrieved',
  tokens: 10,
  score: 0.5,
  reason: 'relevance',
  retrievers: {},
  placement: 'text',
  ...extra,
});
const omit = (n: number, reason: Omit['reason'], extra: Partial<Omit> = {}): Omit => ({
  id: id(n),
  kind: 'fact',
  section: 'retrieved',
  reason,
  score: 0.5,
  tokensNeeded: 10,
  tokensLeft: 0,
  retrievers: {},
  ...extra,
});
function plan(input: number, selected: Sel[], omitted: Omit[] = [], allocated = 100): Plan {
  const used = selected.reduce((s, x) => s + x.tokens, 0);
  return {
    session: 's',
    task: 't',
    now: NOW,
    model: MODEL,
    budget: { input, used, overhead: 0, slack: input - used },
    sections: [{ section: 'retrieved', allocated, used, overhead: 0, spillReceived: 0 }],
    selected,
    omitted,
    retrievers: [],
    timings: {},
    watermark: null,
  };
}
const causeOf = (a: Plan, b: Plan, exists?: (id: BlockId) => boolean) => {
  const [r] = diffPlans(a, b, { exists }).removed;
  return [r?.cause, r?.displacedBy];
};

describe('removal causes, most specific first', () => {
  const before = plan(1000, [sel(1)]);
  it('block-deleted beats any omit reason when the block is gone', () => {
    expect(
      causeOf(before, plan(1000, [], [omit(1, 'duplicate', { displacedBy: id(2) })]), () => false),
    ).toEqual(['block-deleted', undefined]);
  });
  it('duplicate, replaced-by-summary and pair-incomplete come from the after plan, with the block that took the place', () => {
    expect(
      causeOf(before, plan(1000, [sel(2)], [omit(1, 'duplicate', { displacedBy: id(2) })])),
    ).toEqual(['duplicate', id(2)]);
    expect(
      causeOf(
        before,
        plan(1000, [sel(3)], [omit(1, 'replaced-by-summary', { displacedBy: id(3) })]),
      ),
    ).toEqual(['replaced-by-summary', id(3)]);
    expect(causeOf(before, plan(1000, [], [omit(1, 'pair-incomplete')]))).toEqual([
      'pair-incomplete',
      undefined,
    ]);
  });
  it('a budget omission under a smaller input budget is budget-shrank, keeping the displacer', () => {
    expect(
      causeOf(
        before,
        plan(500, [sel(2)], [omit(1, 'global-budget', { displacedBy: id(2), score: 0.1 })]),
      ),
    ).toEqual(['budget-shrank', id(2)]);
  });
  it('a budget omission in a section allocated less is budget-shrank', () => {
    expect(causeOf(before, plan(1000, [], [omit(1, 'section-budget')], 50))).toEqual([
      'budget-shrank',
      undefined,
    ]);
  });
  it('under the same budget, a named displacer makes it displaced, even when its score also fell', () => {
    expect(
      causeOf(
        before,
        plan(1000, [sel(2)], [omit(1, 'section-budget', { displacedBy: id(2), score: 0.1 })]),
      ),
    ).toEqual(['displaced', id(2)]);
  });
  it('with no displacer named, a lower score makes it score-fell, else it is displaced by nobody in particular', () => {
    expect(causeOf(before, plan(1000, [], [omit(1, 'section-budget', { score: 0.1 })]))).toEqual([
      'score-fell',
      undefined,
    ]);
    expect(causeOf(before, plan(1000, [], [omit(1, 'section-budget')]))).toEqual([
      'displaced',
      undefined,
    ]);
  });
  it('a low-score omission is score-fell', () => {
    expect(causeOf(before, plan(1000, [], [omit(1, 'low-score', { score: 0 })]))).toEqual([
      'score-fell',
      undefined,
    ]);
  });
  it('a block the after plan never saw is block-deleted, or score-fell when it still exists', () => {
    expect(causeOf(before, plan(1000, []))).toEqual(['block-deleted', undefined]);
    expect(causeOf(before, plan(1000, []), () => true)).toEqual(['score-fell', undefined]);
  });
  it('a pulled-in block takes the cause of the block that pulled it in, or dependency-dropped when that block stayed', () => {
    const a = plan(1000, [sel(1), sel(5, { reason: 'dependency', via: id(1) })]);
    const gone = diffPlans(
      a,
      plan(1000, [sel(2)], [omit(1, 'section-budget', { displacedBy: id(2) })]),
      { exists: () => true },
    );
    expect(gone.removed.map((r) => [r.id, r.cause, r.displacedBy])).toEqual([
      [id(1), 'displaced', id(2)],
      [id(5), 'displaced', id(2)],
    ]);
    expect(gone.removed[1]?.detail).toMatch(
      /^it came in with 0+1 \(dependency\), removed because did not fit/,
    );
    const stayed = diffPlans(a, plan(1000, [sel(1)]), { exists: () => true });
    expect(stayed.removed.map((r) => [r.id, r.cause])).toEqual([[id(5), 'dependency-dropped']]);
  });
});

describe('summary and retriever rows', () => {
  it('signs the token delta', () => {
    expect(
      diffPlans(plan(100, [sel(1, { tokens: 30 })]), plan(100, [sel(2, { tokens: 10 })])).summary,
    ).toBe('+1 -1 ~0 (-20 tokens)');
    expect(
      diffPlans(
        plan(100, [sel(1, { tokens: 10 })]),
        plan(100, [sel(1, { tokens: 10 }), sel(2, { tokens: 5 })]),
      ).summary,
    ).toBe('+1 -0 ~0 (+5 tokens)');
  });
  it('reports a retriever that scored a block in only one plan with null on the other side', () => {
    const a = plan(100, [sel(1, { retrievers: { bm25: { raw: 3, normalized: 1, rank: 1 } } })]);
    const b = plan(100, [
      sel(1, {
        retrievers: {
          bm25: { raw: 3, normalized: 1, rank: 1 },
          recency: { raw: 0.2, normalized: 0.4, rank: 2 },
        },
      }),
    ]);
    expect(diffPlans(a, b).retrievers).toEqual([
      {
        id: id(1),
        retriever: 'recency',
        before: null,
        after: { raw: 0.2, normalized: 0.4, rank: 2 },
      },
    ]);
  });
  it('is JSON-safe: a round trip changes nothing', () => {
    const a = plan(100, [sel(1), sel(2, { section: 'background' })]);
    const b = plan(
      50,
      [sel(2, { section: 'retrieved', reason: 'pinned' })],
      [omit(1, 'global-budget')],
    );
    const diff = diffPlans(a, b);
    expect(JSON.parse(JSON.stringify(diff))).toEqual(diff);
  });
});
