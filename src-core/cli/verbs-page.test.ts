// `llm386 page` and `llm386 pack` through the real binary on a store built by `ingest`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  expectFailure,
  initStore,
  tempDirs,
  writeFile,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';
import { Store } from '../store/index';

interface PlanJson {
  budget: { input: number; used: number };
  sections: { section: string; allocated: number; used: number; overhead: number }[];
  selected: {
    id: string;
    section: string;
    tokens: number;
    score: number;
    reason: string;
    retrievers: Record<string, { raw: number; normalized: number; rank: number }>;
  }[];
  omitted: {
    id: string;
    reason: string;
    score: number;
    tokensNeeded: number;
    tokensLeft: number;
  }[];
  timings: Record<string, number>;
}

const TRANSCRIPT: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'My name is Ada and I live in Lisbon.' },
  { role: 'assistant', content: 'Nice to meet you, Ada!' },
  { role: 'user', content: 'What is 12*7?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'calc', arguments: '{"expr":"12*7"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '84' },
  { role: 'assistant', content: '12*7 is 84.' },
  ...Array.from({ length: 40 }, (_, i): ChatMessage => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `small talk number ${i} about the weather and trains`,
  })),
  { role: 'user', content: 'Where do I live?' },
];

const dirs = tempDirs();
let store = '';
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
});
afterAll(() => dirs.cleanup());

describe('page', () => {
  it('--chat and --format make the plan for that rendering: its used is exactly what pack renders, from 150 to 128k tokens', async () => {
    const cases: [string[], number][] = [
      [[], 150],
      [['--chat'], 400],
      [['--format', 'openai'], 1000],
      [['--format', 'anthropic', '--model', 'claude-sonnet-4-5'], 3000],
      [['--format', 'openai'], 128_000],
    ];
    for (const [flags, budget] of cases) {
      const common = [
        '--store',
        store,
        '--session',
        'chat',
        '--task',
        'where does Ada live',
        '--budget',
        String(budget),
        '--now',
        '2026-11-25T12:00:00Z',
        ...flags,
        '--json',
      ];
      const plan = await cliJson<PlanJson & { rendering: string; budget: { slack: number } }>([
        'page',
        ...common,
      ]);
      const packed = await cliJson<{ tokens: number }>(['pack', ...common]);
      expect(plan.rendering).toBe(flags[1] ?? (flags[0] === '--chat' ? 'chat' : 'string'));
      expect(plan.budget.used, `${flags.join(' ')} at ${budget}`).toBe(packed.tokens);
      expect(plan.budget.slack).toBe(budget - plan.budget.used);
    }
  });

  it('prints the plan as JSON with budget, sections, selected, omitted and timings', async () => {
    const plan = await cliJson<PlanJson>([
      'page',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'where does Ada live',
      '--budget',
      '250',
      '--json',
    ]);
    expect(plan.budget.input).toBe(250);
    expect(plan.budget.used).toBeLessThanOrEqual(250);
    expect(plan.sections.map((s) => s.section)).toEqual([
      'system',
      'task',
      'state',
      'plan',
      'retrieved',
      'tools',
      'recent',
      'background',
    ]);
    expect(plan.selected.length).toBeGreaterThan(0);
    expect(plan.omitted.length).toBeGreaterThan(0);
    for (const o of plan.omitted) expect(typeof o.tokensNeeded).toBe('number');
    const ada = plan.selected.find(
      (s) => s.retrievers.bm25 !== undefined && s.reason === 'relevance',
    );
    expect(ada?.retrievers.bm25?.normalized).toBeGreaterThan(0);
    expect(Object.keys(plan.timings)).toEqual(
      expect.arrayContaining([
        'retrieve:recency',
        'retrieve:bm25',
        'retrieve:ann',
        'merge',
        'allocate',
        'fill',
      ]),
    );
  });

  it('gives the same plan in two separate processes (deterministic across restarts)', async () => {
    const args = [
      'page',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'weather trains',
      '--budget',
      '300',
      '--now',
      '2026-11-25T12:00:00Z',
      '--json',
    ];
    const strip = (p: PlanJson & { retrievers?: unknown }) => ({
      ...p,
      timings: {},
      retrievers: [],
    });
    const a = strip(await cliJson<PlanJson>(args));
    const b = strip(await cliJson<PlanJson>(args));
    expect(b).toEqual(a);
  });

  it('keeps a required block or fails with budget-exceeded', async () => {
    const plan = await cliJson<PlanJson>([
      'page',
      '--store',
      store,
      '--session',
      'chat',
      '--budget',
      '300',
      '--json',
    ]);
    const some = plan.omitted[0]?.id as string;
    const withIt = await cliJson<PlanJson>([
      'page',
      '--store',
      store,
      '--session',
      'chat',
      '--budget',
      '300',
      '--require',
      some,
      '--json',
    ]);
    expect(withIt.selected.find((s) => s.id === some)?.reason).toBe('required');
    const tiny = await cli([
      'page',
      '--store',
      store,
      '--session',
      'chat',
      '--budget',
      '5',
      '--require',
      some,
    ]);
    expectFailure(tiny, 1, /need \d+ tokens but the input budget is 5/);
  });

  it('rejects bad flags with usage errors', async () => {
    expectFailure(await cli(['page', '--store', store, '--task', 'x']), 2, /--session is required/);
    expectFailure(
      await cli(['page', '--store', store, '--session', 'chat', '--budget', 'lots']),
      2,
      /--budget needs a whole number of tokens from 1 to 10000000/,
    );
    expectFailure(
      await cli(['page', '--store', store, '--session', 'chat', '--model', 'gpt-9']),
      1,
      /unknown model "gpt-9"/,
    );
    expectFailure(
      await cli(['page', '--store', store, '--session', 'chat', '--require', 'nothex']),
      2,
      /not a block id/,
    );
  });

  it('reads the retriever stack and section budgets from --config', async () => {
    const dir = dirs.make();
    const config = writeFile(
      dir,
      'c.toml',
      '[[retriever]]\nkind = "recency"\nweight = 1\n\n[section_budgets]\nstate = 0\nplan = 0\ntools = 0\nbackground = 0\nrecent = 0.9\nretrieved = 0.05\n',
    );
    const plan = await cliJson<PlanJson & { retrievers: { name: string }[] }>([
      'page',
      '--store',
      store,
      '--config',
      config,
      '--session',
      'chat',
      '--budget',
      '400',
      '--json',
    ]);
    expect(plan.retrievers.map((r) => r.name)).toEqual(['recency']);
    const recent = plan.sections.find((s) => s.section === 'recent');
    expect(recent?.allocated).toBeGreaterThan(300);
  });
});

