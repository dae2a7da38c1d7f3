import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLmdbFile } from './lmdb-file';
import { Store } from './store';
import { useTempDirs } from './test-helpers';

const tempDir = useTempDirs('llm386-lmdb-file-test-');
const ROOT = resolve(__dirname, '..', '..');

describe('checkLmdbFile', () => {
  it('never calls a store that another process is writing truncated', async () => {
    const dir = join(tempDir(), 'store');
    Store.init(dir).close();
    // Another process commits one put at a time, each growing the file and then its meta page.
    const writer = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { Store } = require(${JSON.stringify(join(ROOT, 'src-core', 'store', 'store.ts'))});
         const s = Store.open(${JSON.stringify(dir)});
         for (let i = 0; i < 1500; i++) s.put({ session: 's', kind: 'fact', body: 'fact ' + i + ' ' + 'x'.repeat(i % 3000) });
         s.close();`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    writer.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<number | null>((r) => writer.on('exit', r));
    let exited = false;
    void done.then(() => (exited = true));
    const problems: string[] = [];
    let checks = 0;
    while (!exited) {
      const check = checkLmdbFile(join(dir, 'data.mdb'));
      checks++;
      if (!check.ok) problems.push(check.detail);
      if (checks % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(await done, stderr).toBe(0);
    expect(checks).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 120_000);
});
