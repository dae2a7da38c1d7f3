import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// A Chromium named by PLAYWRIGHT_CHROMIUM_EXECUTABLE, else Debian's where installed (CI, headless
// boxes), else Playwright's own, installed once with `npx playwright install chromium`.
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const chromium =
  process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ||
  (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  reporter: 'list',
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    browserName: 'chromium',
    headless: true,
    // Never --user-data-dir here: Playwright manages the profile.
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
