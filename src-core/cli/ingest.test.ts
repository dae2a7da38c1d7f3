// The reading side of `ingest`, in process: inputs of any size stream (one transcript of 200k
// messages, one folder of 130k files: both overflowed the stack when collected with a spread),
// folder loops are reported once, and errors name the file and line.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isLlm386Error } from '../base/index';
import { tempDirs } from './cli-test-helpers';
import { ingestItems, type SkippedMessage } from './ingest';
import { walkFiles, type WalkNotice } from './ingest-walk';

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
const options = { session: 'chat', kind: 'document-chunk' as const, chunkChars: 2000 };

async function count(items: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const item of items) if (item !== undefined) n++;
  return n;
}

describe('ingestItems', () => {
  it('streams a 200k-message transcript', async () => {
    const dir = dirs.make();
    const file = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 200_000; i++)
      lines.push(JSON.stringify({ role: i % 2 === 0 ? 'user' : 'assistant', content: `m${i}` }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(await count(ingestItems([file], options))).toBe(200_000);
  });

  it('names the file and line of the first bad line, even near the end', async () => {
    const dir = dirs.make();
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, `${'{"role":"user","content":"ok"}\n'.repeat(5000)}{"role":"user",\n`);
    const error = await count(ingestItems([file], options)).catch((e: unknown) => e);
    expect(isLlm386Error(error, 'invalid-input') && error.message).toMatch(
      /bad\.jsonl:5001: not valid JSON/,
    );
  });

  it('says which line holds invalid UTF-8', async () => {
    const dir = dirs.make();
    const file = join(dir, 'latin1.jsonl');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('{"role":"user","content":"a"}\n{"role":"user","content":"caf'),
        Buffer.from([0xe9]),
        Buffer.from('"}\n'),
      ]),
    );
    const error = await count(ingestItems([file], options)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/latin1\.jsonl:2: not UTF-8 text/);
  });

  it('reports messages with no content instead of dropping them silently', async () => {
    const dir = dirs.make();
    const file = join(dir, 'empty.jsonl');
    writeFileSync(
      file,
      '{"role":"user","content":"hi"}\n{"role":"assistant","content":""}\n{"role":"user","content":null}\n',
    );
    const skipped: SkippedMessage[] = [];
    expect(await count(ingestItems([file], options, { skipped: (s) => skipped.push(s) }))).toBe(1);
    expect(skipped.map((s) => s.where)).toEqual([`${file}:2`, `${file}:3`]);
  });
});

describe('walkFiles', () => {
  it('walks a folder of 130k files in sorted order', async () => {
    const dir = dirs.make();
    for (let i = 0; i < 130_000; i++)
      writeFileSync(join(dir, `f${String(i).padStart(6, '0')}.txt`), '');
    let n = 0;
    let last = '';
    for await (const file of walkFiles([dir])) {
      expect(file > last).toBe(true);
      last = file;
      n++;
    }
    expect(n).toBe(130_000);
  });

  it('orders names by code unit, skips dot-entries and node_modules, follows symlinks to files', async () => {
    const dir = dirs.make();
    const names = ['b', 'B', 'a', 'ab', 'a-b', 'a.b', 'é', 'z', '😀', 'e\u0301', '10', '9'];
    for (const name of names) writeFileSync(join(dir, name), name);
    mkdirSync(join(dir, 'm', 'node_modules'), { recursive: true });
    writeFileSync(join(dir, 'm', 'node_modules', 'skipped'), '');
    writeFileSync(join(dir, 'm', 'kept'), '');
    writeFileSync(join(dir, '.hidden'), '');
    symlinkSync(join(dir, 'a'), join(dir, 'link'));
    const files: string[] = [];
    for await (const file of walkFiles([dir])) files.push(file.slice(dir.length + 1));
    const want = [...names, 'm', 'link'].sort();
    expect(files).toEqual(want.map((name) => (name === 'm' ? join('m', 'kept') : name)));
  });

  it('reports a folder symlink loop once and does not follow it', async () => {
    const dir = dirs.make();
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'note.txt'), 'x');
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'b', 'up'));
    const notices: WalkNotice[] = [];
    const files: string[] = [];
    for await (const file of walkFiles([dir], (n) => notices.push(n))) files.push(file);
    expect(files).toEqual([join(dir, 'a', 'b', 'note.txt')]);
    expect(notices).toEqual([{ kind: 'loop', path: join(dir, 'a', 'b', 'up') }]);
  });
});
