import {
  decodeUtf8,
  isLlm386Error,
  lookupSet,
  parseBlockId,
  parseSession,
  type BlockId,
} from '../base/index';
import {
  findProfile,
  MAX_BUDGET_TOKENS,
  type PagerConfig,
  type SectionBudgets,
} from '../config/index';
import { diffPlans, diffText } from '../diff/index';
import {
  getTrace,
  listTraces,
  replay,
  tracePrompt,
  whatIf,
  type TraceRecord,
  type WhatIfOverrides,
} from '../tracer/index';
import { json, loadConfig, parseVerbArgs, usage, withStore } from './context';
import { planJson } from './verbs-page';
import type { Verb } from './verb';
import { traceExport, traceImport } from './verbs-bundle';
import { configOverrides, WHAT_IF_SWITCHES } from './what-if-config';

function traceSummary(r: TraceRecord) {
  return {
    callId: r.callId,
    session: r.session,
    createdAt: r.createdAt,
    model: r.model.name,
    mode: r.mode,
    task: r.task,
    tokens: r.tokens,
    budget: r.plan.budget.input,
    selected: r.plan.selected.length,
    omitted: r.plan.omitted.length,
    promptHash: r.promptHash,
    hasOutput: r.output !== undefined,
  };
}

const SECTION_NAMES = lookupSet<string>([
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
]);
const SWITCHES = WHAT_IF_SWITCHES;

function pairs(values: readonly string[] | undefined, flag: string): [string, string][] {
  return (values ?? []).map((v) => {
    const i = v.indexOf('=');
    if (i <= 0) throw usage(`trace what-if: ${flag} needs name=value, got "${v}"`);
    return [v.slice(0, i), v.slice(i + 1)];
  });
}

function number(value: string, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw usage(`trace what-if: ${what} needs a number, got "${value}"`);
  return n;
}

