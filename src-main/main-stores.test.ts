// Electron main's ways to another store, with `electron` mocked (no Electron binary here): the
// stores named on the command line, File > Open Store… (a folder that is no store is refused and
// the open store stays), Open Recent, and a store folder dropped on the window (the preload sends
// its path; main checks the sender and the folder). Main resolves every path; the page only sees ids.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store, STORE_FILE } from './runtime';
import { storeId } from './api/handlers/store-id';
import { readRecentStores } from './recent-stores';

type Handler = (...args: unknown[]) => unknown;
const root = mkdtempSync(join(tmpdir(), 'llm386-main-stores-'));
const userData = join(root, 'user-data');
const [first, second, third] = ['first', 'second', 'third'].map((name) => join(root, name)) as [
  string,
  string,
  string,
];
const notAStore = join(root, 'not-a-store');
const appListeners = new Map<string, Handler>();
const invokeHandlers = new Map<string, Handler>();
const onListeners = new Map<string, Handler>();
const electron = vi.hoisted(() => ({
  menus: [] as unknown[][],
  errors: [] as [string, string][],
  picked: [] as string[],
  loaded: [] as string[],
  windows: 0,
  ready: (): void => undefined,
}));

vi.mock('electron', () => {
  class FakeWindow {
    webContents = {
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      getURL: () => 'file:///app/index.html',
      loadURL: vi.fn(async (url: string) => void electron.loaded.push(url)),
    };
    once = vi.fn();
    show = vi.fn();
    isMinimized = () => false;
    focus = vi.fn();
    loadFile = vi.fn(async () => undefined);
    loadURL = vi.fn(async () => undefined);
    static windows: FakeWindow[] = [];
    static getAllWindows = () => FakeWindow.windows;
    constructor() {
      FakeWindow.windows.push(this);
      electron.windows++;
    }
  }
  return {
    app: {
      isPackaged: true,
      enableSandbox: vi.fn(),
      on: (name: string, fn: Handler) => appListeners.set(name, fn),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      whenReady: () => new Promise<void>((resolve) => (electron.ready = resolve)),
      getPath: () => userData,
      isReady: () => true,
      isDefaultProtocolClient: () => true,
      setAsDefaultProtocolClient: vi.fn(() => true),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    BrowserWindow: FakeWindow,
    dialog: {
      showOpenDialog: vi.fn(async () => {
        const path = electron.picked.shift();
        return { canceled: path === undefined, filePaths: path === undefined ? [] : [path] };
      }),
      showErrorBox: (title: string, content: string) => electron.errors.push([title, content]),
    },
    ipcMain: {
      handle: (channel: string, fn: Handler) => invokeHandlers.set(channel, fn),
      on: (channel: string, fn: Handler) => onListeners.set(channel, fn),
      removeHandler: vi.fn(),
    },
    Menu: {
      setApplicationMenu: vi.fn(),
      buildFromTemplate: vi.fn((template: unknown[]) => {
        electron.menus.push(template);
        return {};
      }),
    },
  };
});

/** The app's page, as main knows it (it loads out/renderer/index.html beside its bundle). */
const APP_PAGE = pathToFileURL(join(__dirname, '../renderer/index.html')).href;
const fromPage = (url: string = APP_PAGE) => ({ senderFrame: { url } });

async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const result = (await invokeHandlers.get(`llm386:${method}`)?.(fromPage(), input)) as
    { ok: true; value: T } | { ok: false; error: { message: string } };
  if (result === undefined) throw new Error(`no handler for ${method}`);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Waits until the open store is `dir` (a switch takes a moment: both API lanes reopen). */
async function storeIs(dir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = await call<{ path: string }>('store.info').catch(() => undefined);
    if (info?.path === dir) return;
    if (Date.now() > deadline) throw new Error(`the open store is ${info?.path}, not ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function fileMenuItem(label: string): MenuItemConstructorOptions | undefined {
  const template = electron.menus.at(-1) as MenuItemConstructorOptions[] | undefined;
  const file = template?.find((m) => m.label === 'File');
  return (file?.submenu as MenuItemConstructorOptions[] | undefined)?.find(
    (i) => i.label === label,
  );
}

const argv = process.argv;
beforeAll(async () => {
  for (const dir of [first, second, third]) Store.init(dir).close();
  mkdirSync(notAStore);
  mkdirSync(userData);
  delete process.env['LLM386_STORE'];
  process.argv = [argv[0] ?? 'electron', '.', '--store', first, '--store', second];
  await import('./index');
  electron.ready();
  await storeIs(first);
  // The File menu is built once the store is open.
  await vi.waitFor(() => expect(fileMenuItem('Open Store…')).toBeDefined(), { timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  process.argv = argv;
  const quitting = { preventDefault: vi.fn() };
  appListeners.get('will-quit')?.(quitting);
  await new Promise((resolve) => setTimeout(resolve, 200));
  rmSync(root, { recursive: true, force: true });
});

describe('Electron main: opening stores (electron mocked)', () => {
  it('opens the first --store and offers the others in the store menu', async () => {
    const view = await call<{ current: string; stores: { id: string; origin: string }[] }>(
      'stores.list',
    );
    expect(view.current).toBe(storeId(first));
    expect(view.stores.slice(0, 2)).toEqual([
      expect.objectContaining({ id: storeId(first), origin: 'opened' }),
      expect.objectContaining({ id: storeId(second), origin: 'opened' }),
    ]);
  });

  it('File > Open Store… refuses a folder that holds no store, says why, and keeps the open one', async () => {
    electron.picked.push(notAStore);
    fileMenuItem('Open Store…')?.click?.(undefined as never, undefined, undefined as never);
    await vi.waitFor(() => expect(electron.errors).toHaveLength(1));
    expect(electron.errors[0]?.[0]).toBe('Not a store');
    expect(electron.errors[0]?.[1]).toMatch(/not-a-store is not an LLM386 store/);
    await storeIs(first);
  });

  it('File > Open Store… opens a store folder; the page follows without a reload; it becomes recent', async () => {
    electron.picked.push(third);
    fileMenuItem('Open Store…')?.click?.(undefined as never, undefined, undefined as never);
    await storeIs(third);
    expect(electron.windows).toBe(1);
    expect(electron.loaded).toEqual([]);
    await vi.waitFor(() =>
      expect(readRecentStores(join(userData, 'recent-stores.json'))[0]).toBe(third),
    );
    // The menu is rebuilt with it under Open Recent.
    await vi.waitFor(() =>
      expect((fileMenuItem('Open Recent')?.submenu as MenuItemConstructorOptions[])[0]?.label).toBe(
        third,
      ),
    );
  });

  it('opens a store folder dropped on the app page (its data file too), and ignores drops from elsewhere', async () => {
    const drop = onListeners.get('llm386-drop:store');
    drop?.(fromPage('https://evil.example/'), second);
    drop?.(fromPage(), 'relative/store');
    drop?.(fromPage(), join(first, STORE_FILE));
    await storeIs(first);
    drop?.(fromPage(), second);
    await storeIs(second);
    drop?.(fromPage(), notAStore);
    await vi.waitFor(() => expect(electron.errors).toHaveLength(2));
    await storeIs(second);
  });

  it('Open Recent opens a recent store', async () => {
    const recent = fileMenuItem('Open Recent')?.submenu as MenuItemConstructorOptions[];
    recent
      .find((r) => r.label === third)
      ?.click?.(undefined as never, undefined, undefined as never);
    await storeIs(third);
  });
});
