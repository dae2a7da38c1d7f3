import { describe, expect, it } from 'vitest';
import type { PageResult } from '../../src-main/api/contract';
import { budgetSegments } from './budget';
import { candidateRows, explain, filterRows, sortRows } from './candidates';

const score = (normalized: number, rank: number) => ({ raw: normalized * 10, normalized, rank });
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

const result: PageResult = {
  plan: {
    session: 's',
    task: 't',
    now: 0,
    model: { name: 'gpt-4o', provider: 'openai', maxContextTokens: 128000, reservedOutputTokens: 0, safetyMarginTokens: 0, inputBudget: 1000, tokenizer: 'o200k_base', tokenizerExact: true, supportsSystemRole: true },
    budget: { input: 100, used: 80, overhead: 10, slack: 20 },
    sections: [
      { section: 'task', allocated: 10, used: 10, overhead: 10, spillReceived: 0 },
      { section: 'retrieved', allocated: 60, used: 60, overhead: 3, spillReceived: 0 },
      { section: 'recent', allocated: 20, used: 0, overhead: 3, spillReceived: 0 },
    ],
    selected: [
      { id: A, kind: 'fact', section: 'retrieved', tokens: 30, score: 0.9, reason: 'relevance', retrievers: { bm25: score(1, 1), recency: score(0.5, 2) }, via: null, placement: 'text', caller: null },
      { id: B, kind: 'fact', section: 'retrieved', tokens: 30, score: 0.7, reason: 'relevance', retrievers: { bm25: score(0.7, 2) }, via: null, placement: 'text', caller: null },
    ],
    omitted: [{ id: C, kind: 'fact', section: 'retrieved', reason: 'section-budget', score: 0.6, tokensNeeded: 40, tokensLeft: 12, displacedBy: B, retrievers: { recency: score(1, 1) } }],
    retrievers: [
      { name: 'recency', weight: 1, candidates: 2, ms: 1 },
      { name: 'bm25', weight: 2, candidates: 2, ms: 1 },
    ],
    timings: {},
    watermark: null,
  },
  prompt: { text: '', tokens: 0, promptHash: '', spans: [] },
  chat: { messages: [], cacheBoundary: null, tokens: 0, promptHash: '', spans: [] },
  blocks: { [A]: { preview: 'Paris museums', createdAt: 1 }, [B]: { preview: 'Berlin wall', createdAt: 2 }, [C]: { preview: 'Paris cafes', createdAt: 3 } },
  policy: { sectionBudgets: { state: 0, plan: 0, retrieved: 0.6, tools: 0, recent: 0.2, background: 0 }, weights: {}, switches: { includeDependencies: true, summarySubstitution: true, spill: true, redundancyThreshold: 1, priorityWeight: 0.5, includeTimestamps: false } },
  ms: 1,
};

describe('candidate rows', () => {
  it('lists selected then omitted blocks with their decision and tokens', () => {
    const rows = candidateRows(result);
    expect(rows.map((r) => [r.id, r.decision, r.tokens])).toEqual([
      [A, 'selected', 30],
      [B, 'selected', 30],
      [C, 'omitted', 40],
    ]);
  });

  it('sorts by a retriever column, blocks it did not return last', () => {
    const rows = sortRows(candidateRows(result), 'retriever:recency', 'desc');
    expect(rows.map((r) => r.id)).toEqual([C, A, B]);
  });

  it('filters by decision and by text', () => {
    expect(filterRows(candidateRows(result), { decision: 'omitted' }).map((r) => r.id)).toEqual([C]);
    expect(filterRows(candidateRows(result), { text: 'paris' }).map((r) => r.id)).toEqual([A, C]);
  });
});

describe('explain', () => {
  it('says who found an omitted block, the cut-off, what displaced it and the tokens', () => {
    const why = explain(result, C);
    expect(why?.foundBy.map((f) => f.name)).toEqual(['recency']);
    expect(why?.missedBy).toEqual(['bm25']);
    expect(why?.cutoff).toBe(0.7);
    expect(why?.displacedBy).toBe(B);
    expect([why?.tokensNeeded, why?.tokensLeft]).toEqual([40, 12]);
  });

  it('orders the retrievers of a selected block by normalised score', () => {
    expect(explain(result, A)?.foundBy.map((f) => [f.name, f.weight])).toEqual([
      ['bm25', 2],
      ['recency', 1],
    ]);
  });
});

describe('budgetSegments', () => {
  it('splits the budget into used, overhead, framing and slack', () => {
    expect(budgetSegments(result.plan).map((s) => [s.key, s.tokens])).toEqual([
      ['retrieved:used', 60],
      ['retrieved:overhead', 3],
      ['framing', 13],
      ['slack', 20],
    ]);
  });
});