export const traceVerb: Verb = {
  name: 'trace',
  summary: 'recorded calls: list, show, diff, replay, what-if, export, import',
  usage: [
    'llm386 trace list --session S [--json]',
    '       llm386 trace show <call> [--prompt] [--json]',
    '       llm386 trace diff <a> <b> [--text] [--json]',
    '       llm386 trace replay <call> [--json]',
    '       llm386 trace what-if <call> [--model M] [--budget N] [--weight name=x]... [--section name=fraction]... [--switch name=value]... [--json]',
    '         (--config FILE: its [section_budgets], [[retriever]] weights and [pager] switches apply too; flags win)',
    '       llm386 trace export <call> [--out FILE] [--json]',
    '       llm386 trace import FILE --store NEWDIR [--json]',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseVerbArgs(
      'trace',
      args,
      {
        session: { type: 'string' },
        prompt: { type: 'boolean', default: false },
        text: { type: 'boolean', default: false },
        model: { type: 'string' },
        budget: { type: 'string' },
        weight: { type: 'string', multiple: true },
        section: { type: 'string', multiple: true },
        switch: { type: 'string', multiple: true },
        out: { type: 'string' },
      },
      3,
    );
    const [sub, a, b] = positionals;
    const config = loadConfig(values, io.env);
    switch (sub) {
      case 'list': {
        if (values.session === undefined) throw usage('trace list: --session is required');
        parseSession(values.session);
        const records = await withStore(values, io, (store) =>
          listTraces(store, values.session as string),
        );
        if (values.json) io.out(json(records.map(traceSummary)));
        else if (records.length === 0)
          io.err(`no traces in ${values.session}: record one with \`llm386 pack --trace\`\n`);
        else
          for (const r of records)
            io.out(
              `${r.callId}  ${new Date(r.createdAt).toISOString()}  ${r.model.name}  ${r.tokens}/${r.plan.budget.input} tok  ${r.plan.selected.length} selected  ${r.task.slice(0, 60)}\n`,
            );
        return;
      }
      case 'show': {
        if (a === undefined) throw usage('trace show: name a call id');
        parseBlockId(a);
        const { record, prompt } = await withStore(values, io, (store) => {
          const r = getTrace(store, a);
          return { record: r, prompt: tracePrompt(store, r) };
        });
        const text = prompt === undefined ? undefined : decodeUtf8(prompt);
        if (values.json)
          io.out(
            json({
              ...traceSummary(record),
              record: { ...record, plan: planJson(record.plan) },
              prompt: text ?? null,
            }),
          );
        else if (values.prompt) io.out(text ?? '');
        else {
          const s = traceSummary(record);
          for (const [k, v] of Object.entries(s)) io.out(`${k.padEnd(11)} ${String(v)}\n`);
          if (record.output !== undefined)
            io.out(`output      ${record.output.text.slice(0, 200)}\n`);
        }
        return;
      }
      case 'diff': {
        if (a === undefined || b === undefined)
          throw usage('trace diff: name two call ids: `llm386 trace diff <a> <b>`');
        parseBlockId(a);
        parseBlockId(b);
        const result = await withStore(values, io, (store) => {
          const ra = getTrace(store, a);
          const rb = getTrace(store, b);
          const diff = diffPlans(ra.plan, rb.plan, { exists: (id: BlockId) => store.hasBlock(id) });
          const pa = tracePrompt(store, ra);
          const pb = tracePrompt(store, rb);
          const text =
            values.text && pa !== undefined && pb !== undefined
              ? diffText(decodeUtf8(pa) ?? '', decodeUtf8(pb) ?? '').unified
              : undefined;
          return { diff, text };
        });
        if (values.json)
          io.out(
            json({
              ...result.diff,
              ...(result.text === undefined ? {} : { promptDiff: result.text }),
            }),
          );
        else {
          io.out(`${result.diff.summary}\n`);
          for (const x of result.diff.added)
            io.out(`+ ${x.id}  ${x.section}  ${x.tokens} tok  ${x.reason}\n`);
          for (const x of result.diff.removed)
            io.out(`- ${x.id}  ${x.section}  ${x.tokens} tok  ${x.cause}\n`);
          for (const x of result.diff.changed)
            io.out(`~ ${x.id}  ${JSON.stringify(x.before)} -> ${JSON.stringify(x.after)}\n`);
          if (result.text !== undefined) io.out(`\n${result.text}`);
        }
        return;
      }
      case 'replay': {
        if (a === undefined) throw usage('trace replay: name a call id');
        parseBlockId(a);
        const report = await withStore(values, io, (store) => replay(store, a, { config }));
        if (values.json) io.out(json(report));
        else if (report.identical) io.out(`identical: ${report.recordedHash}\n`);
        else
          io.out(
            `diverged at ${report.divergence?.stage ?? '?'}: ${report.divergence?.detail ?? ''}\n${report.diff?.summary ?? ''}\n`,
          );
        return report.identical ? 0 : 1;
      }
      case 'what-if': {
        if (a === undefined) throw usage('trace what-if: name a call id');
        parseBlockId(a);
        const overrides: { -readonly [K in keyof WhatIfOverrides]: WhatIfOverrides[K] } = {};
        if (values.model !== undefined)
          overrides.model = findProfile(values.model, config.profiles);
        if (values.budget !== undefined) {
          const n = number(values.budget, '--budget');
          if (!Number.isInteger(n) || n <= 0 || n > MAX_BUDGET_TOKENS)
            throw usage(
              `trace what-if: --budget needs a whole number of tokens from 1 to ${MAX_BUDGET_TOKENS}, got "${values.budget}"`,
            );
          overrides.budget = n;
        }
        // A config file named with --config (the inspector's What-if exports one) sets what it
        // writes; flags then win over it.
        const file = typeof values.config === 'string' ? configOverrides(values.config) : undefined;
        const weights: Record<string, number> = { ...file?.weights };
        for (const [k, v] of pairs(values.weight, '--weight'))
          weights[k] = number(v, `--weight ${k}`);
        if (Object.keys(weights).length > 0) overrides.weights = weights;
        const sections: Partial<Record<keyof SectionBudgets, number>> = { ...file?.sectionBudgets };
        for (const [k, v] of pairs(values.section, '--section')) {
          if (!SECTION_NAMES.has(k))
            throw usage(
              `trace what-if: unknown section "${k}": use ${[...SECTION_NAMES].join(', ')}`,
            );
          sections[k as keyof SectionBudgets] = number(v, `--section ${k}`);
        }
        if (Object.keys(sections).length > 0) overrides.sectionBudgets = sections;
        const switches: Record<string, unknown> = { ...file?.switches };
        for (const [k, v] of pairs(values.switch, '--switch')) {
          const key = SWITCHES[k];
          if (key === undefined)
            throw usage(
              `trace what-if: unknown switch "${k}": use ${Object.keys(SWITCHES).join(', ')}`,
            );
          switches[key] = v === 'true' ? true : v === 'false' ? false : number(v, `--switch ${k}`);
        }
        if (Object.keys(switches).length > 0) overrides.switches = switches as Partial<PagerConfig>;
        const result = await withStore(values, io, async (store) => {
          try {
            return await whatIf(store, a, overrides, { config });
          } catch (error) {
            // Overrides come from flags: a bad weight name or fraction is a usage error.
            if (isLlm386Error(error, 'invalid-input'))
              throw usage(`trace what-if: ${error.message}`);
            throw error;
          }
        });
        if (values.json)
          io.out(
            json({
              plan: planJson(result.plan),
              diff: result.diff,
              promptHash: result.promptHash,
              tokens: result.tokens,
            }),
          );
        else {
          io.out(`${result.diff.summary}; ${result.tokens}/${result.plan.budget.input} tokens\n`);
          for (const x of result.diff.removed) io.out(`- ${x.id}  ${x.section}  ${x.cause}\n`);
          for (const x of result.diff.added) io.out(`+ ${x.id}  ${x.section}  ${x.reason}\n`);
        }
        return;
      }
      case 'export':
        return traceExport(values, a, io);
      case 'import':
        return traceImport(values, a, io);
      default:
        throw usage(
          `trace: unknown subcommand ${sub === undefined ? '(none)' : `"${sub}"`}: use list, show, diff, replay, what-if, export or import`,
        );
    }
  },
};
