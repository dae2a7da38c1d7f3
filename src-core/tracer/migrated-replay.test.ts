// A call recorded by a format-1 store (block-id watermark) replays after the store migrates.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Store, STORE_FILE, verifyStore } from '../store/index';
import { replay, whatIf } from './replay';

const FIXTURE = join(__dirname, '..', 'store', 'fixtures', 'v1-store', STORE_FILE);
const CALL = '01a249f18b6637061e0392e334273a66';
const DELETED = '01a249f18b4d2206fcbb6e7c64cc1def';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a call recorded before write sequences replays at its block-id watermark after the migration', async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-v1-replay-'));
  copyFileSync(FIXTURE, join(dir, STORE_FILE));
  const store = Store.open(dir);
  try {
    expect(verifyStore(store).ok).toBe(true);
    const report = await replay(store, CALL);
    // Identical; the fact deleted after the call was only a candidate, and is reported as gone.
    expect(report).toMatchObject({ identical: true, gone: [{ id: DELETED, cause: 'deleted' }] });
    expect((await whatIf(store, CALL, {})).diff.summary).toBe('+0 -0 ~0 (+0 tokens)');
  } finally {
    store.close();
  }
});
