// Helpers for the CLI suite: every test drives the real bundled binary (`node bin/llm386.cjs`)
// as a child process against a temp store. Not part of the public surface (not in index.ts).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { open } from 'lmdb';
import { expect } from 'vitest';
import { Store } from '../store/index';

/** The repository root (this file lives in src-core/cli). */
export const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'llm386.cjs');
const BUNDLE = join(ROOT, 'out', 'cli', 'llm386.cjs');
const LOCK = join(ROOT, 'out', 'cli', '.build-lock');

/** What a finished CLI process left behind. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Buffer;
}

/** Options of {@link cli}. */
export interface CliOptions {
  /** Bytes or text written to stdin (stdin is closed either way). */
  readonly input?: Buffer | string;
  /** Extra environment; `undefined` values remove a variable. */
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const sources = Math.max(
    newestMtime(join(ROOT, 'src-core')),
    statSync(join(ROOT, 'package.json')).mtimeMs,
    statSync(join(ROOT, 'scripts', 'build-cli.mjs')).mtimeMs,
  );
  return statSync(BUNDLE).mtimeMs >= sources;
}

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));

/**
 * Builds the CLI bundle when any source is newer than it. Test files run in parallel workers, so
 * the build runs under a lock directory: one worker builds, the others wait and then find it fresh
 * (a half-written bundle must never be launched).
 */
