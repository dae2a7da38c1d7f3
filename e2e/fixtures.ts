// Fixtures shared by the browser specs: the built renderer served in web mode.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startStaticServer, type StaticServer } from '../src-main/web/static-server';

/** Repository root. */
export const ROOT = join(__dirname, '..');
/** The built renderer; `npx electron-vite build` makes it. */
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');

interface WorkerFixtures {
  /** The static server over out/renderer, one per worker. */
  webServer: StaticServer;
}

export const test = base.extend<object, WorkerFixtures>({
  webServer: [
    // Playwright reads the fixture's dependencies from this object pattern; it needs none.
    async ({}, use) => {
      if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
        throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npx electron-vite build\` before the e2e tests.`);
      }
      const server = await startStaticServer({ root: RENDERER_DIR });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
