// `llm386 inspect --store DIR [--web] [--port N] [--config FILE]`. The CLI proper lives in src-core,
// which may not import src-main, so bin/llm386.cjs hands `inspect` to this entry, bundled on its
// own (scripts/build-cli.mjs: out/web/inspect.cjs). Exit codes as for every verb: 0 success,
// 1 failure, 2 usage error; one line on stderr, no stack.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appDataDir, ensureDemoStore } from '../demo-store';
import { findElectronExecutable } from '../electron-binary';
import { isLlm386Error, STORE_FILE } from '../runtime';
import { recentStoresFile } from '../recent-stores';
import { startInspectServer, type InspectServer } from './inspect-server';

export const INSPECT_USAGE =
  'llm386 inspect [--store DIR]... [--web] [--port N] [--config FILE] [--json]';
// Without a store (no --store, LLM386_STORE or ./.llm386) it opens the demo store, built on first
// use. With several --store, it opens the first; the store menu switches to the others.

/** Where `inspect` writes and what it may start. */
export interface InspectIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); web mode then closes and exits 0. */
  readonly stopped: Promise<void>;
  /** The app's data folder, where the demo store lives; default as Electron places it. */
  readonly dataDir?: string | undefined;
  /** Called once web mode serves, with the running server (tests use it). */
  readonly onServing?: ((server: InspectServer) => void) | undefined;
}

class UsageError extends Error {}

/** Where the desktop app cannot run, the same UI runs in a browser. */
const WEB_MODE_HINT =
  'Where Electron cannot run, open the same inspector in a browser (web mode): `npm run start:web` in a clone, or `llm386 inspect --web`';
const NO_ELECTRON = `no Electron binary is installed here (it downloads on \`npm install\` with internet access). ${WEB_MODE_HINT}`;

/** The repository root: this file runs from src-main/web (tests) or out/web (the bundle). */
const ROOT = resolve(__dirname, '..', '..');

/** Runs `inspect` with its arguments (after the verb) and resolves to the exit code. */
export async function runInspect(args: readonly string[], io: InspectIo): Promise<number> {
  try {
    return await inspect(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`llm386 inspect: ${error.message}: see \`llm386 inspect --help\`\n`);
      return 2;
    }
    if (isLlm386Error(error)) {
      io.err(`llm386 inspect: ${error.message}\n`);
      return error.code === 'usage' ? 2 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`llm386 inspect: ${message.split('\n')[0] ?? ''}\n`);
    if (io.env['LLM386_DEBUG'] === '1' && error instanceof Error) io.err(`${error.stack ?? ''}\n`);
    return 1;
  }
}