describe('pack', () => {
  it('prints {prompt, tokens, promptHash} within the budget', async () => {
    const out = await cliJson<{ prompt: string; tokens: number; promptHash: string }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'where does Ada live',
      '--budget',
      '250',
      '--json',
    ]);
    expect(out.prompt).toContain('## Task\nwhere does Ada live\n');
    expect(out.tokens).toBeLessThanOrEqual(250);
    expect(out.promptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints {messages, cacheBoundary} with --chat, tool results right after their call', async () => {
    const out = await cliJson<{
      messages: { role: string; toolCalls?: unknown[] }[];
      cacheBoundary: number | null;
      tokens: number;
    }>(['pack', '--store', store, '--session', 'chat', '--budget', '2000', '--chat', '--json']);
    expect(out.cacheBoundary).toBe(0);
    const tool = out.messages.findIndex((m) => m.role === 'tool');
    expect(out.messages[tool - 1]?.toolCalls).toHaveLength(1);
  });

  it('prints {request, cacheBoundary} in the OpenAI and Anthropic shapes', async () => {
    const openai = await cliJson<{ request: { model: string; messages: { role: string }[] } }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--format',
      'openai',
      '--json',
    ]);
    expect(openai.request.model).toBe('gpt-4o');
    expect(openai.request.messages[0]?.role).toBe('system');
    const anthropic = await cliJson<{
      request: { system: { cache_control?: unknown }[]; messages: unknown[] };
      cacheBoundary: number;
    }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--model',
      'claude-sonnet-4-5',
      '--format',
      'anthropic',
      '--json',
    ]);
    expect(anthropic.request.system[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expectFailure(
      await cli(['pack', '--store', store, '--session', 'chat', '--format', 'gemini']),
      2,
      /unknown --format "gemini"/,
    );
  });
});

describe('indexes left behind', () => {
  it('a page call that had to build the indexes saves them, so the next call does not build again', async () => {
    const dir = dirs.make();
    const path = await initStore(dir);
    // Blocks written with no index maintenance: as after a writer killed during its final save.
    const writer = Store.open(path);
    writer.putMany(
      Array.from({ length: 1500 }, (_, i) => ({
        session: 'chat',
        kind: 'user-message',
        body: `message ${i} about trains and ${i % 13}`,
      })),
    );
    const written = writer.changeSeq();
    writer.close();
    await cliOk([
      'page',
      '--store',
      path,
      '--session',
      'chat',
      '--task',
      'trains',
      '--budget',
      '300',
    ]);
    const reader = Store.open(path);
    const manifest = reader.db.indexes.get('family:text') as { seq: number } | undefined;
    reader.close();
    expect(manifest?.seq).toBeGreaterThanOrEqual(written);
  });
});
