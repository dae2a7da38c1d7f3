// Journeys against the desktop build: the same store views over IPC instead of HTTP. Needs an
// Electron binary; where there is none (no node_modules/electron/dist, no
// ELECTRON_OVERRIDE_DIST_PATH) it skips. Never require('electron') here: from plain Node that
// starts a download of the binary.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test';
import { API_METHODS } from '../src-main/api/contract';
import { findElectronExecutable } from '../src-main/electron-binary';
import { buildDemoStore, MAIN_SESSION, type DemoStore } from './demo-store';

const ROOT = join(__dirname, '..');
const executablePath = findElectronExecutable(join(ROOT, 'node_modules', 'electron'));
const needsDisplay =
  process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];

test.skip(
  executablePath === undefined,
  'Electron binary not present: no node_modules/electron/dist and no ELECTRON_OVERRIDE_DIST_PATH',
);
test.skip(
  executablePath !== undefined && needsDisplay,
  'No display for Electron: run under xvfb-run',
);

let dir: string;
let store: DemoStore;
let app: ElectronApplication;
let win: Page;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-electron-'));
  store = buildDemoStore(join(dir, 'store'));
  app = await electron.launch({
    executablePath,
    args: [ROOT, '--store', store.dir],
    cwd: ROOT,
    env: { ...process.env, LLM386_STORE: store.dir },
  });
  win = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('opens the store view over IPC, isolated from Node', async () => {
  await expect(win.getByRole('heading', { level: 1, name: 'LLM386 Inspector' })).toBeVisible();
  await expect(win.getByRole('region', { name: 'Store summary' })).toContainText(store.dir);
  // The bridge has one function per method; Node and ipcRenderer are not there.
  // One function per method of the contract, no more, no less.
  expect(
    await win.evaluate(() => Object.keys((window as unknown as { llm386: object }).llm386).sort()),
  ).toEqual([...API_METHODS].sort());
  expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
  expect(
    await win.evaluate(() => typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer),
  ).toBe('undefined');
});

test('browses blocks and explains a page call', async () => {
  await win.evaluate(
    (session) => (window.location.hash = `#/blocks?session=${session}`),
    MAIN_SESSION,
  );
  await expect(win.getByText(`${store.mainBlocks} blocks`)).toBeVisible();
  await win.evaluate(
    (session) => (window.location.hash = `#/page?session=${session}&task=museums&budget=600`),
    MAIN_SESSION,
  );
  await win
    .getByRole('table', { name: 'Candidates' })
    .getByRole('row')
    .filter({ hasText: 'omitted' })
    .first()
    .click();
  await expect(
    win
      .getByRole('region', { name: 'Why / why not' })
      .getByRole('heading', { name: 'Why omitted' }),
  ).toBeVisible();
});

test('blocks navigation away from the app and new windows', async () => {
  await win.evaluate(() => window.open('https://example.com/'));
  expect(app.windows()).toHaveLength(1);
  const before = win.url();
  await win.evaluate(() => (window.location.href = 'https://example.com/')).catch(() => undefined);
  await expect.poll(() => win.url()).toBe(before);
});
