// Electron main: one sandboxed window over the built renderer. The runtime (src-core) and the typed
// IPC contract arrive in later issues; until then the preload bridge offers one placeholder call.
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMenuTemplate } from './app-menu';
import { isAppPageUrl } from './app-page-url';
import { CONTENT_SECURITY_POLICY, DEV_SERVER_CONTENT_SECURITY_POLICY } from './csp';
import { createWindowOptions } from './window-options';

// Same channel name as in src-main/preload/index.ts (the preload may import only `electron`).
const VERSION_CHANNEL = 'app.version';

// Set by `electron-vite dev`; never honoured in a packaged app.
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const rendererIndex = join(__dirname, '../renderer/index.html');
const appUrl = devServerUrl ?? pathToFileURL(rendererIndex).href;
const contentSecurityPolicy = devServerUrl !== undefined ? DEV_SERVER_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;

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
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
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

function registerIpcHandlers(): void {
  ipcMain.handle(VERSION_CHANNEL, (event) => {
    if (!isAppPageUrl(event.senderFrame?.url, appUrl)) {
      return { ok: false, error: { code: 'untrusted-sender', message: 'IPC call from a page that is not the inspector.' } };
    }
    return { ok: true, value: app.getVersion() };
  });
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(createWindowOptions({ preloadPath: join(__dirname, '../preload/index.js') }));
  window.once('ready-to-show', () => window.show());
  const loaded = devServerUrl !== undefined ? window.loadURL(devServerUrl) : window.loadFile(rendererIndex);
  loaded.catch((error: unknown) => {
    console.error(`llm386: could not load the inspector page ${appUrl}; rebuild with \`npx electron-vite build\`.`, error);
  });
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  void app.whenReady().then(() => {
    hardenSession();
    registerIpcHandlers();
    Menu.setApplicationMenu(Menu.buildFromTemplate(createMenuTemplate(process.platform)));
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
