import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PlanView, RetrieverScoreView, TurnDetail } from '../../src-main/api/contract';
import { WhyPanel } from './why-panel';

const X = 'a'.repeat(32);
const P = 'b'.repeat(32);
const score = (
  raw: number,
  normalized: number,
  rank: number,
  contribution: number | null,
): RetrieverScoreView => ({ raw, normalized, rank, contribution });

// The plan of a `turns.get` answer as the fake API gives it: scores as the pager recorded them.
const plan: PlanView = {
  session: 's',
  task: 'Which museums are closed on Tuesday?',
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
  budget: { input: 1000, used: 80, overhead: 10, slack: 920 },
  sections: [{ section: 'retrieved', allocated: 550, used: 60, overhead: 3, spillReceived: 0 }],
  selected: [
    {
      id: X,
      kind: 'fact',
      section: 'retrieved',
      tokens: 30,
      score: 1.22383035,
      reason: 'relevance',
      retrievers: {
        bm25: score(7.1, 0.83174, 1, 0.83174),
        ann: score(0.2, 0.4, 3, 0.1),
        lexical: score(5, 0.99, 2, 0),
        recency: score(0.61, 0.61, 4, 0.61),
      },
      via: null,
      placement: 'text',
      caller: null,
    },
    {
      id: P,
      kind: 'fact',
      section: 'retrieved',
      tokens: 30,
      score: 1.2,
      reason: 'pinned',
      retrievers: { pinned: score(1, 1, 1, 1), bm25: score(1.7, 0.2, 2, 0.2) },
      via: null,
      placement: 'text',
      caller: null,
    },
  ],
  omitted: [],
  retrievers: [
    { name: 'pinned', weight: 1, candidates: 1, ms: 1, role: 'inclusion', top: 1, flat: false },
    { name: 'bm25', weight: 1, candidates: 2, ms: 1, role: 'relevance', top: 8.5, flat: false },
    { name: 'ann', weight: 0.25, candidates: 2, ms: 1, role: 'relevance', top: 0.5, flat: false },
    { name: 'lexical', weight: 1, candidates: 2, ms: 1, role: 'relevance', top: 5.05, flat: true },
    { name: 'recency', weight: 1, candidates: 2, ms: 1, role: 'recency', top: 1, flat: false },
  ],
  fusion: {
    mode: 'relevance',
    formula:
      "fused = max(inclusion) + sum(relevance) x (1 + 0.25 x sum(recency)); each term = weight x raw / top, where top is that retriever's largest raw score",
    priorityWeight: 0.5,
    recencyBoost: 0.25,
  },
  timings: {},
  watermark: null,
};
const turn: Pick<TurnDetail, 'plan' | 'blocks'> = {
  plan,
  blocks: {
    [X]: { preview: 'The Louvre is closed on Tuesdays', createdAt: 1, priority: 0.3 },
    [P]: { preview: 'Pinned: travel dates', createdAt: 2, priority: 0 },
  },
};

const panel = (source: Pick<TurnDetail, 'plan' | 'blocks'>, id: string) =>
  renderToStaticMarkup(
    <WhyPanel result={source} id={id} onSelect={() => undefined} onOpenBlock={() => undefined} />,
  );
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&#x27;/g, "'")
    .trim();

/** The "Found by" table as the panel shows it: one record per row, keyed by column header, plus the role under the name. */
function foundBy(html: string): Record<string, string>[] {
  const table = /<table[^>]*aria-label="Found by"[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const cells = (row: string) =>
    [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1] ?? '');
  const [head = '', ...rows] = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1] ?? '');
  const names = cells(head).map(text);
  return rows.map((row) => {
    const [first = '', ...rest] = cells(row);
    const name = /^[^<]*/.exec(first)?.[0] ?? '';
    const note = (cls: string) =>
      text(new RegExp(`<span class="${cls}">([^<]*)</span>`).exec(first)?.[1] ?? '');
    return {
      Retriever: name,
      Role: note('role'),
      Flat: note('flat-note'),
      ...Object.fromEntries(rest.map((c, i) => [names[i + 1] ?? '', text(c)])),
    };
  });
}

