import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_TOKEN_HEADER } from '../api/contract';
import { Store } from '../runtime';
import { storeId } from '../api/handlers/store-id';
import { readRecentStores } from '../recent-stores';
import type { InspectServer } from './inspect-server';
import { runInspect, type InspectIo } from './inspect';

let dir: string;
let storeDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-inspect-'));
  storeDir = join(dir, 'store');
  const store = Store.init(storeDir);
  store.put({ session: 's', kind: 'fact', body: 'a fact' });
  store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(
  env: NodeJS.ProcessEnv = {},
  stopped: Promise<void> = new Promise(() => undefined),
  onServing?: (server: InspectServer) => void,
) {
  const out: string[] = [];
  const err: string[] = [];
  const value: InspectIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env,
    stopped,
    onServing,
  };
  return { value, out, err };
}

describe('llm386 inspect', () => {
  it('exits 2 with one line for a usage error', async () => {
    for (const args of [['--bogus'], ['--port', 'x', '--web'], ['--port', '8080'], ['extra']]) {
      const { value, err } = io();
      expect(await runInspect(args, value), args.join(' ')).toBe(2);
      expect(err.join('')).toMatch(/^llm386 inspect: .+\n$/);
    }
  });

  it('prints its usage for --help and exits 0', async () => {
    const { value, out } = io();
    expect(await runInspect(['--help'], value)).toBe(0);
    expect(out.join('')).toContain('usage: llm386 inspect');
  });

  it('exits 1 with a one-line message when the store does not exist', async () => {
    const { value, err } = io();
    expect(await runInspect(['--store', join(dir, 'missing'), '--web'], value)).toBe(1);
    expect(err.join('')).toMatch(/^llm386 inspect: no store at .*missing.*\n$/);
  });

  it('without --web and without an Electron binary, says to use --web', async () => {
    const { value, err } = io({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here') });
    expect(await runInspect(['--store', storeDir], value)).toBe(1);
    expect(err.join('')).toMatch(/no Electron binary.*--web/);
    expect(err.join('').split('\n').filter(Boolean)).toHaveLength(1);
    expect(err.join('')).toContain('npm run start:web');
  });

  it('without an Electron binary, says so before building a demo store', async () => {
    const dataDir = join(dir, 'data-no-electron');
    const { value, err } = io({ ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here') });
    expect(await runInspect([], { ...value, dataDir })).toBe(1);
    expect(err.join('')).toMatch(/^llm386 inspect: no Electron binary.*web mode.*\n$/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it.runIf(process.platform === 'linux' && existsSync(join(__dirname, '../../out/main/index.js')))(
    'when Electron cannot run, passes its exit code on and points to web mode',
    async () => {
      // A stand-in for an Electron that exits at once, as one without a display does.
      const dist = join(dir, 'broken-electron');
      mkdirSync(dist, { recursive: true });
      writeFileSync(
        join(dist, 'electron'),
        '#!/bin/sh\necho "Missing X server or $DISPLAY" >&2\nexit 1\n',
        { mode: 0o755 },
      );
      const { value, err } = io({ ELECTRON_OVERRIDE_DIST_PATH: dist });
      expect(await runInspect(['--store', storeDir], value)).toBe(1);
      expect(err.join('')).toMatch(
        /^llm386 inspect: Electron exited with code 1\. .*web mode.*npm run start:web/,
      );
    },
  );

  const built = existsSync(join(__dirname, '../../out/renderer/index.html'));

  /**
   * Runs `inspect` with `args` in web mode; `whileServing` runs once it serves, then it stops.
   * The app's data folder (recent stores, bundles) is `dataDir`, a scratch folder by default.
   */
  async function serveOnce(
    args: string[],
    whileServing: (server: InspectServer) => Promise<void> = async () => undefined,
    dataDir = mkdtempSync(join(dir, 'data-')),
  ) {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let served: InspectServer | undefined;
    const { value, out } = io({ LLM386_STORE: storeDir }, stopped, (server) => {
      served = server;
      void whileServing(server).finally(stop);
    });
    const exit = runInspect(args, { ...value, dataDir });
    await stopped;
    return { out: out.join(''), served, code: await exit };
  }

  /** Calls a contract method over HTTP with the server's token. */
  async function callWeb(server: InspectServer, method: string, input: unknown = {}) {
    const response = await fetch(new URL(`/api/${method}`, server.url), {
      method: 'POST',
      headers: { [WEB_TOKEN_HEADER]: server.token, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return (await response.json()) as { ok: boolean; value?: unknown };
  }

  it.skipIf(!built)(
    'with --web serves the store on 127.0.0.1, prints the URL with its token, and stops cleanly',
    async () => {
      const { out, served, code } = await serveOnce(['--web']);
      const url = out.trim();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
      expect(url).toBe(served?.url);
      expect(code).toBe(0);
      // Closed: the port no longer answers.
      const refused = await new Promise<boolean>((resolve) => {
        const req = request(url, () => resolve(false));
        req.on('error', () => resolve(true));
        req.end();
      });
      expect(refused).toBe(true);
    },
  );

  it.skipIf(!built)(
    'with --store given twice, serves the first and offers both, the recent stores after them; it remembers the stores it opens',
    async () => {
      const second = join(dir, 'second');
      const recent = join(dir, 'recent');
      Store.init(second).close();
      Store.init(recent).close();
      const dataDir = mkdtempSync(join(dir, 'data-'));
      writeFileSync(
        join(dataDir, 'recent-stores.json'),
        JSON.stringify([recent, join(dir, 'gone')]),
      );
      let listed: unknown;
      const { out, code } = await serveOnce(
        ['--web', '--json', '--store', storeDir, '--store', second],
        async (server) => {
          listed = (await callWeb(server, 'stores.list')).value;
        },
        dataDir,
      );
      expect(code).toBe(0);
      expect(JSON.parse(out)).toMatchObject({ store: storeDir, stores: [storeDir, second] });
      expect(listed).toMatchObject({
        current: storeId(storeDir),
        stores: [
          { id: storeId(storeDir), path: storeDir, origin: 'opened' },
          { id: storeId(second), path: second, origin: 'opened' },
          { id: storeId(recent), path: recent, origin: 'recent' },
        ],
      });
      expect((listed as { stores: unknown[] }).stores).toHaveLength(3);
      expect(readRecentStores(join(dataDir, 'recent-stores.json'))).toEqual([
        storeDir,
        recent,
        join(dir, 'gone'),
      ]);
    },
  );

  it('exits 1 naming a second --store that holds no store, before serving', async () => {
    const { value, err } = io();
    const args = ['--web', '--store', storeDir, '--store', join(dir, 'missing-too')];
    expect(await runInspect(args, { ...value, dataDir: join(dir, 'data-unused') })).toBe(1);
    expect(err.join('')).toMatch(/^llm386 inspect: no store at .*missing-too.*\n$/);
  });

  it.skipIf(!built)('with --web --json prints {url, port, store} on one line', async () => {
    const { out, served, code } = await serveOnce(['--web', '--json']);
    expect(JSON.parse(out)).toEqual({ url: served?.url, port: served?.port, store: storeDir });
    expect(code).toBe(0);
  });
});
