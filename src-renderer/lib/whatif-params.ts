// What-if overrides in the URL, so a what-if is a deep link: `model`, `budget`, `s.<section>`
// (fraction), `w.<retriever>` (weight) and `sw.<switch>` (true/false or a number). Anything not in
// the URL is the recording's.
import type { FillSection } from '../../src-main/api/contract';
import type { WhatIfOverridesInput } from '../../src-main/api/contract';
import { SECTIONS } from './vocabulary';

/** Sections whose share is a fraction of the budget (all but System and Task). */
export const FILL_SECTIONS = SECTIONS.filter(
  (s): s is FillSection => s !== 'system' && s !== 'task',
);

export const BOOLEAN_SWITCHES = ['includeDependencies', 'summarySubstitution', 'spill'] as const;
export const NUMBER_SWITCHES = ['redundancyThreshold', 'priorityWeight'] as const;
export type BooleanSwitch = (typeof BOOLEAN_SWITCHES)[number];
export type NumberSwitch = (typeof NUMBER_SWITCHES)[number];

export const SWITCH_TEXT: Readonly<Record<BooleanSwitch | NumberSwitch, string>> = {
  includeDependencies: 'Include dependencies',
  summarySubstitution: 'Summary substitution',
  spill: 'Spill unused tokens',
  redundancyThreshold: 'Redundancy threshold',
  priorityWeight: 'Priority weight',
};

function num(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The overrides the URL parameters describe. */
export function overridesFrom(params: Readonly<Record<string, string>>): WhatIfOverridesInput {
  const sectionBudgets: Partial<Record<FillSection, number>> = {};
  for (const s of FILL_SECTIONS) {
    const f = num(params[`s.${s}`]);
    if (f !== undefined) sectionBudgets[s] = f;
  }
  const weights: Record<string, number> = {};
  const switches: { -readonly [K in BooleanSwitch]?: boolean } & {
    -readonly [K in NumberSwitch]?: number;
  } = {};
  for (const [key, value] of Object.entries(params)) {
    const w = key.startsWith('w.') ? num(value) : undefined;
    if (w !== undefined) weights[key.slice(2)] = w;
  }
  for (const s of BOOLEAN_SWITCHES) {
    const v = params[`sw.${s}`];
    if (v === 'true' || v === 'false') switches[s] = v === 'true';
  }
  for (const s of NUMBER_SWITCHES) {
    const v = num(params[`sw.${s}`]);
    if (v !== undefined) switches[s] = v;
  }
  const budget = num(params['budget']);
  return {
    ...(params['model'] === undefined ? {} : { model: params['model'] }),
    ...(budget === undefined ? {} : { budget }),
    ...(Object.keys(sectionBudgets).length === 0 ? {} : { sectionBudgets }),
    ...(Object.keys(weights).length === 0 ? {} : { weights }),
    ...(Object.keys(switches).length === 0 ? {} : { switches }),
  };
}

/** The URL parameters of every override, set to undefined: a reset to the recording. */
export function clearedOverrides(
  params: Readonly<Record<string, string>>,
): Record<string, undefined> {
  const out: Record<string, undefined> = {};
  for (const key of Object.keys(params))
    if (key === 'model' || key === 'budget' || /^(s|w|sw)\./.test(key)) out[key] = undefined;
  return out;
}
