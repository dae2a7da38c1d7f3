import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockQuery } from './block-query';
import { createApiHandlers } from './index';
import { verifyImplementations } from './handlers-verify';
import { DEFAULT_CONFIG, Store } from '../../runtime';

const opened: { store: Store; dir: string }[] = [];
afterEach(() => {
  for (const { store, dir } of opened.splice(0)) {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function freshStore(): Store {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-verify-'));
  const store = Store.init(join(dir, 'store'));
  opened.push({ store, dir });
  return store;
}

const feature = (store: Store, cli: string) =>
  verifyImplementations({ store, config: DEFAULT_CONFIG, blocks: new BlockQuery(store) }, cli);

describe('store.verify', () => {
  it('reports a clean store as ok, with its block and body counts', async () => {
    const store = freshStore();
    store.put({ session: 's', kind: 'fact', body: 'Ada lives in Lisbon.' });
    store.put({ session: 's', kind: 'user-message', body: 'hello' });
    const result = await createApiHandlers({ store, config: DEFAULT_CONFIG })['store.verify']({});
    expect(result).toMatchObject({
      ok: true,
      value: { ok: true, blocks: 2, bodies: 2, problems: [] },
    });
  });

  it('names a body that no longer matches its hash (checked in this process when the CLI is not built)', async () => {
    const store = freshStore();
    const { block } = store.put({ session: 's', kind: 'fact', body: 'Ada lives in Lisbon.' });
    store.transaction(() => store.db.bodies.putSync(block.hash, Buffer.from('tampered')));
    const report = await feature(store, join(store.dir, 'no-cli.cjs'))['store.verify']({});
    expect(report.ok).toBe(false);
    expect(report.ranIn).toBe('in-process');
    expect(report.problems.map((p) => p.kind)).toContain('hash-mismatch');
  });

  it('reads the report of a CLI child process, also when it exits 1 for problems', async () => {
    const store = freshStore();
    const cli = join(store.dir, 'fake-cli.cjs');
    const report = {
      ok: false,
      blocks: 3,
      bodies: 3,
      problems: [{ kind: 'dangling-edge', message: 'edge to nowhere', id: 'x' }],
    };
    writeFileSync(
      cli,
      `process.stdout.write(${JSON.stringify(JSON.stringify(report))}); process.exit(1);`,
    );
    const result = await feature(store, cli)['store.verify']({});
    expect(result).toMatchObject({
      ok: false,
      blocks: 3,
      ranIn: 'child-process',
      problems: [{ kind: 'dangling-edge', message: 'edge to nowhere', id: 'x' }],
    });
  });

  it('turns a CLI that fails without a report into an io-error that says why', async () => {
    const store = freshStore();
    const cli = join(store.dir, 'broken-cli.cjs');
    writeFileSync(cli, 'process.stderr.write("boom\\n"); process.exit(3);');
    await expect(Promise.resolve(feature(store, cli)['store.verify']({}))).rejects.toMatchObject({
      code: 'io-error',
      message: expect.stringContaining('boom'),
    });
  });
});
