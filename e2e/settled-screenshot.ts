// A screenshot once the prompt diff viewer has settled. The viewer hides its rows for a moment
// after any resize or scroll (its virtualisation re-measures them), and the shared screenshot()
// resizes the viewport to the page's height: so resize first, wait, then shoot at that size.
import type { Page } from '@playwright/test';
import { expect, screenshot } from './fixtures';

export async function settledScreenshot(page: Page, name: string): Promise<void> {
  const width = page.viewportSize()?.width ?? 1280;
  const height = await page.evaluate(
    () =>
      (document.querySelector('main')?.scrollHeight ?? 0) +
      (document.querySelector('header')?.clientHeight ?? 0),
  );
  await page.setViewportSize({ width, height: Math.min(4000, Math.max(800, height)) });
  await expect(page.getByRole('status').filter({ hasText: 'Diffing…' })).toHaveCount(0);
  await screenshot(page, name);
}
