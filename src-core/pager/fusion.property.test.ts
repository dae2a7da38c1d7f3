// Properties of the default (`relevance`) fusion: a retriever that says nothing about this call
// changes nothing. Random conversations and facts, random budgets and relevance scores.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { recencyRetriever, type Retriever, type ScoredId } from '../retrievers/index';
import type { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';
import { page } from './pager';
import type { Plan } from './plan';
import { fixedRetriever, MODEL, policy, propertySeed } from './test-fixtures';

const WORDS = [
  'alpha',
  'beta',
  'gamma',
  'delta',
  'invoice',
  'lisbon',
  'train',
  'cat',
  'sat',
  'the',
];
const text = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 30 })
  .map((w) => w.join(' '));
const item = fc.record({
  kind: fc.constantFrom('user-message', 'assistant-message', 'fact', 'document-chunk'),
  body: text,
});
const scenario = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 40 }),
  budget: fc.integer({ min: 80, max: 2500 }),
  seed: fc.nat(),
  flatScore: fc.double({ min: 0.01, max: 1000, noNaN: true }),
  flatWeight: fc.double({ min: 0.1, max: 5, noNaN: true }),
  jitter: fc.array(fc.double({ min: 0, max: 0.0099, noNaN: true }), {
    minLength: 1,
    maxLength: 40,
  }),
  constant: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const SEED = propertySeed('relevance fusion');
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

/** Every block written at one time, as a transcript ingested without times. */
function build(s: Scenario): Store {
  const t = tempStore();
  cleanups.push(t.cleanup);
  for (const it of s.items)
    t.store.put({ session: 's', kind: it.kind, body: it.body, createdAt: 1_700_000_000_000 });
  return t.store;
}

/** The call every property pages: the same task and time, the scenario's budget. */
const requestOf = (s: Scenario) => ({
  session: 's',
  task: 'alpha invoice',
  model: MODEL,
  budget: s.budget,
  now: 1_700_000_500_000,
});

const relevance = (s: Scenario) =>
  fixedRetriever(
    'relevance',
    (id) => ((Number.parseInt(id.slice(-6), 16) ^ s.seed) % 89) / 89 || undefined,
  );

/** A retriever scoring every block of the pool alike (constant, or within 1% of each other). */
function flatRetriever(s: Scenario): Retriever {
  return {
    name: 'flat',
    async retrieve(query, { catalog }) {
      const out: ScoredId[] = catalog.ids(query.sessions).map((id: BlockId, i) => ({
        id,
        score: s.flatScore * (1 - (s.constant ? 0 : (s.jitter[i % s.jitter.length] ?? 0))),
      }));
      return out.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : -1)).slice(0, query.limit);
    },
  };
}

/** What lands in Retrieved, and every candidate's score: the Retrieved ranking. */
function retrieved(plan: Plan) {
  const inRetrieved = plan.selected.filter((b) => b.section === 'retrieved').map((b) => b.id);
  const scores = Object.fromEntries(
    [...plan.selected, ...plan.omitted].filter((b) => b.score > 0).map((b) => [b.id, b.score]),
  );
  return { inRetrieved, scores };
}

describe('relevance fusion (property tests)', () => {
  it('with one time for every turn, Retrieved is the same with and without the recency retriever', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const store = build(s);
        const request = requestOf(s);
        const without = await page(store, request, policy([relevance(s)]));
        const withRecency = await page(store, request, policy([recencyRetriever(), relevance(s)]));
        expect(retrieved(withRecency)).toEqual(retrieved(without));
        store.close();
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('adding a retriever whose scores are constant, or all within 1% of each other, leaves the Retrieved ranking unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const store = build(s);
        const request = requestOf(s);
        const base = await page(store, request, policy([relevance(s)]));
        const added = await page(
          store,
          request,
          policy([relevance(s), { retriever: flatRetriever(s), weight: s.flatWeight }]),
        );
        expect(retrieved(added)).toEqual(retrieved(base));
        expect(added.retrievers.find((r) => r.name === 'flat')?.flat).toBe(true);
        store.close();
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the fused score is its formula over the contributions the plan shows', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const store = build(s);
        const request = requestOf(s);
        const plan = await page(
          store,
          request,
          policy([
            recencyRetriever(),
            relevance(s),
            { retriever: fixedRetriever('pinned', () => undefined), weight: 1 },
          ]),
        );
        expect(plan.fusion?.mode).toBe('relevance');
        const roles = new Map(plan.retrievers.map((r) => [r.name, r.role]));
        for (const b of [...plan.selected, ...plan.omitted]) {
          let relevanceSum = 0;
          let recencySum = 0;
          let inclusion = 0;
          for (const [name, r] of Object.entries(b.retrievers)) {
            const c = r.contribution ?? 0;
            if (roles.get(name) === 'recency') recencySum += c;
            else if (roles.get(name) === 'inclusion') inclusion = Math.max(inclusion, c);
            else relevanceSum += c;
          }
          const priority = store.requireRecord(b.id).priority;
          const fused = inclusion + relevanceSum * (1 + 0.25 * recencySum);
          expect(b.score).toBeCloseTo(fused + (plan.fusion?.priorityWeight ?? 0) * priority, 12);
        }
        store.close();
      }),
      { numRuns: 20, seed: SEED },
    );
  });
});
