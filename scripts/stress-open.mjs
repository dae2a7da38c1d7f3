// `npm run stress:open [waves] [width]`: many CLI processes opening, reading and writing one new
// store at once, wave after wave, the way the CLI suite's concurrent tests do. Counts the runs that
// failed to open the store (the LMDB close/open mutex race the store's open lock prevents).
// Prints `N runs, N failed to open` and exits non-zero on any such failure. Builds the CLI first.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'llm386.cjs');
const waves = Number(process.argv[2] ?? 30);
const width = Number(process.argv[3] ?? 24);
const MISSING = '0123456789abcdef0123456789abcdef';

execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });

function cli(args, input) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
    child.stdin.end(input);
  });
}

let runs = 0;
const failures = [];
for (let wave = 0; wave < waves; wave++) {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-stress-'));
  const store = join(dir, 'store');
  try {
    execFileSync(process.execPath, [bin, 'init', store], { stdio: 'ignore' });
    const first = execFileSync(
      process.execPath,
      [bin, 'put', '-', '--store', store, '--session', 'base', '--kind', 'fact'],
      { input: 'first' },
    )
      .toString()
      .trim();
    const verbs = [
      ['put', '-', '--store', store, '--session', 'base', '--kind', 'fact'],
      ['show', first, '--store', store],
      ['edges', first, '--store', store],
      ['put', '-', '--store', store, '--session', 's', '--kind', 'fact', '--parent', MISSING],
      ['list', '--store', store, '--session', 'base'],
    ];
    await Promise.all(
      Array.from({ length: width }, async (_, i) => {
        const args = verbs[i % verbs.length];
        const { stderr } = await cli(args, `body ${wave} ${i}`);
        runs++;
        if (/cannot open store|No current read transaction|No transaction to renew/.test(stderr))
          failures.push(`${args[0]}: ${stderr.trim().split('\n').pop()}`);
      }),
    );
    process.stderr.write(`wave ${wave + 1}/${waves}: ${failures.length} failed so far\r`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stderr.write('\n');
for (const f of failures.slice(0, 5)) console.log(f);
console.log(`${runs} runs, ${failures.length} failed to open`);
process.exit(failures.length === 0 ? 0 : 1);
