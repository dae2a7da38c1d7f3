// Body edge cases through the real binary: empty, very large, binary (non-UTF-8) and text with
// terminal control characters.
import { createHash, randomBytes } from 'node:crypto';
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
} from './cli-test-helpers';

interface PutJson {
  id: string;
  hash: string;
}
interface ShowJson {
  hash: string;
  body: string | null;
  binary: boolean;
  bodyBase64?: string;
  size: number;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x80]);

const dirs = tempDirs();
let work: string;
let store: string;

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  store = await initStore(work);
});
afterAll(() => dirs.cleanup());

const putArgs = (file: string, session: string) => [
  'put',
  file,
  '--store',
  store,
  '--session',
  session,
  '--kind',
  'document-chunk',
];

describe.concurrent('an empty body', () => {
  it('from a file is rejected and nothing is stored', async () => {
    const file = writeFile(work, 'empty.txt', '');
    expectFailure(
      await cli(putArgs(file, 'empty')),
      2,
      /the body is empty: a block needs at least one byte \(check the file or stdin\)/,
    );
    expect(await cliJson(['list-sessions', '--store', store])).not.toContainEqual(
      expect.objectContaining({ session: 'empty' }),
    );
  });

  it('from stdin is rejected', async () => {
    expectFailure(await cli(putArgs('-', 'empty'), { input: '' }), 2, /the body is empty/);
  });
});

describe.concurrent('a 50 MB body', () => {
  const size = 50 * 1024 * 1024;
  let content: Buffer;
  let file: string;

  beforeAll(() => {
    // Printable text (base64 of random bytes) so `show --json` carries it as a string.
    content = Buffer.from(randomBytes((size / 4) * 3).toString('base64'));
    file = writeFile(work, 'big.txt', content);
  });

  it('is stored under the sha256 of the file', async () => {
    const reply = await cliJson<PutJson>(putArgs(file, 'big'));
    expect(reply.hash).toBe(sha256(content));
  });

  it('comes back byte for byte from show --json', async () => {
    const { id } = await cliJson<PutJson>(putArgs(file, 'big-roundtrip'));
    const block = await cliJson<ShowJson>(['show', id, '--store', store]);
    expect(block.size).toBe(size);
    expect(block.body?.length).toBe(size);
    expect(sha256(block.body ?? '')).toBe(sha256(content));
  });

  it('is stored exactly when it arrives on stdin', async () => {
    const reply = await cliJson<PutJson>(putArgs('-', 'big-stdin'), { input: content });
    expect(reply.hash).toBe(sha256(content));
  });
});

describe.concurrent('a body that is not UTF-8', () => {
  let id: string;
  let hash: string;

  beforeAll(async () => {
    const file = writeFile(work, 'blob.bin', NOT_UTF8);
    ({ id, hash } = await cliJson<PutJson>(putArgs(file, 'binary')));
  });

  it('is stored exactly: its hash is the sha256 of the bytes', () => {
    expect(hash).toBe(sha256(NOT_UTF8));
  });

  it('is stored exactly when it arrives on stdin', async () => {
    expect((await cliJson<PutJson>(putArgs('-', 'binary-stdin'), { input: NOT_UTF8 })).hash).toBe(
      sha256(NOT_UTF8),
    );
  });

  it('is shown in text mode as a placeholder, never as raw bytes', async () => {
    const result = await cli(['show', id, '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `[binary body: ${NOT_UTF8.length} bytes, sha256 ${hash.slice(0, 16)}]`,
    );
    for (const byte of [0xff, 0xfe, 0x00, 0x80])
      expect(result.stdoutBytes.includes(byte)).toBe(false);
  });

  it('is shown in JSON as binary: true with the bytes in base64', async () => {
    const block = await cliJson<ShowJson>(['show', id, '--store', store]);
    expect(block.binary).toBe(true);
    expect(block.body).toBeNull();
    expect(Buffer.from(block.bodyBase64 ?? '', 'base64').equals(NOT_UTF8)).toBe(true);
  });
});

describe.concurrent('a text body with terminal control characters', () => {
  it('is shown in text mode with the control characters escaped', async () => {
    const id = await cliOk(putArgs('-', 'escapes'), { input: 'red \u001b[31malert\u0007 done' });
    const result = await cli(['show', id, '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('red \\x1b[31malert\\x07 done');
    expect(result.stdout).not.toContain('\u001b');
  });

  it('labels and names are shown with the control characters escaped too', async () => {
    const id = await cliOk([...putArgs('-', 'escapes-label'), '--label', 'tag\u001b[2J'], {
      input: 'labelled',
    });
    const result = await cli(['show', id, '--store', store]);
    expect(result.stdout).toContain('tag\\x1b[2J');
    expect(result.stdout).not.toContain('\u001b');
  });

  it('is shown in JSON unchanged', async () => {
    const id = await cliOk(putArgs('-', 'escapes-json'), { input: 'bell \u0007' });
    expect((await cliJson<ShowJson>(['show', id, '--store', store])).body).toBe('bell \u0007');
  });
});
