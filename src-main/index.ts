// Electron main: one sandboxed window over the built renderer and the contract's handlers on IPC
// (./api/ipc.ts). The runtime and the open store live in worker threads beside this one
// (./api/api-threads.ts): a what-if or a page call never blocks the window's process. The store
// comes from `--store DIR` or LLM386_STORE (`llm386 inspect` passes both; more `--store` folders
// are offered in the page's store menu), from File > Open Store… / Open Recent, or from a store
// folder dropped on the window; with none, the demo store.
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startApiThreads, type ApiThreads } from './api/api-threads';
import { noStoreHandlers, toApiError, type ApiHandlers } from './api/handlers';
import { registerIpcHandlers, registerStoreDrop } from './api/ipc';
import { createMenuTemplate } from './app-menu';
import { isAppPageUrl } from './app-page-url';
import { CONTENT_SECURITY_POLICY, DEV_SERVER_CONTENT_SECURITY_POLICY } from './csp';
import { readRecentStores, recentStoresFile, rememberStore } from './recent-stores';
import { ensureDemoStore } from './demo-store';
import { storeFolderAt } from './store-folder';
import { createWindowOptions } from './window-options';
import {
  DEEP_LINK_SCHEME,
  parseTurnLink,
  turnLinkIn,
  turnPageUrl,
  type TurnLink,
} from './deep-link';

// Set by `electron-vite dev`; never honoured in a packaged app.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const rendererIndex = join(__dirname, '../renderer/index.html');
const appUrl = devServerUrl ?? pathToFileURL(rendererIndex).href;
const contentSecurityPolicy =
  devServerUrl !== undefined ? DEV_SERVER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;

const NO_STORE =
  'No store is open: start with `llm386 inspect --store DIR`, or use File > Open Store…';
let threads: ApiThreads | undefined;
let handlers: ApiHandlers = noStoreHandlers(NO_STORE);

// Every renderer runs sandboxed, whatever its webPreferences say.
app.enableSandbox();

function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [contentSecurityPolicy],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
  // The inspector needs no camera, notifications, geolocation, ...
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

