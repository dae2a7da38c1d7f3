// The README's library example, run as written (only the store path and import path changed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');

it('the README library example runs and replays identically', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library example'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  const dir = mkdtempSync(join(tmpdir(), 'llm386-readme-'));
  const file = join(ROOT, 'src-core', `.readme-example-${process.pid}.mts`);
  try {
    writeFileSync(
      file,
      (code ?? '')
        .replace("'llm386'", "'./index.ts'")
        .replace("'/tmp/my-store'", JSON.stringify(join(dir, 'store'))),
    );
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), file],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const lines = out.trim().split('\n');
    expect(lines).toContain('true');
    expect(lines.at(-1)).toMatch(/^\+\d+ -\d+ ~\d+ \([+-]\d+ tokens\)$/);
  } finally {
    rmSync(file, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
});
