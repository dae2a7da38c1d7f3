// The embedded default: with no store named, the inspector opens a demo store in the app's data
// folder, built on first use by running the example agent's scripted conversations through the
// real runtime (sessions, tool calls, facts, documents, summaries, edges, traces). No network,
// no API key.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildDemoStore } from '../examples/agent/demo';
import { STORE_FILE } from './runtime';

/** The folder name of the app's data (Electron's userData is `<appData>/<package name>`). */
export const APP_DATA_NAME = 'llm386-inspector';

/**
 * The app's data folder as Electron's `app.getPath('userData')` places it, for the CLI, which
 * has no Electron: `~/.config/llm386-inspector` on Linux (or under XDG_CONFIG_HOME),
 * `~/Library/Application Support/...` on macOS, `%APPDATA%\...` on Windows.
 */
export function appDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DATA_NAME);
  if (platform === 'win32')
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_DATA_NAME);
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), APP_DATA_NAME);
}

/**
 * The demo store under `dataDir`, built first if it is not there. The build goes to a scratch
 * folder renamed into place at the end, so an interrupted build never leaves a half-made demo.
 */
export async function ensureDemoStore(dataDir: string): Promise<{ dir: string; built: boolean }> {
  const dir = join(dataDir, 'demo-store');
  if (existsSync(join(dir, STORE_FILE))) return { dir, built: false };
  mkdirSync(dataDir, { recursive: true });
  const scratch = `${dir}.building-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  try {
    await buildDemoStore(scratch);
    rmSync(dir, { recursive: true, force: true });
    renameSync(scratch, dir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return { dir, built: true };
}
