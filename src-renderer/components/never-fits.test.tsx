import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OmittedView, PolicyView, SectionView } from '../../src-main/api/contract';
import type { CandidateRow } from '../lib/candidates';
import { NeverFitsNote, NeverFitsPanel, neverFitsOf } from './never-fits';

const FRACTIONS = {
  state: 0.1,
  plan: 0.05,
  retrieved: 0.55,
  tools: 0.1,
  recent: 0.1,
  background: 0.05,
};
const policy = (spill: boolean): PolicyView => ({
  sectionBudgets: FRACTIONS,
  weights: { bm25: 3 },
  switches: {
    includeDependencies: true,
    summarySubstitution: true,
    spill,
    redundancyThreshold: 1,
    priorityWeight: 0.5,
    includeTimestamps: false,
  },
});
// 430 tokens split by fraction (the budget of 500 less 70 for the task and System blocks).
const sections: SectionView[] = Object.entries(FRACTIONS).map(([section, f]) => ({
  section: section as SectionView['section'],
  allocated: Math.floor(430 * f),
  used: 0,
  overhead: 0,
  spillReceived: 0,
}));
const omitted = (
  id: string,
  tokensNeeded: number,
  reason: OmittedView['reason'] = 'section-budget',
  score = 0.6,
  tokensLeft = 21,
): OmittedView => ({
  id,
  kind: 'document-chunk',
  section: 'background',
  reason,
  score,
  tokensNeeded,
  tokensLeft,
  displacedBy: null,
  retrievers: {},
});
const plan = (list: OmittedView[]) => ({
  sections,
  budget: { input: 500, used: 400, overhead: 70, slack: 100 },
  omitted: list,
});
const row = (o: OmittedView, order = 0): CandidateRow => ({
  id: o.id,
  kind: o.kind,
  section: o.section,
  decision: 'omitted',
  reason: o.reason,
  score: o.score,
  tokens: o.tokensNeeded,
  retrievers: {},
  preview: `billing chunk ${o.id}`,
  order,
});
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('never fits', () => {
  it('says plainly that a 32-token chunk can never fit a 21-token Background, and what fraction and budget would let it in', () => {
    const fit = neverFitsOf({ plan: plan([omitted('a', 32)]), policy: policy(false) }).get('a');
    expect(fit).toBeDefined();
    const html = text(
      renderToStaticMarkup(
        <NeverFitsNote fit={fit!} policy={policy(false)} onTry={() => undefined} />,
      ),
    );
    expect(html).toContain(
      'Can never fit Background at these settings: it needs 32 tokens and Background can hold at most 21 (its 0.05 of the 430 tokens left after the task and System blocks; spill is off). No weight or score changes that.',
    );
    expect(html).toContain('A Background fraction of 0.08 would let it in.');
    expect(html).toContain('Try Background 0.08');
    expect(html).toContain('Or an input budget of 710 would, at these fractions.');
  });

  it('counts what the section took before its turn, and names the section that gives way when the sum would pass 1', () => {
    // Background's 21 tokens were all taken when its turn came.
    const fit = neverFitsOf({
      plan: plan([omitted('a', 60, 'section-budget', 0.6, 0)]),
      policy: policy(false),
    }).get('a');
    expect(fit).toMatchObject({
      ahead: 21,
      fraction: 0.19,
      sumAfter: 1.09,
      lower: { section: 'retrieved', fraction: 0.46 },
    });
    const html = text(
      renderToStaticMarkup(
        <NeverFitsNote fit={fit!} policy={policy(false)} onTry={() => undefined} />,
      ),
    );
    expect(html).toContain(
      'A Background fraction of 0.19 would let it in beside the 21 tokens Background took before its turn (the fractions would sum to 1.09: Retrieved down to 0.46 makes room).',
    );
    expect(html).toContain('Try Background 0.19, Retrieved 0.46');
  });

  it('says nothing of candidates that could fit, or were left out for another reason', () => {
    const fits = neverFitsOf({
      plan: plan([omitted('fits', 20), omitted('low', 32, 'low-score')]),
      policy: policy(false),
    });
    expect(fits.size).toBe(0);
    // With spill Background can take what the others leave: 32 tokens fit then.
    expect(
      neverFitsOf({ plan: plan([omitted('a', 32, 'global-budget')]), policy: policy(true) }).size,
    ).toBe(0);
    expect(
      renderToStaticMarkup(
        <NeverFitsPanel
          rows={[row(omitted('fits', 20))]}
          fits={fits}
          selected={undefined}
          onSelect={() => undefined}
        />,
      ),
    ).toBe('');
  });

  it('lists every candidate that can never fit, most relevant first', () => {
    const list = [
      omitted('low', 40, 'section-budget', 0.2),
      omitted('fits', 10),
      omitted('high', 32, 'section-budget', 0.9),
    ];
    const fits = neverFitsOf({ plan: plan(list), policy: policy(false) });
    const html = renderToStaticMarkup(
      <NeverFitsPanel
        rows={list.map((o, i) => row(o, i))}
        fits={fits}
        selected={undefined}
        onSelect={() => undefined}
      />,
    );
    expect(text(html)).toContain(
      '2 omitted candidates need more tokens than Background can hold at these fractions and budget',
    );
    expect(html.indexOf('billing chunk high')).toBeLessThan(html.indexOf('billing chunk low'));
    expect(html).not.toContain('billing chunk fits');
  });
});
