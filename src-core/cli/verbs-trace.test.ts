// `llm386 pack --trace`, `trace list|show|diff|replay|what-if` and `summarize` through the real binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  expectFailure,
  initStore,
  tempDirs,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';

const TRANSCRIPT: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  ...Array.from({ length: 60 }, (_, i): ChatMessage => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `turn ${i}: we talked about ${['trains', 'weather', 'lisbon', 'music'][i % 4]} and number ${i * 7}`,
  })),
];

const dirs = tempDirs();
let store = '';
let first = '';
let second = '';
const NOW = '2026-11-25T12:00:00Z';
beforeAll(async () => {
  ensureCliBuilt();
  const dir = dirs.make();
  store = await initStore(dir);
  await cliOk([
    'ingest',
    '--store',
    store,
    '--session',
    'chat',
    writeTranscript(dir, 'chat.jsonl', TRANSCRIPT),
  ]);
  first = (
    await cliJson<{ callId: string }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'what about lisbon',
      '--budget',
      '600',
      '--now',
      NOW,
      '--trace',
      '--json',
    ])
  ).callId;
  await cliOk(['put', '-', '--store', store, '--session', 'chat', '--kind', 'fact'], {
    input: 'Lisbon is the capital of Portugal and has many trams.',
  });
  second = (
    await cliJson<{ callId: string }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'what about lisbon',
      '--budget',
      '600',
      '--now',
      '2026-11-25T12:05:00Z',
      '--trace',
      '--json',
    ])
  ).callId;
});
afterAll(() => dirs.cleanup());