export function ensureCliBuilt(): void {
  mkdirSync(join(ROOT, 'out', 'cli'), { recursive: true });
  const deadline = Date.now() + 110_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock left by a killed run is stale after a minute.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 60_000) rmdirSync(LOCK);
      } catch {
        // Another worker removed it first.
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${LOCK}: remove it if no test run is active`);
      Atomics.wait(sleepBuffer, 0, 0, 100);
    }
  }
  try {
    if (!bundleIsFresh())
      execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    throw new Error(
      `the CLI does not build (npm run build:cli), so no CLI test can run:\n${stderr.split('\n    at ')[0] ?? stderr}`,
    );
  } finally {
    rmdirSync(LOCK);
  }
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // The tests decide the store and config explicitly; the developer's settings must not leak in.
    if (!key.startsWith('LLM386_') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Starts `llm386 ARGS...` with piped stdio; the caller owns the child. */
export function startCli(args: readonly string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Waits for a started child to exit and collects its output. */
export function finished(child: ChildProcess): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolvePromise({
        code,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes,
      });
    });
  });
}

/** Runs `llm386 ARGS...` to completion. */
export function cli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  const done = finished(child);
  child.stdin?.on('error', () => {
    // The CLI may exit before reading stdin (e.g. a usage error): that is not a test failure.
  });
  child.stdin?.end(options.input ?? '');
  return done;
}

/** Runs `llm386 ARGS... --json`, expects exit 0 and returns the parsed stdout. */
export async function cliJson<T = unknown>(
  args: readonly string[],
  options: CliOptions = {},
): Promise<T> {
  const result = await cli([...args, '--json'], options);
  expect(result.stderr.includes('    at '), result.stderr).toBe(false);
  expect(result.code, `llm386 ${args.join(' ')} failed: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** Runs `llm386 ARGS...`, expects exit 0 and returns trimmed stdout. */
export async function cliOk(args: readonly string[], options: CliOptions = {}): Promise<string> {
  const result = await cli(args, options);
  expect(result.code, `llm386 ${args.join(' ')} failed: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

/**
 * Asserts the process failed with `code` and exactly one line on stderr that matches `message`,
 * with no stack frames and nothing on stdout.
 */
export function expectFailure(result: CliResult, code: 1 | 2, message: RegExp): void {
  expect(result.code, `stderr: ${result.stderr}`).toBe(code);
  expect(result.stderr.endsWith('\n'), JSON.stringify(result.stderr)).toBe(true);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(lines[0]).toMatch(/^llm386\b/);
  expect(lines[0]).toMatch(message);
  expect(result.stdout).toBe('');
}

/** A temp directory tracker: `make()` creates one, `cleanup()` removes them all. */
export function tempDirs(): { make: (prefix?: string) => string; cleanup: () => void } {
  const dirs: string[] = [];
  return {
    make(prefix = 'llm386-cli-') {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a store with `llm386 init` in a new directory under `parent` and returns its path. */
export async function initStore(parent: string, name = 'store'): Promise<string> {
  const dir = join(parent, name);
  await cliOk(['init', dir]);
  return dir;
}

/** Writes a file under `dir` and returns its path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** One OpenAI-format chat message. */
export interface ChatMessage {
  readonly role: string;
  readonly content: string | null;
  readonly tool_calls?: readonly {
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }[];
  readonly tool_call_id?: string;
}

/** `n` alternating user/assistant messages of about `chars` characters each, distinct per `tag`. */
export function chatMessages(n: number, tag: string, chars = 200): ChatMessage[] {
  const filler =
    'the quick brown fox jumps over the lazy dog while the model keeps its context small ';
  return Array.from({ length: n }, (_, i) => {
    const head = `${tag} message ${i}: `;
    return {
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: head + filler.repeat(Math.ceil(chars / filler.length)).slice(0, chars - head.length),
    };
  });
}

/** Writes messages as a JSONL transcript (one message per line). */
export function writeTranscript(
  dir: string,
  name: string,
  messages: readonly ChatMessage[],
): string {
  return writeFile(dir, name, messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
}

/** The blocks a session holds according to `list-sessions --json` (0 when absent). */
export async function sessionBlocks(store: string, session: string): Promise<number> {
  const sessions = await cliJson<{ session: string; blocks: number }[]>([
    'list-sessions',
    '--store',
    store,
  ]);
  return sessions.find((s) => s.session === session)?.blocks ?? 0;
}

/**
 * The ids of a session's blocks, oldest first. The CLI has no `list` verb yet, so this reads the
 * session index through the library, read-only; the CLI stays the thing under test.
 */
export function sessionIds(store: string, session: string): string[] {
  const s = Store.open(store, { readOnly: true });
  try {
    return s.listIds(session);
  } finally {
    s.close();
  }
}

/** Opens the store's LMDB file directly (bypassing the runtime) to plant faults. */
function withRawLmdb<T>(store: string, fn: (root: ReturnType<typeof open>) => T): T {
  const root = open({ path: join(store, 'data.mdb'), maxDbs: 32, compression: false });
  try {
    return fn(root);
  } finally {
    // lmdb-js closes at once; the promise only reports that it has.
    void root.close();
  }
}

/** Overwrites the stored bytes of a body, leaving its key (the hash) as it was. */
export function corruptBody(store: string, hash: string, bytes: Buffer): void {
  withRawLmdb(store, (root) =>
    root.openDB<Buffer, string>({ name: 'bodies', encoding: 'binary' }).putSync(hash, bytes),
  );
}

/** Writes the store's format version in meta. */
export function setFormatVersion(store: string, version: number): void {
  withRawLmdb(store, (root) =>
    root.openDB<unknown, string>({ name: 'meta' }).putSync('formatVersion', version),
  );
}

/** Reads the store's format version from meta. */
export function formatVersion(store: string): unknown {
  return withRawLmdb(store, (root) =>
    root.openDB<unknown, string>({ name: 'meta' }).get('formatVersion'),
  );
}

/** A copy of `store`'s data.mdb in a new store folder `parent/name`, damaged by `damage(path)`. */
export function damagedCopy(
  store: string,
  parent: string,
  name: string,
  damage: (file: string) => void,
): string {
  const dir = join(parent, name);
  mkdirSync(dir);
  copyFileSync(join(store, 'data.mdb'), join(dir, 'data.mdb'));
  damage(join(dir, 'data.mdb'));
  return dir;
}
