// Fixtures shared by the browser specs: a store built through the runtime, served by the real
// `llm386 inspect --web` (bin/llm386.cjs -> out/web/inspect.cjs) on 127.0.0.1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, type APIRequestContext, type Page } from '@playwright/test';
import { WEB_TOKEN_HEADER } from '../src-main/api/contract';
import { buildDemoStore, type DemoStore } from './demo-store';
import { buildLoopStore, LOOP_MESSAGES, LOOP_SESSION, type LoopStore } from './loop-store';

/** The agent demo store's first conversation, with tool calls and a trace per model call. */
export const AGENT_SESSION = 'support-ada';
/** Every session of the agent demo store. */
export const AGENT_SESSIONS = ['global', 'research', 'support-ada', 'support-bo'] as const;

/** Repository root. */
export const ROOT = join(__dirname, '..');
/** The built renderer; `npx electron-vite build` makes it. */
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');
export const CLI = join(ROOT, 'bin', 'llm386.cjs');
export const SCREENSHOTS = join(__dirname, 'screenshots');

/** A running `llm386 inspect --web`. */
export interface Inspector {
  /** The printed URL, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly store: DemoStore;
  /** The URL of a view: `#/blocks?session=...`. */
  at(hash: string): string;
}

/**
 * Starts `llm386 inspect --store DIR --web` and resolves once it printed its URL. With `store`
 * undefined it passes no --store, so the inspector opens its demo store (in `env`'s data folder).
 * `others` are more `--store` folders. Unless `env` names one (XDG_CONFIG_HOME), the app's data
 * folder (recent stores, bundles) is a scratch folder, so a test never edits the user's list.
 */
export async function startInspector(
  store: DemoStore | undefined,
  env: NodeJS.ProcessEnv = {},
  others: readonly string[] = [],
): Promise<{ inspector: Inspector; stop: () => Promise<void> }> {
  for (const built of [join(RENDERER_DIR, 'index.html'), join(ROOT, 'out', 'web', 'inspect.cjs')]) {
    if (!existsSync(built))
      throw new Error(
        `${built} is missing: run \`npm run build\` (build:cli and electron-vite build) before the e2e tests.`,
      );
  }
  const args =
    store === undefined
      ? ['inspect', '--web']
      : ['inspect', ...[store.dir, ...others].flatMap((dir) => ['--store', dir]), '--web'];
  const scratch =
    env['XDG_CONFIG_HOME'] === undefined
      ? mkdtempSync(join(tmpdir(), 'llm386-e2e-data-'))
      : undefined;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...(scratch === undefined ? {} : { XDG_CONFIG_HOME: scratch }),
    ...env,
  };
  if (store === undefined) delete childEnv['LLM386_STORE'];
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
    cwd: store === undefined ? tmpdir() : ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, rejectUrl) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolveUrl(line.trim()));
    child.once('exit', (code) =>
      rejectUrl(new Error(`llm386 inspect exited with ${code}: ${stderr}`)),
    );
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const inspector: Inspector = {
    url,
    origin: parsed.origin,
    token,
    store: store ?? { dir: '', sessions: [], ids: {}, mainBlocks: 0 },
    at: (hash) => `${url}${hash}`,
  };
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGTERM');
    }).then(() => {
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });
  return { inspector, stop };
}

interface WorkerFixtures {
  /** One demo store and inspector per worker, for the specs that only read. */
  inspector: Inspector;
  /**
   * The example agent's demo store (examples/agent/demo.ts: sessions `support-ada`, `support-bo`,
   * `research`, `global`, with a trace per model call) and an inspector on it, per worker, for the
   * specs of the turn views (turns, compare, what-if, graph). Read-only use.
   */
  agentInspector: Inspector;
  /** A 2,000-message tool-loop store (./loop-store.ts) and an inspector on it, per worker. Read-only use. */
  loopInspector: { readonly inspector: Inspector; readonly store: LoopStore };
}

interface TestFixtures {
  /** A store and inspector of its own, for a spec that writes. */
  freshInspector: Inspector;
  /** Fails the test on any page error or console error (CSP violations show up there). */
  consoleErrors: string[];
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  inspector: [
    // Playwright reads the fixture's dependencies from this object pattern; it needs none.
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-'));
      const { inspector, stop } = await startInspector(buildDemoStore(join(dir, 'store')));
      await use(inspector);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  agentInspector: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-agent-'));
      const storeDir = join(dir, 'store');
      // examples/agent is an ES module package; the runner's transform loads it only as a script.
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
          join(ROOT, 'examples', 'agent', 'demo.ts'),
          storeDir,
        ],
        { stdio: 'pipe' },
      );
      const store: DemoStore = {
        dir: storeDir,
        sessions: [...AGENT_SESSIONS],
        ids: {},
        mainBlocks: 0,
      };
      const { inspector, stop } = await startInspector(store);
      await use(inspector);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  loopInspector: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-loop-'));
      const store = await buildLoopStore(join(dir, 'store'));
      const { inspector, stop } = await startInspector({
        dir: store.dir,
        sessions: [LOOP_SESSION],
        ids: {},
        mainBlocks: LOOP_MESSAGES + 1,
      });
      await use({ inspector, store });
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  freshInspector: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-'));
    const { inspector, stop } = await startInspector(buildDemoStore(join(dir, 'store')));
    await use(inspector);
    await stop();
    rmSync(dir, { recursive: true, force: true });
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await use(errors);
    if (errors.length > 0) throw new Error(`errors in the page:\n${errors.join('\n')}`);
  },
});

/**
 * Calls the contract over HTTP as the page does, with the token in its header; throws on a
 * failure. For reading fixture data; `request` is usually `page.request`.
 */
export async function callApi<T>(
  request: APIRequestContext,
  inspector: Inspector,
  method: string,
  input: unknown = {},
): Promise<T> {
  const response = await request.post(`${inspector.origin}/api/${method}`, {
    headers: { [WEB_TOKEN_HEADER]: inspector.token },
    data: input,
  });
  const result = (await response.json()) as {
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  };
  if (!result.ok)
    throw new Error(
      `${method}: ${result.error?.code ?? response.status()}: ${result.error?.message ?? ''}`,
    );
  return result.value as T;
}

/**
 * The id after `key=` in a URL (32 hex digits). Throws when there is none: an empty fallback would
 * make every regex built from the id match any URL.
 */
export function idFromUrl(url: string, key: string): string {
  const id = new RegExp(`[?&]${key}=([0-9a-f]{32})(?:&|$)`).exec(url)?.[1];
  if (id === undefined) throw new Error(`no ${key}=<32 hex digits> in ${url}`);
  return id;
}

/**
 * Saves a screenshot of the page under e2e/screenshots/ (git-ignored). The app scrolls inside its
 * main area, so the viewport grows to the content's height for the shot, then returns.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const height = await page.evaluate(
    () =>
      (document.querySelector('main')?.scrollHeight ?? 0) +
      (document.querySelector('header')?.clientHeight ?? 0),
  );
  await page.setViewportSize({
    width: size.width,
    height: Math.min(4000, Math.max(size.height, height)),
  });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await page.setViewportSize(size);
}

export { expect } from '@playwright/test';
