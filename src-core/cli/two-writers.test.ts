// Two processes writing to one store at once lose nothing: concurrent bulk ingests, and
// concurrent loops of single puts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatMessages,
  cli,
  cliJson,
  ensureCliBuilt,
  finished,
  initStore,
  sessionBlocks,
  startCli,
  tempDirs,
  writeTranscript,
} from './cli-test-helpers';

const dirs = tempDirs();

beforeAll(() => ensureCliBuilt());
afterAll(() => dirs.cleanup());

describe.concurrent('two ingest processes started at once into one session', () => {
  const perWriter = 3000;
  let store: string;

  beforeAll(async () => {
    const work = dirs.make();
    store = await initStore(work);
    // Small batches so the two writers' transactions interleave many times.
    const start = (tag: string, session: string) => {
      const file = writeTranscript(work, `${tag}.jsonl`, chatMessages(perWriter, tag));
      const child = startCli([
        'ingest',
        '--session',
        session,
        file,
        '--batch',
        '100',
        '--store',
        store,
      ]);
      child.stdin?.end();
      return finished(child);
    };
    const results = await Promise.all([start('a', 'shared'), start('b', 'shared')]);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });

  it('keep every message of both writers', async () => {
    expect(await sessionBlocks(store, 'shared')).toBe(2 * perWriter);
  });

  it('leave a store that verifies clean', async () => {
    expect(await cliJson(['verify', '--store', store])).toMatchObject({
      ok: true,
      blocks: 2 * perWriter,
      problems: [],
    });
  });
});

describe.concurrent('two loops of put running at the same time', () => {
  const perLoop = 20;
  let store: string;
  const ids: string[] = [];

  beforeAll(async () => {
    store = await initStore(dirs.make());
    const loop = async (tag: string) => {
      for (let i = 0; i < perLoop; i++) {
        const result = await cli(
          ['put', '-', '--store', store, '--session', 'puts', '--kind', 'user-message'],
          { input: `${tag} ${i}` },
        );
        expect(result.code, result.stderr).toBe(0);
        ids.push(result.stdout.trim());
      }
    };
    await Promise.all([loop('left'), loop('right')]);
  });

  it('give every put its own id', () => {
    expect(new Set(ids).size).toBe(2 * perLoop);
  });

  it('lose no block', async () => {
    expect(await sessionBlocks(store, 'puts')).toBe(2 * perLoop);
  });

  it('leave a store that verifies clean', async () => {
    expect(await cliJson(['verify', '--store', store])).toMatchObject({
      ok: true,
      blocks: 2 * perLoop,
    });
  });
});
