// `llm386 trace what-if <call> --config FILE`: the file's [section_budgets], [[retriever]] weights
// and [pager] switches re-page the recording as the matching flags do (the inspector's What-if
// exports such a file), through the real binary.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
let dir = '';
let store = '';
let call = '';
beforeAll(async () => {
  ensureCliBuilt();
  dir = dirs.make();
  store = await initStore(dir);
  await cliOk([
    'ingest',
    '--store',
    store,
    '--session',
    'chat',
    writeTranscript(dir, 'chat.jsonl', TRANSCRIPT),
  ]);
  await cliOk(['put', '-', '--store', store, '--session', 'chat', '--kind', 'fact'], {
    input: 'Lisbon is the capital of Portugal and has many trams.',
  });
  call = (
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
      '2026-11-25T12:00:00Z',
      '--trace',
      '--json',
    ])
  ).callId;
});
afterAll(() => dirs.cleanup());

type WhatIfJson = {
  promptHash: string;
  diff: { summary: string };
  plan: {
    sections: { section: string; allocated: number; spillReceived: number }[];
    retrievers: { name: string; weight: number }[];
  };
};
const whatIf = (...flags: string[]) =>
  cliJson<WhatIfJson>(['trace', 'what-if', call, ...flags, '--store', store, '--json']);
let n = 0;
const toml = (text: string) => {
  const path = join(dir, `whatif-${++n}.toml`);
  writeFileSync(path, text);
  return path;
};

describe('trace what-if --config', () => {
  it('[section_budgets] in the file re-page as --section does', async () => {
    const recorded = await whatIf();
    const flags = await whatIf('--section', 'retrieved=0.2', '--section', 'recent=0.4');
    const file = await whatIf(
      '--config',
      toml('[section_budgets]\nretrieved = 0.2\nrecent = 0.4\n'),
    );
    expect(flags.promptHash).not.toBe(recorded.promptHash);
    expect(file.promptHash).toBe(flags.promptHash);
    expect(file.plan.sections).toEqual(flags.plan.sections);
  });

  it('[[retriever]] weights and [pager] switches in the file re-page as --weight and --switch do', async () => {
    const flags = await whatIf(
      '--weight',
      'bm25=0',
      '--switch',
      'spill=false',
      '--switch',
      'redundancy_threshold=0.8',
    );
    const file = await whatIf(
      '--config',
      toml(
        '[[retriever]]\nkind = "bm25"\nname = "bm25"\nweight = 0\n\n[pager]\nspill = false\nredundancy_threshold = 0.8\n',
      ),
    );
    expect(file.plan.retrievers.find((r) => r.name === 'bm25')?.weight).toBe(0);
    expect(file.plan.sections.every((s) => s.spillReceived === 0)).toBe(true);
    expect(file.promptHash).toBe(flags.promptHash);
  });

  it('a file that sets nothing re-pages the recording, and flags win over the file', async () => {
    const recorded = await whatIf();
    expect((await whatIf('--config', toml('# only comments\n'))).promptHash).toBe(
      recorded.promptHash,
    );
    const path = toml('[section_budgets]\nretrieved = 0.2\n');
    expect((await whatIf('--config', path, '--section', 'retrieved=0.55')).promptHash).toBe(
      recorded.promptHash,
    );
  });

  it('a retriever the recording lacks or fractions over 1 are refused, naming what to fix', async () => {
    expectFailure(
      await cli([
        'trace',
        'what-if',
        call,
        '--config',
        toml('[[retriever]]\nkind = "bm25"\nname = "other"\nweight = 2\n'),
        '--store',
        store,
      ]),
      2,
      /no retriever "other" in the recorded stack/,
    );
    expectFailure(
      await cli([
        'trace',
        'what-if',
        call,
        '--config',
        toml('[section_budgets]\nretrieved = 0.9\nrecent = 0.5\n'),
        '--store',
        store,
      ]),
      1,
      /whatif-\d+\.toml:2: section_budgets: section fractions must sum to at most 1/,
    );
  });
});