/** The text of the `<dd>` after the `<dt>` named `term`. */
function fact(html: string, term: string): string {
  return text(new RegExp(`<dt>${term}</dt><dd>([\\s\\S]*?)</dd>`).exec(html)?.[1] ?? '');
}

describe('WhyPanel: how the score was made', () => {
  it('recomputes the score shown from the contributions, roles, priority and formula shown', () => {
    for (const id of [X, P]) {
      const html = panel(turn, id);
      let inclusion = 0;
      let relevance = 0;
      let recency = 0;
      for (const row of foundBy(html)) {
        const contribution = Number(row['= Contribution']);
        const role = row['Role'];
        if (role === 'inclusion') inclusion = Math.max(inclusion, contribution);
        else if (role === 'recency') recency += contribution;
        else if (role === 'relevance') relevance += contribution;
        else throw new Error(`no role shown for ${row['Retriever']}`);
      }
      const boost = Number(/\(1 \+ ([\d.]+) x sum\(recency\)\)/.exec(text(html))?.[1]);
      const priorityWeight = Number(/score = fused \+ ([\d.]+) x priority/.exec(text(html))?.[1]);
      const priority = Number(/^[\d.]+/.exec(fact(html, 'Priority'))?.[0]);
      const shown = Number(/^[\d.]+/.exec(fact(html, 'Score'))?.[0]);
      // Each number is shown to three decimals.
      expect(
        Math.abs(inclusion + relevance * (1 + boost * recency) + priorityWeight * priority - shown),
      ).toBeLessThan(0.003);
    }
  });

  it('shows each retriever role and contribution, and says which one was flat', () => {
    const rows = foundBy(panel(turn, X));
    expect(
      rows.map((r) => [
        r['Retriever'],
        r['Role'],
        r['Flat'],
        r['Normalised'],
        r['× Weight'],
        r['= Contribution'],
      ]),
    ).toEqual([
      ['lexical', 'relevance', 'flat: added nothing', '0.990 #2', '1', '0.000'],
      ['bm25', 'relevance', '', '0.832 #1', '1', '0.832'],
      ['recency', 'recency', '', '0.610 #4', '1', '0.610'],
      ['ann', 'relevance', '', '0.400 #3', '0.25', '0.100'],
    ]);
  });

  it('writes the formula in words and the arithmetic of this candidate', () => {
    const html = text(panel(turn, X));
    const clauses = [...panel(turn, X).matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) =>
      text(m[1] ?? ''),
    );
    expect(clauses).toEqual([
      'fused = max(inclusion) + sum(relevance) x (1 + 0.25 x sum(recency))',
      "each term = weight x raw / top, where top is that retriever's largest raw score",
      'score = fused + 0.5 x priority',
    ]);
    expect(html).toContain('relevance fusion:');
    expect(html).toContain('lexical was flat in this call');
    expect(html).toContain(
      'score = max(inclusion) + sum(relevance) x (1 + 0.25 x sum(recency)) + priority weight x priority',
    );
    expect(html).toContain('1.224 = 0 + (0 + 0.832 + 0.1) x (1 + 0.25 x 0.61) + 0.5 x 0.3');
    expect(text(panel(turn, P))).toContain('1.2 = 1 + 0.2 x (1 + 0.25 x 0) + 0.5 x 0');
  });

  it('shows a trace record made before plans showed their terms without contributions or arithmetic', () => {
    const old: PlanView = {
      ...plan,
      fusion: null,
      retrievers: plan.retrievers.map((r) => ({ ...r, role: null, top: null, flat: null })),
      selected: plan.selected.map((s) => ({
        ...s,
        retrievers: Object.fromEntries(
          Object.entries(s.retrievers).map(([n, v]) => [n, { ...v, contribution: null }]),
        ),
      })),
    };
    const html = panel({ ...turn, plan: old }, X);
    expect(foundBy(html).map((r) => [r['Role'], r['= Contribution']])).toEqual([
      ['—', '—'],
      ['—', '—'],
      ['—', '—'],
      ['—', '—'],
    ]);
    expect(text(html)).toContain('recorded before plans showed how the fused score was made');
    expect(html).not.toContain('aria-label="Score arithmetic"');
  });
});