describe('trace', () => {
  it('pack --trace --json adds the call id, and trace list shows the recorded calls in order', async () => {
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    const list = await cliJson<{ callId: string; task: string; tokens: number }[]>([
      'trace',
      'list',
      '--store',
      store,
      '--session',
      'chat',
      '--json',
    ]);
    expect(list.map((t) => t.callId)).toEqual([first, second]);
    expect(list[0]?.task).toBe('what about lisbon');
  });

  it('trace show prints the record and the exact prompt', async () => {
    const shown = await cliJson<{
      callId: string;
      prompt: string;
      record: { watermark: string; policy: unknown };
    }>(['trace', 'show', first, '--store', store, '--json']);
    expect(shown.callId).toBe(first);
    expect(shown.prompt).toContain('## Task\nwhat about lisbon\n');
    expect(shown.record.watermark).toMatch(/^[0-9a-f]{32}$/);
    expect(await cliOk(['trace', 'show', first, '--prompt', '--store', store])).toBe(
      shown.prompt.trim(),
    );
  });

  it('trace replay says identical for a recorded call, after later writes', async () => {
    const report = await cliJson<{ identical: boolean }>([
      'trace',
      'replay',
      first,
      '--store',
      store,
      '--json',
    ]);
    expect(report.identical).toBe(true);
    expect(await cliOk(['trace', 'replay', first, '--store', store])).toMatch(
      /^identical: [0-9a-f]{64}/,
    );
  });

  it('trace diff shows the new fact added, with the summary line', async () => {
    const diff = await cliJson<{
      summary: string;
      added: { id: string; kind: string }[];
      removed: { cause: string }[];
      changed: unknown[];
      tokenDelta: number;
      sections: unknown[];
    }>(['trace', 'diff', first, second, '--store', store, '--json']);
    expect(diff.summary).toMatch(/^\+\d+ -\d+ ~\d+ \([+-]\d+ tokens\)$/);
    expect(diff.added.some((a) => a.kind === 'fact')).toBe(true);
    // The plan uses its budget exactly (no tokens charged for empty sections): the fact takes
    // Retrieved's share, so the conversation window, which lived on spill, gives up its oldest message.
    for (const r of diff.removed) expect(r.cause).toBe('displaced');
    expect(diff.removed.length).toBeLessThanOrEqual(1);
    expect(Array.isArray(diff.sections)).toBe(true);
  });

  it('trace what-if with a halved budget returns a plan within it and a cause per removal', async () => {
    const out = await cliJson<{
      plan: { budget: { input: number; used: number } };
      diff: { removed: { cause: string }[] };
    }>(['trace', 'what-if', first, '--budget', '300', '--store', store, '--json']);
    expect(out.plan.budget.input).toBe(300);
    expect(out.plan.budget.used).toBeLessThanOrEqual(300);
    expect(out.diff.removed.length).toBeGreaterThan(0);
    for (const r of out.diff.removed)
      expect(['budget-shrank', 'displaced', 'score-fell', 'dependency-dropped']).toContain(r.cause);
  });

  type WhatIfJson = {
    plan: {
      model: string;
      sections: { section: string; allocated: number; spillReceived: number }[];
      selected: { retrievers: Record<string, { contribution?: number }> }[];
      omitted: { reason: string; retrievers: Record<string, { contribution?: number }> }[];
      retrievers: { name: string; weight: number }[];
    };
  };
  const whatIf = (...flags: string[]) =>
    cliJson<WhatIfJson>(['trace', 'what-if', first, ...flags, '--store', store, '--json']);

  it('trace what-if --weight: the weight and every contribution of that retriever follow the override', async () => {
    const out = await whatIf('--weight', 'bm25=0');
    expect(out.plan.retrievers.find((r) => r.name === 'bm25')?.weight).toBe(0);
    const contributions = [...out.plan.selected, ...out.plan.omitted]
      .map((b) => b.retrievers.bm25?.contribution)
      .filter((c) => c !== undefined);
    expect(contributions.length).toBeGreaterThan(0);
    expect(contributions.every((c) => c === 0)).toBe(true);
    const recorded = await whatIf();
    expect(
      [...recorded.plan.selected, ...recorded.plan.omitted].some(
        (b) => (b.retrievers.bm25?.contribution ?? 0) > 0,
      ),
    ).toBe(true);
  });

  it('trace what-if --section: the allocation of that section follows the fraction', async () => {
    const recorded = await whatIf();
    const out = await whatIf('--section', 'retrieved=0.2');
    const allocated = (w: WhatIfJson, s: string) =>
      w.plan.sections.find((x) => x.section === s)?.allocated ?? -1;
    expect(allocated(out, 'retrieved')).toBeLessThan(allocated(recorded, 'retrieved'));
    expect(allocated(out, 'retrieved') / allocated(recorded, 'retrieved')).toBeCloseTo(
      0.2 / 0.55,
      1,
    );
    expect(allocated(out, 'recent')).toBe(allocated(recorded, 'recent'));
  });

  it('trace what-if --switch spill=false: no section receives spill and omissions are for the section budget', async () => {
    const recorded = await whatIf();
    expect(recorded.plan.sections.some((s) => s.spillReceived > 0)).toBe(true);
    const out = await whatIf('--switch', 'spill=false');
    expect(out.plan.sections.every((s) => s.spillReceived === 0)).toBe(true);
    expect(out.plan.omitted.some((o) => o.reason === 'global-budget')).toBe(false);
  });

  it('trace what-if --model: the plan is made for that model', async () => {
    expect((await whatIf()).plan.model).toBe('gpt-4o');
    expect((await whatIf('--model', 'claude-sonnet-4-5')).plan.model).toBe('claude-sonnet-4-5');
  });

  it('rejects bad trace input with the right exit codes', async () => {
    expectFailure(
      await cli(['trace', 'frobnicate', '--store', store]),
      2,
      /unknown subcommand "frobnicate"/,
    );
    expectFailure(
      await cli(['trace', 'show', 'f'.repeat(32), '--store', store]),
      1,
      /no trace f{32}/,
    );
    expectFailure(
      await cli(['trace', 'what-if', first, '--weight', 'nope', '--store', store]),
      2,
      /--weight needs name=value/,
    );
    expectFailure(
      await cli(['trace', 'what-if', first, '--weight', 'nope=1', '--store', store]),
      2,
      /no retriever "nope"/,
    );
    expectFailure(await cli(['trace', 'list', '--store', store]), 2, /--session is required/);
  });
});

describe('summarize', () => {
  it('summarises older messages and stores the summary with derived-from edges', async () => {
    const out = await cliJson<{ summary: string; covered: string[]; id: string }>([
      'summarize',
      '--store',
      store,
      '--session',
      'chat',
      '--keep-recent',
      '20',
      '--max-chars',
      '400',
      '--store-summary',
      '--json',
    ]);
    expect(out.summary).toContain('user: turn 0: we talked about trains and number 0');
    expect(out.summary.length).toBeLessThanOrEqual(400);
    const edges = await cliJson<{ kind: string; to: string }[]>([
      'edges',
      out.id,
      '--store',
      store,
      '--json',
    ]);
    expect(edges.filter((e) => e.kind === 'derived-from').map((e) => e.to)).toEqual(out.covered);
  });
});
