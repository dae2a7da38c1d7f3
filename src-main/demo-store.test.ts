import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from './runtime';
import { appDataDir, ensureDemoStore } from './demo-store';

const base = mkdtempSync(join(tmpdir(), 'llm386-demo-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('ensureDemoStore', () => {
  it('builds the demo store once, through the runtime, with several sessions, edges and traces', async () => {
    const first = await ensureDemoStore(base);
    expect(first.built).toBe(true);
    const store = Store.open(first.dir, { readOnly: true });
    try {
      expect(store.sessions().length).toBeGreaterThanOrEqual(3);
      expect(store.blockCount()).toBeGreaterThan(50);
    } finally {
      store.close();
    }
    expect((await ensureDemoStore(base)).built).toBe(false);
    expect(existsSync(`${first.dir}.building-${process.pid}`)).toBe(false);
  });
});

describe('appDataDir', () => {
  it("follows Electron's userData locations", () => {
    expect(appDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/llm386-inspector');
    expect(appDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/llm386-inspector');
    expect(appDataDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/llm386-inspector',
    );
  });
});
