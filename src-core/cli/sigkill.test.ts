// A bulk ingest killed with SIGKILL part-way leaves a store that opens, verifies clean and holds
// every block whose batch was acknowledged on stderr before the kill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatMessages,
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  initStore,
  sessionBlocks,
  startCli,
  tempDirs,
  writeTranscript,
} from './cli-test-helpers';

const MESSAGES = 60_000;
const BATCH = 500;

const dirs = tempDirs();
let store: string;
/** The committed counts printed before the kill, in order. */
const acknowledged: number[] = [];
let exit: { code: number | null; signal: NodeJS.Signals | null };

/** Starts the ingest and kills it with SIGKILL once two progress lines have arrived. */
function ingestAndKill(
  file: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = startCli([
    'ingest',
    '--session',
    'big',
    file,
    '--batch',
    String(BATCH),
    '--store',
    store,
  ]);
  child.stdin?.end();
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ingest: (\d+)\/(\d+) committed/.exec(line);
        if (match !== null && child.exitCode === null && child.signalCode === null)
          acknowledged.push(Number(match[1]));
      }
      if (acknowledged.length >= 2 && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

beforeAll(async () => {
  ensureCliBuilt();
  const work = dirs.make();
  store = await initStore(work);
  const file = writeTranscript(work, 'big.jsonl', chatMessages(MESSAGES, 'big'));
  exit = await ingestAndKill(file);
});
afterAll(() => dirs.cleanup());

describe('an ingest killed with SIGKILL part-way', () => {
  it('was killed after acknowledging some batches but before finishing', () => {
    expect(exit.signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(2);
    expect(acknowledged.at(-1)).toBeLessThan(MESSAGES);
  });

  it('leaves a store that opens', async () => {
    const result = await cli(['list-sessions', '--store', store, '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('leaves a store that verifies clean', async () => {
    expect(await cliJson(['verify', '--store', store])).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps every block whose batch was acknowledged', async () => {
    expect(await sessionBlocks(store, 'big')).toBeGreaterThanOrEqual(
      acknowledged.at(-1) ?? Infinity,
    );
  });

  it('keeps only whole batches: a batch is committed entirely or not at all', async () => {
    const blocks = await sessionBlocks(store, 'big');
    expect(blocks).toBeLessThan(MESSAGES);
    expect(blocks % BATCH).toBe(0);
  });

  it('leaves a store the next writer can write to', async () => {
    const before = await sessionBlocks(store, 'big');
    await cliOk(['put', '-', '--store', store, '--session', 'big', '--kind', 'user-message'], {
      input: 'after the crash',
    });
    expect(await sessionBlocks(store, 'big')).toBe(before + 1);
    expect(await cliJson(['verify', '--store', store])).toMatchObject({ ok: true });
  });
});
