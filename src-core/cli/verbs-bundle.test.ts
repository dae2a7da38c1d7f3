// `llm386 trace export` and `trace import` through the real binary: a bundle round trip replays
// identical in the new store; bad input fails with one line and the right exit code.
import { readFileSync } from 'node:fs';
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
  writeFile,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';

const TRANSCRIPT: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  ...Array.from({ length: 40 }, (_, i): ChatMessage => ({
    role: i % 2 === 0 ? 'user' : 'assistant',
    content: `turn ${i}: we talked about ${['trains', 'weather', 'lisbon', 'music'][i % 4]} and number ${i * 7}`,
  })),
];

const dirs = tempDirs();
let dir = '';
let store = '';
let callId = '';
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
  callId = (
    await cliJson<{ callId: string }>([
      'pack',
      '--store',
      store,
      '--session',
      'chat',
      '--task',
      'what about lisbon',
      '--budget',
      '500',
      '--chat',
      '--now',
      '2026-11-25T12:00:00Z',
      '--trace',
      '--json',
    ])
  ).callId;
});
afterAll(() => dirs.cleanup());

describe('trace export and import', () => {
  it('export --out writes a bundle; import --store makes a new store where replay is identical', async () => {
    const file = join(dir, 'turn.json');
    const exported = await cliJson<{ callId: string; out: string; blocks: number }>([
      'trace',
      'export',
      callId,
      '--store',
      store,
      '--out',
      file,
      '--json',
    ]);
    expect(exported).toMatchObject({ callId, out: file });
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
      format: string;
      blocks: unknown[];
      trace: { callId: string };
    };
    expect(bundle).toMatchObject({ format: 'llm386-turn-bundle', trace: { callId } });
    expect(bundle.blocks.length).toBe(exported.blocks);

    const target = join(dir, 'imported');
    const made = await cliJson<{ dir: string; callId: string; sessions: string[] }>([
      'trace',
      'import',
      file,
      '--store',
      target,
      '--json',
    ]);
    expect(made).toMatchObject({ dir: target, callId, sessions: ['chat'] });
    const report = await cliJson<{ identical: boolean }>([
      'trace',
      'replay',
      callId,
      '--store',
      target,
      '--json',
    ]);
    expect(report.identical).toBe(true);
    expect(await cliOk(['trace', 'replay', callId, '--store', target])).toMatch(
      /^identical: [0-9a-f]{64}/,
    );
  });

  it('export without --out prints the bundle on stdout', async () => {
    const bundle = await cliJson<{ callId: string }>(['trace', 'export', callId, '--store', store]);
    expect(bundle.callId).toBe(callId);
  });

  it('import refuses a folder that already holds a store, and a file that is not a bundle', async () => {
    const file = join(dir, 'again.json');
    await cliOk(['trace', 'export', callId, '--store', store, '--out', file]);
    expectFailure(
      await cli(['trace', 'import', file, '--store', store]),
      1,
      /is not empty: import a bundle into a new folder/,
    );
    expectFailure(
      await cli([
        'trace',
        'import',
        writeFile(dir, 'nope.json', '{"hello":1}'),
        '--store',
        join(dir, 'x1'),
      ]),
      1,
      /not a valid turn bundle at format/,
    );
    expectFailure(
      await cli([
        'trace',
        'import',
        writeFile(dir, 'broken.json', '{not json'),
        '--store',
        join(dir, 'x2'),
      ]),
      1,
      /is not JSON/,
    );
    expectFailure(
      await cli(['trace', 'import', join(dir, 'missing.json'), '--store', join(dir, 'x3')]),
      1,
      /no bundle at/,
    );
  });

  it('usage errors exit 2: no call id, no file, a bad id', async () => {
    expectFailure(await cli(['trace', 'export', '--store', store]), 2, /name a call id/);
    expectFailure(
      await cli(['trace', 'import', '--store', join(dir, 'x4')]),
      2,
      /name a bundle file/,
    );
    expectFailure(await cli(['trace', 'export', 'xyz', '--store', store]), 2, /id/);
    expectFailure(await cli(['trace', 'export', '0'.repeat(32), '--store', store]), 1, /no trace/);
  });
});
