import { describe, expect, it } from 'vitest';
import type { PageResult } from '../../src-main/api/contract';
import { budgetSegments } from './budget';
import {
  candidateRows,
  explain,
  filterRows,
  reasonText,
  scoreArithmetic,
  sortRows,
  topLevelTerms,
} from './candidates';

// Weights: recency 1, bm25 2; a contribution is weight x normalised.
const score = (normalized: number, rank: number, weight: number) => ({
  raw: normalized * 10,
  normalized,
  rank,
  contribution: weight * normalized,
});
const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

const result: PageResult = {
  plan: {
    session: 's',
    task: 't',
    now: 0,
    model: {
      name: 'gpt-4o',
      provider: 'openai',
      maxContextTokens: 128000,
      reservedOutputTokens: 0,
      safetyMarginTokens: 0,
      inputBudget: 1000,
      tokenizer: 'o200k_base',
      tokenizerExact: true,
      supportsSystemRole: true,
    },
    budget: { input: 100, used: 80, overhead: 10, slack: 20 },
    sections: [
      { section: 'task', allocated: 10, used: 10, overhead: 10, spillReceived: 0 },
      { section: 'retrieved', allocated: 60, used: 60, overhead: 3, spillReceived: 0 },
      { section: 'recent', allocated: 20, used: 0, overhead: 3, spillReceived: 0 },
    ],
    selected: [
      // 2 x (1 + 0.25 x 0.5) + 0.5 x 0
      {
        id: A,
        kind: 'fact',
        section: 'retrieved',
        tokens: 30,
        score: 2.25,
        reason: 'relevance',
        retrievers: { bm25: score(1, 1, 2), recency: score(0.5, 2, 1) },
        via: null,
        placement: 'text',
        caller: null,
      },
      // 1.4 x (1 + 0.25 x 0) + 0.5 x 0.2
      {
        id: B,
        kind: 'fact',
        section: 'retrieved',
        tokens: 30,
        score: 1.5,
        reason: 'relevance',
        retrievers: { bm25: score(0.7, 2, 2) },
        via: null,
        placement: 'text',
        caller: null,
      },
    ],
    // Recency alone scales nothing: 0 x (1 + 0.25 x 1) + 0.5 x 0
    omitted: [
      {
        id: C,
        kind: 'fact',
        section: 'retrieved',
        reason: 'section-budget',
        score: 0,
        tokensNeeded: 40,
        tokensLeft: 12,
        displacedBy: B,
        retrievers: { recency: score(1, 1, 1) },
      },
    ],
    retrievers: [
      { name: 'recency', weight: 1, candidates: 2, ms: 1, role: 'recency', top: 10, flat: false },
      { name: 'bm25', weight: 2, candidates: 2, ms: 1, role: 'relevance', top: 10, flat: false },
    ],
    fusion: {
      mode: 'relevance',
      formula: 'fused = max(inclusion) + sum(relevance) x (1 + 0.25 x sum(recency))',
      priorityWeight: 0.5,
      recencyBoost: 0.25,
    },
    timings: {},
    watermark: null,
  },
  prompt: { text: '', tokens: 0, promptHash: '', spans: [] },
  chat: { messages: [], cacheBoundary: null, tokens: 0, promptHash: '', spans: [] },
  blocks: {
    [A]: { preview: 'Paris museums', createdAt: 1, priority: 0 },
    [B]: { preview: 'Berlin wall', createdAt: 2, priority: 0.2 },
    [C]: { preview: 'Paris cafes', createdAt: 3, priority: 0 },
  },
  policy: {
    sectionBudgets: { state: 0, plan: 0, retrieved: 0.6, tools: 0, recent: 0.2, background: 0 },
    weights: {},
    switches: {
      includeDependencies: true,
      summarySubstitution: true,
      spill: true,
      redundancyThreshold: 1,
      priorityWeight: 0.5,
      includeTimestamps: false,
    },
  },
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
    expect(filterRows(candidateRows(result), { decision: 'omitted' }).map((r) => r.id)).toEqual([
      C,
    ]);
    expect(filterRows(candidateRows(result), { text: 'paris' }).map((r) => r.id)).toEqual([A, C]);
  });
});