async function inspect(args: readonly string[], io: InspectIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        store: { type: 'string', multiple: true },
        web: { type: 'boolean', default: false },
        port: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' ').replace(/\.$/, ''));
  }
  if (values.help) {
    io.out(
      `usage: ${INSPECT_USAGE}\n\nOpens the inspector on a store: the desktop app, or with --web a page served on 127.0.0.1\n(random port unless --port) whose URL, with its access token, is printed on stdout.\nWith no store (--store, LLM386_STORE or ./.llm386) it opens a demo store, built on first use.\nWith several --store it opens the first; its store menu switches to the others and to recent stores.\n`,
    );
    return 0;
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535)
      throw new UsageError(`--port needs a port number from 0 to 65535, got "${values.port}"`);
    if (!values.web) throw new UsageError('--port applies only with --web');
  }
  // The desktop app needs an Electron binary: say so before building a demo store for nothing.
  const executable = values.web
    ? undefined
    : findElectronExecutable(join(ROOT, 'node_modules', 'electron'), io.env);
  if (!values.web && executable === undefined) throw new Error(NO_ELECTRON);
  const configPath = values.config ?? io.env['LLM386_CONFIG'] ?? io.env['LLM386_PROFILES'];
  const dataDir = io.dataDir ?? appDataDir(io.env);
  // --store, then LLM386_STORE, then ./.llm386 as for every verb; with none of them, the demo store.
  const named = values.store ?? [];
  let storeDir =
    named[0] ?? io.env['LLM386_STORE'] ?? (existsSync('.llm386') ? '.llm386' : undefined);
  if (storeDir === undefined) {
    const demo = await ensureDemoStore(dataDir);
    io.err(
      `llm386 inspect: no store given: ${demo.built ? 'built and opened' : 'opening'} the demo store at ${demo.dir} (pass --store DIR for yours)\n`,
    );
    storeDir = demo.dir;
  }
  storeDir = resolve(storeDir);
  // The other stores named: checked now, so a typo fails here rather than when picked from the menu.
  const others = [...new Set(named.slice(1).map((dir) => resolve(dir)))].filter(
    (dir) => dir !== storeDir,
  );
  for (const dir of others) {
    if (!existsSync(join(dir, STORE_FILE)))
      throw new Error(
        `no store at ${dir}: create one with \`llm386 init ${dir}\`, or leave that --store out`,
      );
  }

  if (values.web) {
    const rendererDir = join(ROOT, 'out', 'renderer');
    if (!existsSync(join(rendererDir, 'index.html'))) {
      throw new Error(
        `the inspector page is not built (${rendererDir}): run \`npm run build\` first`,
      );
    }
    // Opened turn bundles become stores in the app's data folder, and the recent stores are the
    // desktop app's list, as in the desktop app.
    const server = await startInspectServer({
      storeDir,
      otherStores: others,
      rendererDir,
      port,
      configPath,
      bundlesDir: join(dataDir, 'bundles'),
      recentStoresFile: recentStoresFile(dataDir),
    });
    // --json: one line a script can read; the URL carries the access token either way.
    io.out(
      values.json
        ? `${JSON.stringify({ url: server.url, port: server.port, store: storeDir, ...(others.length === 0 ? {} : { stores: [storeDir, ...others] }) })}\n`
        : `${server.url}\n`,
    );
    io.onServing?.(server);
    await io.stopped;
    await server.close();
    return 0;
  }

  if (executable === undefined) throw new Error(NO_ELECTRON);
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js')))
    throw new Error('the desktop app is not built: run `npm run build` first');
  if (!existsSync(storeDir))
    throw new Error(
      `no store at ${storeDir}: create one with \`llm386 init ${storeDir}\` or pass --store`,
    );
  if (values.json)
    io.out(
      `${JSON.stringify({ app: 'electron', store: storeDir, ...(others.length === 0 ? {} : { stores: [storeDir, ...others] }) })}\n`,
    );
  const env: NodeJS.ProcessEnv = { ...io.env, LLM386_STORE: storeDir };
  if (configPath !== undefined) env['LLM386_CONFIG'] = resolve(configPath);
  const storeArgs = [storeDir, ...others].flatMap((dir) => ['--store', dir]);
  const child = spawn(executable, [ROOT, ...storeArgs], { stdio: 'inherit', env });
  return new Promise<number>((resolveExit, rejectExit) => {
    child.once('error', (error) =>
      rejectExit(new Error(`could not start Electron (${executable}): ${error.message}`)),
    );
    child.once('exit', (code, signal) => {
      const status = code ?? (signal === null ? 0 : 1);
      // Electron that cannot start (no display, missing system libraries) exits at once with its own message.
      if (status !== 0)
        io.err(
          `llm386 inspect: Electron exited with ${code === null ? `signal ${signal}` : `code ${code}`}. ${WEB_MODE_HINT}\n`,
        );
      resolveExit(status);
    });
  });
}

/** Process entry point: bin/llm386.cjs calls it with the arguments after `inspect`. */
export function main(args: readonly string[] = process.argv.slice(3)): void {
  const stopped = new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  runInspect(args, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    stopped,
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`llm386 inspect: internal error: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
