// `npm test`: builds what the suites need, runs every suite, and prints one closing line per
// suite (`unit: 12 passed, 0 failed, 1 skipped`). Exits non-zero on any failure or on a suite
// that ran no test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'llm386-test-'));

function run(cmd, args, env = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

function build() {
  if (run(process.execPath, ['scripts/build-cli.mjs']) !== 0) return false;
  return run(bin('electron-vite'), ['build', '--logLevel', 'warn']) === 0;
}

function vitestSuite(project) {
  const out = join(work, `${project}.json`);
  run(bin('vitest'), [
    'run',
    '--config',
    'vitest.config.mts',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  if (!existsSync(out)) return { passed: 0, failed: 1, skipped: 0, note: 'no report written' };
  const r = JSON.parse(readFileSync(out, 'utf8'));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + (r.success === false && r.numFailedTests === 0 ? 1 : 0),
    skipped: r.numPendingTests + r.numTodoTests,
  };
}

function ensureBrowser() {
  if (existsSync('/usr/bin/chromium') || process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE) return;
  // A developer machine without Debian's Chromium: use Playwright's own, installed on first use.
  run(bin('playwright'), ['install', 'chromium']);
}

function playwrightSuite() {
  ensureBrowser();
  const out = join(work, 'e2e.json');
  // Under xvfb-run where it exists and there is no display, so the Electron specs run wherever an
  // Electron binary exists (without one they skip with their reason); the browser specs run either way.
  const display = process.env.DISPLAY !== undefined && process.env.DISPLAY !== '';
  if (
    !display &&
    process.platform === 'linux' &&
    spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0
  ) {
    run(
      'xvfb-run',
      ['-a', '-s', '-screen 0 1280x800x24', bin('playwright'), 'test', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_NAME: out },
    );
  } else {
    run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  }
  if (!existsSync(out)) return { passed: 0, failed: 1, skipped: 0, note: 'no report written' };
  const s = JSON.parse(readFileSync(out, 'utf8')).stats;
  return { passed: s.expected + (s.flaky ?? 0), failed: s.unexpected, skipped: s.skipped };
}

// Typecheck of every process and ESLint with the layer rules: each command counts as one test.
function staticSuite() {
  const checks = [
    ...['src-core', 'src-main', 'src-renderer', 'e2e'].map((p) => [
      bin('tsc'),
      ['-p', `${p}/tsconfig.json`],
    ]),
    [bin('tsc'), ['-p', 'tsconfig.tools.json']],
    [bin('tsc'), ['-p', 'examples/agent/tsconfig.json']],
    [bin('eslint'), ['.']],
  ];
  let passed = 0;
  let failed = 0;
  for (const [cmd, args] of checks) {
    if (run(cmd, args) === 0) passed++;
    else failed++;
  }
  return { passed, failed, skipped: 0 };
}

const suites = [
  ['static', staticSuite],
  ['unit', () => vitestSuite('unit')],
  ['cli', () => vitestSuite('cli')],
  ['lint-rules', () => vitestSuite('lint-rules')],
  ['e2e', playwrightSuite],
].filter(([name]) => only.length === 0 || only.includes(name));

if (!build()) {
  console.log('build: 0 passed, 1 failed');
  process.exit(1);
}
const results = suites.map(([name, fn]) => [name, fn()]);
let ok = true;
console.log('');
for (const [name, r] of results) {
  if (r.failed > 0 || r.passed === 0) ok = false;
  const note = r.passed === 0 && r.failed === 0 ? ' (ran no test)' : r.note ? ` (${r.note})` : '';
  console.log(
    `${name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${note}`,
  );
}
process.exit(ok ? 0 : 1);
