// The trust issue's scenario through the real binary: 1,500 messages, six traced packs at 600
// tokens, then 1,500 more messages into the same session, a fact from another session put again
// into this one (deduplicated) and a `parent` edge between two blocks that existed at the calls.
// Every call replays identically and a what-if without overrides changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliJson,
  cliOk,
  ensureCliBuilt,
  initStore,
  sessionIds,
  tempDirs,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';

const TOPICS = [
  'trains',
  'weather',
  'lisbon',
  'music',
  'billing',
  'ferries',
  'coffee',
  'deadlines',
  'tickets',
  'engines',
];
const messages = (from: number, n: number): ChatMessage[] =>
  Array.from({ length: n }, (_, k): ChatMessage => {
    const i = from + k;
    return {
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `turn ${i}: about ${TOPICS[i % TOPICS.length]} and ${TOPICS[(i * 7) % TOPICS.length]}, number ${i * 13}`,
    };
  });
const TASKS = [
  'what about lisbon trains',
  'billing deadlines',
  'ferries and coffee',
  'tickets for music',
  'weather and engines',
  'number 650 lisbon',
];

const dirs = tempDirs();
let store = '';
const calls: string[] = [];
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
    writeTranscript(dir, 'first.jsonl', messages(0, 1500)),
  ]);
  await cliOk(['put', '-', '--store', store, '--session', 'notes', '--kind', 'fact'], {
    input: 'The billing deadline for lisbon trains is the 5th.',
  });
  for (const [i, task] of TASKS.entries()) {
    const now = `2026-12-01T12:0${i}:00Z`;
    calls.push(
      (
        await cliJson<{ callId: string }>([
          'pack',
          '--store',
          store,
          '--session',
          'chat',
          '--task',
          task,
          '--budget',
          '600',
          '--now',
          now,
          '--trace',
        ])
      ).callId,
    );
  }
  const early = sessionIds(store, 'chat').slice(0, 2);
  await cliOk([
    'ingest',
    '--store',
    store,
    '--session',
    'chat',
    writeTranscript(dir, 'second.jsonl', messages(1500, 1500)),
  ]);
  await cliOk(['put', '-', '--store', store, '--session', 'chat', '--kind', 'fact'], {
    input: 'The billing deadline for lisbon trains is the 5th.',
  });
  await cliOk([
    'add-edge',
    '--from',
    early[1] ?? '',
    '--kind',
    'parent',
    '--to',
    early[0] ?? '',
    '--store',
    store,
  ]);
}, 240_000);
afterAll(() => dirs.cleanup());

describe('replay after the store has grown', () => {
  it('every one of the six calls replays identically', async () => {
    expect(calls).toHaveLength(6);
    for (const call of calls) {
      const report = await cliJson<{ identical: boolean; divergence?: unknown; gone: unknown[] }>([
        'trace',
        'replay',
        call,
        '--store',
        store,
      ]);
      expect(report.divergence, call).toBeUndefined();
      expect(report).toMatchObject({ identical: true, gone: [] });
    }
  }, 120_000);

  it('a what-if without overrides diffs empty, scores included', async () => {
    for (const call of calls) {
      const out = await cliJson<{ diff: { summary: string; retrievers: unknown[] } }>([
        'trace',
        'what-if',
        call,
        '--store',
        store,
      ]);
      expect(out.diff.summary).toBe('+0 -0 ~0 (+0 tokens)');
      expect(out.diff.retrievers).toEqual([]);
    }
  }, 120_000);
});
