// Handler of ../contract/contract-verify.ts. Verify reads every block and recomputes every hash (about 2.5 s
// at 100k blocks), so it runs as `llm386 verify --json` in a child process: the process serving
// the UI (Electron main, or the web-mode server) keeps answering meanwhile. Without a built CLI
// bundle (handler tests run from source) it runs in this process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Llm386Error, verifyStore, type VerifyReport } from '../../runtime';
import type { VerifyOutputs, VerifyView } from '../contract/contract-verify';
import type { FeatureContext, ImplementationsOf } from './handler-context';

/**
 * The CLI bundle beside this one: main's bundle is out/main/index.js and the web server runs inside
 * out/cli/llm386.cjs, so both find it at out/cli/llm386.cjs.
 */
export const CLI_BUNDLE = join(__dirname, '..', 'cli', 'llm386.cjs');

/** The implementations of this feature's methods over one open store. */
export function verifyImplementations(
  context: FeatureContext,
  cliBundle: string = CLI_BUNDLE,
): ImplementationsOf<keyof VerifyOutputs> {
  return {
    'store.verify': async () => {
      const started = performance.now();
      if (!existsSync(cliBundle)) return view(verifyStore(context.store), started, 'in-process');
      return view(await verifyInChild(cliBundle, context.store.dir), started, 'child-process');
    },
  };
}

function view(report: VerifyReport, started: number, ranIn: VerifyView['ranIn']): VerifyView {
  return {
    ok: report.ok,
    blocks: report.blocks,
    bodies: report.bodies,
    problems: report.problems.map((p) => ({ kind: p.kind, message: p.message, id: p.id ?? null })),
    ms: Math.round(performance.now() - started),
    ranIn,
  };
}

/** Runs `llm386 verify --json` on `dir` (exit 1 means problems were found, still with a report). */
export function verifyInChild(cliBundle: string, dir: string): Promise<VerifyReport> {
  return new Promise((resolve, reject) => {
    // In Electron, process.execPath is the app: ELECTRON_RUN_AS_NODE makes it plain Node.
    // The bundle exports main() (bin/llm386.cjs calls it), which reads process.argv from index 2.
    const child = spawn(
      process.execPath,
      ['-e', 'require(process.argv[1]).main()', cliBundle, 'verify', '--json', '--store', dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) =>
      reject(
        new Llm386Error('io-error', `could not run llm386 verify: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8');
      if (code === 0 || code === 1) {
        try {
          resolve(JSON.parse(text) as VerifyReport);
          return;
        } catch {
          // Fall through: no report on stdout.
        }
      }
      const reason = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? '';
      reject(
        new Llm386Error(
          'io-error',
          `llm386 verify exited with ${String(code)}${reason === '' ? '' : `: ${reason}`}: run \`llm386 verify --store ${dir}\` to see why`,
        ),
      );
    });
  });
}
