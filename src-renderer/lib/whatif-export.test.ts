import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { PolicyView } from '../../src-main/api/contract';
import {
  configCommand,
  flagsCommand,
  shellWord,
  whatIfToml,
  type WhatIfSettings,
} from './whatif-export';

const RECORDED: PolicyView = {
  sectionBudgets: {
    state: 0.1,
    plan: 0.05,
    retrieved: 0.55,
    tools: 0.1,
    recent: 0.1,
    background: 0.05,
  },
  weights: { recency: 1, bm25: 1, ann: 0.25 },
  switches: {
    includeDependencies: true,
    summarySubstitution: true,
    spill: false,
    redundancyThreshold: 1,
    priorityWeight: 0.5,
    includeTimestamps: false,
  },
};
const CALL = 'a'.repeat(32);
const settings = (
  overrides: WhatIfSettings['overrides'],
  policy: PolicyView = RECORDED,
): WhatIfSettings => ({
  callId: CALL,
  session: 'research',
  policy,
  retrievers: [
    { name: 'recency', kind: 'recency' },
    { name: 'bm25', kind: 'bm25' },
    { name: 'ann', kind: 'ann' },
  ],
  overrides,
});

describe('whatIfToml', () => {
  it('writes every setting in force under the config keys: six fractions, each retriever with its kind, the pager switches', () => {
    const policy = {
      ...RECORDED,
      sectionBudgets: { ...RECORDED.sectionBudgets, retrieved: 0.3 },
      weights: { ...RECORDED.weights, bm25: 3 },
    };
    const parsed = parse(
      whatIfToml(settings({ sectionBudgets: { retrieved: 0.3 }, weights: { bm25: 3 } }, policy)),
    );
    expect(parsed).toEqual({
      section_budgets: {
        state: 0.1,
        plan: 0.05,
        retrieved: 0.3,
        tools: 0.1,
        recent: 0.1,
        background: 0.05,
      },
      retriever: [
        { kind: 'recency', name: 'recency', weight: 1 },
        { kind: 'bm25', name: 'bm25', weight: 3 },
        { kind: 'ann', name: 'ann', weight: 0.25 },
      ],
      pager: {
        include_dependencies: true,
        summary_substitution: true,
        spill: false,
        redundancy_threshold: 1,
        priority_weight: 0.5,
      },
    });
  });

  it('names the command that reproduces it, with the model and budget as flags', () => {
    const text = whatIfToml(settings({ model: 'gpt-4o-mini', budget: 600 }));
    expect(text).toContain(
      `#   llm386 trace what-if ${CALL} --config llm386-whatif-${CALL}.toml --model gpt-4o-mini --budget 600\n`,
    );
    expect(text).toContain('a config file does not choose them');
  });

  it('keeps numbers exact: what the sliders set is what the CLI reads', () => {
    const policy = {
      ...RECORDED,
      sectionBudgets: { ...RECORDED.sectionBudgets, background: 0.07 },
      weights: { ...RECORDED.weights, ann: 0.1 + 0.2 },
    };
    const parsed = parse(whatIfToml(settings({}, policy))) as {
      section_budgets: { background: number };
      retriever: { weight: number }[];
    };
    expect(parsed.section_budgets.background).toBe(0.07);
    expect(parsed.retriever[2]?.weight).toBe(0.1 + 0.2);
  });
});

describe('the commands', () => {
  it('flags name only what differs from the recording, with the CLI’s switch names', () => {
    expect(flagsCommand(settings({}))).toEqual(['llm386', 'trace', 'what-if', CALL]);
    expect(
      flagsCommand(
        settings({
          model: 'gpt-4o',
          budget: 500,
          weights: { bm25: 3 },
          sectionBudgets: { background: 0.08, retrieved: 0.3 },
          switches: { spill: true, redundancyThreshold: 0.8 },
        }),
      ),
    ).toEqual([
      'llm386',
      'trace',
      'what-if',
      CALL,
      '--model',
      'gpt-4o',
      '--budget',
      '500',
      '--weight',
      'bm25=3',
      '--section',
      'retrieved=0.3',
      '--section',
      'background=0.08',
      '--switch',
      'spill=true',
      '--switch',
      'redundancy_threshold=0.8',
    ]);
  });

  it('the config command passes the file and the model and budget flags', () => {
    expect(configCommand(settings({ budget: 500, weights: { bm25: 3 } }), 'w.toml')).toEqual([
      'llm386',
      'trace',
      'what-if',
      CALL,
      '--config',
      'w.toml',
      '--budget',
      '500',
    ]);
  });

  it('quotes shell words only where needed', () => {
    expect(shellWord('bm25=3')).toBe('bm25=3');
    expect(shellWord("my model's")).toBe(`'my model'\\''s'`);
  });
});