// Applies to every web contents, including any created later: no navigation away from the app's own
// page, no new windows, no <webview>.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => {
    if (!isAppPageUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

/**
 * The stores named on the command line (after Electron's own arguments), else the one in the
 * environment: the first is opened, the others are offered in the store menu.
 */
function storesFromCommandLine(argv: readonly string[]): string[] {
  const { values } = parseArgs({
    args: argv.slice(1),
    options: { store: { type: 'string', multiple: true } },
    strict: false,
    allowPositionals: true,
  });
  const named = Array.isArray(values.store)
    ? values.store.filter((s): s is string => typeof s === 'string')
    : [];
  const stores = named.length > 0 ? named : [process.env['LLM386_STORE'] ?? ''];
  return stores.filter((s) => s !== '').map((s) => resolve(s));
}

const recentFile = () => recentStoresFile(app.getPath('userData'));
/** True while the windows show an open store: they follow a switch by themselves then. */
let showingStore = false;
/** A `llm386://` link macOS delivered before the app was ready. */
let pendingLink: TurnLink | undefined;

/**
 * The worker threads that hold the store. Opened turn bundles become stores in the app's data
 * folder; a handler that switches stores (a bundle import, `stores.open`) needs no reload: the
 * page sees the new store in `store.changes` and follows.
 */
function apiThreads(): ApiThreads {
  threads ??= startApiThreads({
    configPath: process.env['LLM386_CONFIG'],
    bundlesDir: join(app.getPath('userData'), 'bundles'),
    known: storesFromCommandLine(process.argv).map((dir) => ({ dir, origin: 'opened' as const })),
    recentStoresFile: recentFile(),
    onSwitched: (dir) => {
      rememberStore(recentFile(), dir);
      buildMenu();
    },
  });
  return threads;
}

/** Loads the page again on the open store: without `?store=`, which names the store it showed before. */
function reloadPage(window: BrowserWindow): void {
  const url = new URL(window.webContents.getURL() || appUrl);
  url.searchParams.delete('store');
  window.webContents
    .loadURL(url.href)
    .catch((error: unknown) => console.error('llm386: could not reload the inspector page', error));
}

/**
 * Opens a store (the previous one closes). Calls made meanwhile wait for it in its thread; when it
 * cannot be opened, the app stays up and every call says why. `reload` shows it in open windows.
 */
function openStore(dir: string, reload = true): void {
  const api = apiThreads();
  handlers = api.handlers;
  api
    .open(dir)
    .then(
      () => {
        showingStore = true;
        rememberStore(recentFile(), api.dir ?? dir);
      },
      (error: unknown) => {
        showingStore = false;
        console.error(
          `llm386: could not open the store ${dir}: ${toApiError('store.open', error).message}`,
        );
      },
    )
    .finally(() => {
      buildMenu();
      if (reload) for (const window of BrowserWindow.getAllWindows()) reloadPage(window);
    })
    .catch((error: unknown) => console.error('llm386: could not open a store', error));
}

/**
 * Opens a store the user chose (File > Open Store…, Open Recent, a folder dropped on the window, a
 * second launch naming one) once it is checked to be a store folder. A wrong folder, or one that
 * fails to open, leaves the open store open, and a dialog says why. The pages follow the switch
 * (the store in their URL, a new history entry: Back returns); pages with no store are reloaded.
 */
function openChosenStore(path: string): void {
  const folder = storeFolderAt(path);
  if (!folder.ok) {
    dialog.showErrorBox('Not a store', folder.message);
    return;
  }
  const api = apiThreads();
  handlers = api.handlers;
  const reload = !showingStore;
  api
    .open(folder.dir, true)
    .then(
      () => {
        showingStore = true;
        rememberStore(recentFile(), api.dir ?? folder.dir);
        if (reload) for (const window of BrowserWindow.getAllWindows()) reloadPage(window);
      },
      (error: unknown) =>
        dialog.showErrorBox(
          'Could not open the store',
          `${folder.dir}: ${toApiError('store.open', error).message}`,
        ),
    )
    .finally(buildMenu)
    .catch((error: unknown) => console.error('llm386: could not open a store', error));
}

/** Opens the store a `llm386://turn` link names and shows that turn in every window. */
function showTurn(link: TurnLink): void {
  const api = apiThreads();
  handlers = api.handlers;
  api
    .open(link.store)
    .then(
      () => {
        showingStore = true;
        rememberStore(recentFile(), api.dir ?? link.store);
      },
      (error: unknown) => {
        showingStore = false;
        console.error(
          `llm386: could not open the store ${link.store}: ${toApiError('store.open', error).message}`,
        );
      },
    )
    .finally(() => {
      buildMenu();
      for (const window of BrowserWindow.getAllWindows()) {
        window.webContents
          .loadURL(turnPageUrl(appUrl, link))
          .catch((error: unknown) => console.error('llm386: could not show the turn', error));
      }
    })
    .catch((error: unknown) => console.error('llm386: could not open a turn link', error));
}

async function pickStore(): Promise<void> {
  const [window] = BrowserWindow.getAllWindows();
  const options = { title: 'Open an LLM386 store', properties: ['openDirectory' as const] };
  const picked =
    window === undefined
      ? await dialog.showOpenDialog(options)
      : await dialog.showOpenDialog(window, options);
  const [dir] = picked.filePaths;
  if (!picked.canceled && dir !== undefined) openChosenStore(dir);
}

function buildMenu(): void {
  const template = createMenuTemplate(process.platform, {
    openStore: () => void pickStore(),
    recentStores: readRecentStores(recentFile()),
    openRecent: (path) => openChosenStore(path),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(
    createWindowOptions({ preloadPath: join(__dirname, '../preload/index.js') }),
  );
  window.once('ready-to-show', () => window.show());
  const loaded =
    devServerUrl !== undefined ? window.loadURL(devServerUrl) : window.loadFile(rendererIndex);
  loaded.catch((error: unknown) => {
    console.error(
      `llm386: could not load the inspector page ${appUrl}; rebuild with \`npx electron-vite build\`.`,
      error,
    );
  });
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // macOS hands a clicked `llm386://` link to the running app (or the one it starts).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseTurnLink(url);
    if (link !== undefined) {
      if (app.isReady()) showTurn(link);
      else pendingLink = link;
    }
  });

  app.on('second-instance', (_event, argv) => {
    const link = turnLinkIn(argv);
    const [dir] = storesFromCommandLine(argv);
    if (link !== undefined) showTurn(link);
    else if (dir !== undefined) openChosenStore(dir);
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  void app.whenReady().then(() => {
    hardenSession();
    registerIpcHandlers(
      ipcMain,
      () => handlers,
      (url) => isAppPageUrl(url, appUrl),
    );
    // A store folder dropped on the window: the preload sends its path, main checks and opens it.
    registerStoreDrop(
      ipcMain,
      (url) => isAppPageUrl(url, appUrl),
      (path) => openChosenStore(path),
    );
    // Links in OpenTelemetry spans (`llm386://turn?...`) open the turn here.
    if (!app.isDefaultProtocolClient(DEEP_LINK_SCHEME))
      app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
    const link = pendingLink ?? turnLinkIn(process.argv);
    const [dir] = storesFromCommandLine(process.argv);
    if (link !== undefined) {
      // The window below shows the turn once its store is open.
      showTurn(link);
    } else if (dir !== undefined) {
      // No window shows anything yet: its first calls wait for the store.
      openStore(dir, false);
    } else {
      // The embedded default: the demo store, built on first launch (a few seconds; the window
      // says so meanwhile and reloads when it is open).
      handlers = noStoreHandlers('Building the demo store (first launch only)…');
      buildMenu();
      ensureDemoStore(app.getPath('userData')).then(
        (demo) => openStore(demo.dir),
        (error: unknown) => {
          handlers = noStoreHandlers(
            `Could not build the demo store: ${toApiError('demo', error).message}. Use File > Open Store…`,
          );
          for (const window of BrowserWindow.getAllWindows()) reloadPage(window);
        },
      );
    }
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Closes the stores in their threads before the process ends.
  app.on('will-quit', (event) => {
    const closing = threads;
    if (closing === undefined) return;
    threads = undefined;
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });
}
