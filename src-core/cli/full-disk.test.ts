// A full or failing disk, by fault injection (LLM386_FAULT): a committed put is reported as
// committed, a failure after the commit is said separately, a failed commit says "disk full" in
// words, and a client's idempotency key makes a retried put return the first put's result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  ensureCliBuilt,
  expectFailure,
  initStore,
  sessionBlocks,
  tempDirs,
} from './cli-test-helpers';

const dirs = tempDirs();
let store = '';
beforeAll(async () => {
  ensureCliBuilt();
  store = await initStore(dirs.make());
});
afterAll(() => dirs.cleanup());

const put = (
  session: string,
  body: string,
  flags: string[] = [],
  env: Record<string, string> = {},
) =>
  cli(['put', '-', '--store', store, '--session', session, '--kind', 'user-message', ...flags], {
    input: body,
    env,
  });

describe('a full disk', () => {
  it('after the commit (index save): put exits 0 with the id, and says the index save failed', async () => {
    const result = await put('full-after', 'hello after', [], { LLM386_FAULT: 'index-save' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect(result.stderr).toMatch(
      /block [0-9a-f]{32} is stored, but saving the retriever indexes failed \(the disk is full or failing: ENOSPC/,
    );
    expect(await sessionBlocks(store, 'full-after')).toBe(1);
  });

  it('before the commit: put exits 1 saying the disk is full, and nothing is stored', async () => {
    expectFailure(
      await put('full-before', 'hello before', [], { LLM386_FAULT: 'commit' }),
      1,
      /the disk is full or failing \(ENOSPC.*\): nothing after the last reported write was stored; free space and run the command again/,
    );
    expect(await sessionBlocks(store, 'full-before')).toBe(0);
  });

  it('a retry with the same idempotency key returns the first put and writes nothing', async () => {
    const first = await put('retried', 'the same message', ['--idempotency-key', 'msg-17'], {
      LLM386_FAULT: 'index-save',
    });
    expect(first.code).toBe(0);
    const again = await cliJson<{ id: string }>(
      [
        'put',
        '-',
        '--store',
        store,
        '--session',
        'retried',
        '--kind',
        'user-message',
        '--idempotency-key',
        'msg-17',
        '--json',
      ],
      { input: 'the same message' },
    );
    expect(again.id).toBe(first.stdout.trim());
    expect(await sessionBlocks(store, 'retried')).toBe(1);
    // Without a key, a message (an event kind) is stored again: that is what the key prevents.
    expect((await put('retried', 'the same message')).code).toBe(0);
    expect(await sessionBlocks(store, 'retried')).toBe(2);
  });
});
