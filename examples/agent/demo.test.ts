import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime, type TraceRecord } from '../../src-core/index';
import { buildDemoStore, type DemoStats } from './demo';
import { DEMO_SESSIONS } from './demo-script';
import { tempDir } from './test-helpers';

const dirs: (() => void)[] = [];
let rt: Runtime;
let stats: DemoStats;
let records: TraceRecord[];

function fresh(): string {
  const t = tempDir('llm386-demo-');
  dirs.push(t.cleanup);
  return t.dir;
}

/** What a build is made of, without ids: every block's session, kind and text, and every call's prompt hash. */
function fingerprint(runtime: Runtime): { blocks: string[]; prompts: string[] } {
  const blocks: string[] = [];
  const prompts: string[] = [];
  for (const { session } of runtime.store.sessions()) {
    for (const b of runtime.store.list(session))
      blocks.push(`${session} ${b.kind} ${runtime.store.text(b)}`);
    for (const r of runtime.traces(session)) prompts.push(`${session} ${r.mode} ${r.promptHash}`);
  }
  return { blocks, prompts };
}

beforeAll(async () => {
  const dir = fresh();
  stats = await buildDemoStore(dir);
  rt = openRuntime(dir, { create: false });
  records = rt.store.sessions().flatMap((s) => rt.traces(s.session));
}, 120_000);

afterAll(async () => {
  await rt.close();
  for (const d of dirs) d();
});

describe('the demo store', () => {
  it('holds the global session, documents and three conversations', () => {
    expect(stats.sessions.map((s) => s.session)).toEqual([
      'global',
      'research',
      'support-ada',
      'support-bo',
    ]);
    const kinds = new Map<string, number>();
    for (const { session } of stats.sessions)
      for (const b of rt.store.list(session)) kinds.set(b.kind, (kinds.get(b.kind) ?? 0) + 1);
    expect(kinds.get('user-message')).toBe(DEMO_SESSIONS.reduce((n, s) => n + s.turns.length, 0));
    expect(kinds.get('document-chunk')).toBeGreaterThanOrEqual(10);
    expect(kinds.get('summary')).toBe(3);
    expect(kinds.get('tool-result')).toBeGreaterThanOrEqual(8);
    expect(kinds.get('fact')).toBeGreaterThanOrEqual(15);
    expect(
      rt.store.list('global', { kinds: ['fact'] }).some((b) => b.labels.includes('pinned')),
    ).toBe(true);
  });

  it('has a trace for every model call, each with its output recorded', () => {
    const produced = stats.sessions.flatMap(({ session }) =>
      rt.store.list(session, { kinds: ['assistant-message', 'summary'] }),
    );
    expect(records).toHaveLength(produced.length);
    const ids = new Set(records.map((r) => `call:${r.callId}`));
    for (const b of produced) expect(ids.has(b.source ?? '')).toBe(true);
    for (const r of records) expect(r.output?.text).toBeTruthy();
    expect(new Set(records.map((r) => r.mode))).toEqual(new Set(['chat', 'openai', 'anthropic']));
  });

  it('relates facts: supports and contradicts edges to the shared facts, summaries derived from messages', () => {
    const edges = stats.sessions.flatMap(({ session }) =>
      rt.store.list(session).flatMap((b) => rt.store.edges(b.id, 'out')),
    );
    const text = (id: string) => rt.store.text(rt.store.getRecord(id) as never);
    const described = edges
      .filter((e) => e.kind === 'supports' || e.kind === 'contradicts')
      .map((e) => `${text(e.from)} ${e.kind} ${text(e.to)}`);
    expect(described).toContain('The user lives in London. supports Ada Lovelace lives in London.');
    expect(described).toContain(
      'The user lives in Vancouver. contradicts Bo Chen lives in Toronto.',
    );
    const derived = edges.filter((e) => e.kind === 'derived-from');
    expect(derived.length).toBeGreaterThan(20);
    for (const e of derived) expect(rt.store.getRecord(e.from)?.kind).toBe('summary');
    expect(edges.filter((e) => e.kind === 'tool-invocation').length).toBe(
      stats.sessions.flatMap(({ session }) => rt.store.list(session, { kinds: ['tool-result'] }))
        .length,
    );
  });

  it('leaves blocks out for budget reasons, so the inspector has why-not data', () => {
    const reasons = new Set(records.flatMap((r) => r.plan.omitted.map((o) => o.reason)));
    for (const reason of [
      'global-budget',
      'section-budget',
      'replaced-by-summary',
      'duplicate',
    ] as const)
      expect(reasons).toContain(reason);
    expect(records.some((r) => r.budget !== null && r.plan.budget.used <= r.budget)).toBe(true);
  });

  it('replays every call identically', async () => {
    for (const r of records)
      expect((await rt.replay(r.callId)).identical, `${r.session} ${r.task}`).toBe(true);
  });

  it('is the same on every build: same blocks, same prompts', async () => {
    const dir = fresh();
    await buildDemoStore(dir);
    const again = openRuntime(dir, { create: false });
    try {
      expect(fingerprint(again)).toEqual(fingerprint(rt));
    } finally {
      await again.close();
    }
  });

  it('refuses a directory that is not empty', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(buildDemoStore(dir)).rejects.toThrow(/not empty/);
  });
});