describe('explain', () => {
  it('says who found an omitted block, the cut-off, what displaced it and the tokens', () => {
    const why = explain(result, C);
    expect(why?.foundBy.map((f) => f.name)).toEqual(['recency']);
    expect(why?.missedBy).toEqual(['bm25']);
    expect(why?.cutoff).toBe(1.5);
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

describe('score terms', () => {
  it("groups each retriever's contribution by its role and fuses them as the formula says", () => {
    const terms = explain(result, A)?.terms;
    expect(terms).toMatchObject({
      inclusion: [],
      relevance: [2],
      recency: [0.5],
      fused: 2.25,
      priority: 0,
    });
    for (const id of [A, B, C]) {
      const why = explain(result, id);
      expect((why?.terms?.fused ?? NaN) + 0.5 * (why?.terms?.priority ?? NaN)).toBeCloseTo(
        why?.row.score ?? NaN,
        12,
      );
    }
  });

  it('writes the arithmetic in the shape of the formula', () => {
    const arithmetic = (id: string) => {
      const why = explain(result, id);
      return why?.terms === undefined ? undefined : scoreArithmetic(why.row.score, why.terms);
    };
    expect(arithmetic(A)).toBe('2.25 = 0 + 2 x (1 + 0.25 x 0.5) + 0.5 x 0');
    expect(arithmetic(B)).toBe('1.5 = 0 + 1.4 x (1 + 0.25 x 0) + 0.5 x 0.2');
    expect(arithmetic(C)).toBe('0 = 0 + 0 x (1 + 0.25 x 1) + 0.5 x 0');
  });

  it('cuts the arithmetic between its top-level terms, for wrapping', () => {
    expect(topLevelTerms('1.5 = 0 + (1.4 + 0.1) x (1 + 0.25 x 0) + 0.5 x 0.2')).toEqual([
      '1.5',
      '= 0',
      '+ (1.4 + 0.1) x (1 + 0.25 x 0)',
      '+ 0.5 x 0.2',
    ]);
    expect(topLevelTerms('2 = max(2, 0.5) + 0.5 x 0').join(' ')).toBe('2 = max(2, 0.5) + 0.5 x 0');
  });

  it('under max fusion, takes the largest contribution', () => {
    const max = {
      ...result,
      plan: {
        ...result.plan,
        fusion: {
          mode: 'max' as const,
          formula: 'fused = max over retrievers of weight x raw / top',
          priorityWeight: 0.5,
          recencyBoost: 0.25,
        },
      },
    };
    const why = explain(max, A);
    expect(why?.terms?.fused).toBe(2);
    expect(why?.terms === undefined ? undefined : scoreArithmetic(2, why.terms)).toBe(
      '2 = max(2, 0.5) + 0.5 x 0',
    );
  });

  it('shows an unknown priority of a deleted block as a question mark', () => {
    const gone = { ...result, blocks: {} };
    const why = explain(gone, B);
    expect(why?.terms?.priority).toBeUndefined();
    expect(why?.terms === undefined ? undefined : scoreArithmetic(why.row.score, why.terms)).toBe(
      '1.5 = 0 + 1.4 x (1 + 0.25 x 0) + 0.5 x ?',
    );
  });

  it('has no terms for a trace record made before plans showed them', () => {
    const old = {
      ...result,
      plan: {
        ...result.plan,
        fusion: null,
        retrievers: result.plan.retrievers.map((r) => ({
          ...r,
          role: null,
          top: null,
          flat: null,
        })),
        selected: result.plan.selected.map((s) => ({
          ...s,
          retrievers: Object.fromEntries(
            Object.entries(s.retrievers).map(([n, v]) => [n, { ...v, contribution: null }]),
          ),
        })),
      },
    };
    const why = explain(old, A);
    expect(why?.fusion).toBeNull();
    expect(why?.terms).toBeUndefined();
    expect(why?.foundBy.map((f) => [f.name, f.role, f.flat])).toEqual([
      ['bm25', null, false],
      ['recency', null, false],
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

describe('reasonText', () => {
  it('never calls a block outside the conversation part of the recent conversation window', () => {
    expect(reasonText({ reason: 'recency', placement: 'conversation' })).toBe(
      'part of the recent conversation window',
    );
    // A global fact ranked in on a recency-led score, in a plan recorded before the pager told them apart.
    expect(reasonText({ reason: 'recency', placement: 'text' })).not.toContain(
      'conversation window',
    );
    expect(reasonText({ reason: 'relevance', placement: 'text' })).toBe(
      'ranked in by its fused score',
    );
  });
});
