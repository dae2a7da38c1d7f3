import { describe, expect, it } from 'vitest';
import { clearedOverrides, overridesFrom } from './whatif-params';

describe('overridesFrom', () => {
  it('reads model, budget, fractions, weights and switches from URL parameters', () => {
    expect(
      overridesFrom({
        call: 'x',
        model: 'gpt-4o-mini',
        budget: '500',
        's.retrieved': '0.3',
        'w.bm25': '2',
        'sw.spill': 'false',
        'sw.priorityWeight': '1.5',
        'sw.nope': 'true',
      }),
    ).toEqual({
      model: 'gpt-4o-mini',
      budget: 500,
      sectionBudgets: { retrieved: 0.3 },
      weights: { bm25: 2 },
      switches: { spill: false, priorityWeight: 1.5 },
    });
  });

  it('is empty when the URL names only the call, and ignores values that are not numbers', () => {
    expect(overridesFrom({ call: 'x' })).toEqual({});
    expect(overridesFrom({ call: 'x', budget: 'lots', 's.recent': '' })).toEqual({});
  });
});

describe('clearedOverrides', () => {
  it('clears every override and keeps the rest', () => {
    expect(clearedOverrides({ call: 'x', budget: '5', 'w.bm25': '1', layout: 'unified' })).toEqual({
      budget: undefined,
      'w.bm25': undefined,
    });
  });
});
