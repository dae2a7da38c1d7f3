// Journey: open the inspector in web mode and see the placeholder page.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';

const SCREENSHOTS = join(__dirname, 'screenshots');

test('shows the placeholder page at the tokenised URL', async ({ page, webServer }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });

  await page.goto(webServer.url);

  await expect(page).toHaveTitle('LLM386 Inspector');
  await expect(page.getByRole('heading', { level: 1, name: 'LLM386 Inspector' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No store open yet' })).toBeVisible();
  // A CSP violation or a failed script shows up here.
  expect(errors).toEqual([]);

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'smoke.png') });
});

test('follows the system dark theme', async ({ page, webServer }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(webServer.url);
  await expect(page.getByRole('heading', { level: 1, name: 'LLM386 Inspector' })).toBeVisible();
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(lightBackground);

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'smoke-dark.png') });
});

test('refuses a request without the token', async ({ playwright, webServer }) => {
  // A fresh request context: no cookie from an earlier page visit.
  const anonymous = await playwright.request.newContext();
  const origin = new URL(webServer.url).origin;
  const response = await anonymous.get(`${origin}/`);
  expect(response.status()).toBe(401);
  expect(await response.text()).not.toContain('<div id="root">');
  await anonymous.dispose();
});
