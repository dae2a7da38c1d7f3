// A damaged data.mdb never kills a command with a signal: a truncated file is refused before it is
// mapped, with what is wrong and what to do; verify and repair read in a child process, so a crash
// inside LMDB on a garbage page becomes a report.
import { openSync, readFileSync, statSync, truncateSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chatMessages,
  cli,
  cliOk,
  damagedCopy,
  ensureCliBuilt,
  initStore,
  tempDirs,
  writeTranscript,
} from './cli-test-helpers';

const dirs = tempDirs();
let work = '';
let pristine = '';

/** A copy of the pristine store, damaged by `damage(path of its data.mdb)`. */
const damaged = (name: string, damage: (file: string) => void): string =>
  damagedCopy(pristine, work, name, damage);

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  pristine = await initStore(work, 'pristine');
  await cliOk([
    'ingest',
    '--store',
    pristine,
    '--session',
    'chat',
    '--tokenizer',
    'none',
    writeTranscript(work, 'chat.jsonl', chatMessages(3000, 'damage', 300)),
  ]);
});
afterAll(() => dirs.cleanup());

const VERBS = [
  ['list-sessions'],
  ['page', '--session', 'chat', '--task', 'x'],
  ['verify'],
  ['repair', '--yes'],
];

describe('a damaged data.mdb', () => {
  it('truncated to half: every verb exits 1 saying the end of the file is missing, no signal', async () => {
    const store = damaged('half', (file) =>
      truncateSync(file, Math.floor(statSync(file).size / 2)),
    );
    for (const verb of VERBS) {
      const result = await cli([...verb, '--store', store]);
      expect(result.signal, verb[0]).toBeNull();
      expect(result.code, verb[0]).toBe(1);
      expect(result.stderr).toMatch(
        /is damaged: data\.mdb it is \d+ bytes but its last transaction \(\d+\) uses \d+: the end of the file is missing/,
      );
    }
  });

  it('truncated to 4 KB: refused before mapping, exit 1', async () => {
    const store = damaged('tiny', (file) => truncateSync(file, 4096));
    for (const verb of VERBS) {
      const result = await cli([...verb, '--store', store]);
      expect(result.signal, verb[0]).toBeNull();
      expect(result.code, verb[0]).toBe(1);
      expect(result.stderr).toMatch(/is damaged|not an LMDB file/);
    }
  });

  it('with 4 KB of garbage inside: verify and repair report instead of dying by a signal', async () => {
    // Garbage over pages at several places: some land on pages LMDB walks (branch and leaf pages),
    // where reading them crashed verify with SIGSEGV or an abort before.
    for (const share of [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98]) {
      const store = damaged(`garbage-${share}`, (file) => {
        const size = statSync(file).size;
        let x = 386;
        const garbage = Buffer.from(
          Array.from({ length: 4096 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff),
        );
        const fd = openSync(file, 'r+');
        writeSync(
          fd,
          garbage,
          0,
          garbage.length,
          Math.max(2, Math.floor((size * share) / 4096)) * 4096,
        );
        closeSync(fd);
      });
      expect(readFileSync(join(store, 'data.mdb')).length).toBeGreaterThan(8192);
      for (const verb of [['verify'], ['repair', '--yes']]) {
        const result = await cli([...verb, '--store', store]);
        expect(result.signal, `${verb[0]} at ${share}`).toBeNull();
        expect([0, 1], `${verb[0]} at ${share}: ${result.stderr}`).toContain(result.code);
      }
    }
  });
});
