// The Electron main process's security rules, with `electron` mocked (no Electron binary here):
// navigation away from the app page and new windows are refused, every permission is refused,
// and every response carries the app's Content-Security-Policy.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './csp';

type Handler = (...args: unknown[]) => unknown;
const userData = mkdtempSync(join(tmpdir(), 'llm386-main-'));
const appListeners = new Map<string, Handler>();
const session = {
  onHeadersReceived: undefined as Handler | undefined,
  permissionRequest: undefined as Handler | undefined,
  permissionCheck: undefined as Handler | undefined,
};
let ready: () => void = () => undefined;

vi.mock('electron', () => {
  class FakeWindow {
    webContents = { reload: vi.fn(), on: vi.fn(), setWindowOpenHandler: vi.fn() };
    once = vi.fn();
    show = vi.fn();
    loadFile = vi.fn(async () => undefined);
    loadURL = vi.fn(async () => undefined);
    static getAllWindows = () => [];
  }
  return {
    app: {
      isPackaged: true,
      enableSandbox: vi.fn(),
      on: (name: string, fn: Handler) => appListeners.set(name, fn),
      requestSingleInstanceLock: () => true,
      quit: vi.fn(),
      whenReady: () => new Promise<void>((resolve) => (ready = resolve)),
      getPath: () => userData,
      isReady: () => true,
      isDefaultProtocolClient: () => false,
      setAsDefaultProtocolClient: vi.fn(() => true),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: Handler) => (session.onHeadersReceived = fn) },
        setPermissionRequestHandler: (fn: Handler) => (session.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Handler) => (session.permissionCheck = fn),
      },
    },
    BrowserWindow: FakeWindow,
    dialog: { showOpenDialog: vi.fn() },
    ipcMain: { handle: vi.fn(), on: vi.fn(), removeHandler: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn(() => ({})) },
  };
});

beforeAll(async () => {
  process.env['LLM386_STORE'] = join(userData, 'no-such-store');
  await import('./index');
  ready();
  await new Promise((resolve) => setTimeout(resolve, 50));
});
afterAll(() => rmSync(userData, { recursive: true, force: true }));

/** A fake web contents handed to the app's 'web-contents-created' listener. */
function contents() {
  const on = new Map<string, Handler>();
  let openHandler: Handler | undefined;
  const fake = {
    on: (name: string, fn: Handler) => on.set(name, fn),
    setWindowOpenHandler: (fn: Handler) => (openHandler = fn),
  };
  appListeners.get('web-contents-created')?.({}, fake);
  return { on, open: () => openHandler?.({ url: 'https://example.com/' }) };
}

describe('Electron main (electron mocked)', () => {
  it('refuses navigation away from the app page, and keeps the app page', () => {
    const c = contents();
    const away = { url: 'https://example.com/', preventDefault: vi.fn() };
    c.on.get('will-navigate')?.(away);
    expect(away.preventDefault).toHaveBeenCalled();
    const file = { url: 'file:///etc/passwd', preventDefault: vi.fn() };
    c.on.get('will-navigate')?.(file);
    expect(file.preventDefault).toHaveBeenCalled();
  });

  it('refuses new windows and webviews', () => {
    const c = contents();
    expect(c.open()).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    c.on.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission request and check', () => {
    const callback = vi.fn();
    session.permissionRequest?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(session.permissionCheck?.({}, 'notifications')).toBe(false);
  });

  it('sets the app Content-Security-Policy on every response', () => {
    const callback = vi.fn();
    session.onHeadersReceived?.(
      { responseHeaders: { 'Content-Security-Policy': ['default-src *'] } },
      callback,
    );
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: {
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
});
