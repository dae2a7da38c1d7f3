// A what-if's settings as what reproduces them outside the inspector: a config file
// (`[section_budgets]`, `[[retriever]]`, `[pager]`, the keys of src-core/config/config.ts) for
// `llm386 trace what-if <call> --config FILE`, and the flags of the same command. The file holds
// every setting in force (so it reads as a complete config); the flags only what differs from the
// recording. A config file cannot pick a model or an input budget: those stay flags either way.
import type { PolicyView, WhatIfOverridesInput } from '../../src-main/api/contract';
import { FILL_SECTIONS } from './whatif-params';

/** What the export reads. */
export interface WhatIfSettings {
  readonly callId: string;
  readonly session: string;
  /** The policy the what-if ran with (the recording's with the overrides applied). */
  readonly policy: PolicyView;
  /** The recorded retriever stack: a config's `[[retriever]]` needs each one's kind. */
  readonly retrievers: readonly { readonly name: string; readonly kind: string }[];
  readonly overrides: WhatIfOverridesInput;
}

/** Config keys of the pager switches a what-if changes (src-core/config/config.ts `[pager]`). */
const SWITCH_KEYS = {
  includeDependencies: 'include_dependencies',
  summarySubstitution: 'summary_substitution',
  spill: 'spill',
  redundancyThreshold: 'redundancy_threshold',
  priorityWeight: 'priority_weight',
} as const;

/** A number as TOML and the CLI read it back: JavaScript's shortest round-trip form. */
const num = (n: number) => String(n);

/** The file name the config downloads as. */
export function whatIfConfigName(callId: string): string {
  return `llm386-whatif-${callId}.toml`;
}

/** Quotes an argument for a POSIX shell where it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._=:/@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The model and budget flags (a config file cannot hold them). */
function modelFlags(overrides: WhatIfOverridesInput): string[] {
  return [
    ...(overrides.model === undefined ? [] : ['--model', overrides.model]),
    ...(overrides.budget === undefined ? [] : ['--budget', num(overrides.budget)]),
  ];
}

/** `llm386 trace what-if CALL --config FILE [--model M] [--budget N]`, as arguments. */
export function configCommand(s: WhatIfSettings, file = whatIfConfigName(s.callId)): string[] {
  return ['llm386', 'trace', 'what-if', s.callId, '--config', file, ...modelFlags(s.overrides)];
}

/** `llm386 trace what-if CALL` with a flag per override, as arguments. */
export function flagsCommand(s: WhatIfSettings): string[] {
  const o = s.overrides;
  const out = ['llm386', 'trace', 'what-if', s.callId, ...modelFlags(o)];
  for (const [name, weight] of Object.entries(o.weights ?? {}))
    out.push('--weight', `${name}=${num(weight)}`);
  for (const section of FILL_SECTIONS) {
    const f = o.sectionBudgets?.[section];
    if (f !== undefined) out.push('--section', `${section}=${num(f)}`);
  }
  for (const [key, name] of Object.entries(SWITCH_KEYS) as [keyof typeof SWITCH_KEYS, string][]) {
    const v = o.switches?.[key];
    if (v !== undefined) out.push('--switch', `${name}=${String(v)}`);
  }
  return out;
}

/** The settings in force as a config file. */
export function whatIfToml(s: WhatIfSettings): string {
  const { policy } = s;
  const lines = [
    `# llm386 what-if of call ${s.callId} (session ${s.session}): the settings it ran with.`,
    '# Reproduce it (the same prompt hash) with:',
    `#   ${configCommand(s).map(shellWord).join(' ')}`,
    ...(modelFlags(s.overrides).length > 0
      ? ['# The model and the input budget are flags: a config file does not choose them.']
      : []),
    "# Only a retriever's weight is read by a what-if; its other settings stay as recorded.",
    '',
    '[section_budgets]',
    ...FILL_SECTIONS.map((section) => `${section} = ${num(policy.sectionBudgets[section])}`),
  ];
  for (const r of s.retrievers) {
    lines.push(
      '',
      '[[retriever]]',
      `kind = ${JSON.stringify(r.kind)}`,
      `name = ${JSON.stringify(r.name)}`,
      `weight = ${num(policy.weights[r.name] ?? 1)}`,
    );
  }
  lines.push('', '[pager]');
  for (const [key, name] of Object.entries(SWITCH_KEYS) as [keyof typeof SWITCH_KEYS, string][])
    lines.push(`${name} = ${String(policy.switches[key])}`);
  return `${lines.join('\n')}\n`;
}
