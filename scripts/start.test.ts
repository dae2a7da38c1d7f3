// `npm start` where Electron cannot run must say how to use web mode, not end in a stack trace.
// Electron's binary is hidden with ELECTRON_OVERRIDE_DIST_PATH, so a machine that has one never
// opens a window here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'llm386-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm start', () => {
  it('without an Electron binary, points to web mode in one plain line, with no stack trace', () => {
    const result = spawnSync('npm', ['start', '--silent'], {
      cwd: root,
      encoding: 'utf8',
      // The demo store is built in the data folder: keep it out of the user's.
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron-here'),
        XDG_CONFIG_HOME: scratch,
        LLM386_STORE: '',
      },
      timeout: 110_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status).not.toBe(0);
    expect(output).toContain('npm run start:web');
    expect(output).toMatch(/web mode/);
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toContain('Electron uninstall');
  });
});
