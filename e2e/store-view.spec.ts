// Journey: what is in my store? The Store view on a store built through the runtime.
import { MAIN_SESSION, OTHER_SESSION } from './demo-store';
import { STORE_FORMAT_VERSION } from '../src-core/index';
import { callApi, expect, screenshot, test } from './fixtures';

test('shows the store path, format, counts and every session with its kinds', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  await page.goto(inspector.url);
  const summary = page.getByRole('region', { name: 'Store summary' });
  await expect(summary).toContainText(inspector.store.dir);
  await expect(summary).toContainText(`Format version${STORE_FORMAT_VERSION}`);
  await expect(summary).toContainText('Sessions2');
  const sessions = page.getByRole('table', { name: 'Sessions' });
  const main = sessions.getByRole('row').filter({ hasText: MAIN_SESSION });
  await expect(main).toContainText(String(inspector.store.mainBlocks));
  await expect(main).toContainText(/tool-result\s*2/);
  await expect(main).toContainText(/fact\s*12/);
  await expect(sessions.getByRole('row').filter({ hasText: OTHER_SESSION })).toContainText('4');
  await screenshot(page, 'store');
  expect(consoleErrors).toEqual([]);
});

test("opens a session's blocks from its row", async ({ page, inspector }) => {
  await page.goto(inspector.url);
  await page
    .getByRole('table', { name: 'Sessions' })
    .getByRole('row')
    .filter({ hasText: OTHER_SESSION })
    .getByRole('link', { name: 'Blocks' })
    .click();
  await expect(page.getByRole('listbox', { name: 'Blocks' }).getByRole('option')).toHaveCount(4);
});

test('verifies the store on demand, in a child process, and reports it clean', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  await page.goto(inspector.url);
  await page.getByRole('button', { name: 'Verify the store' }).click();
  const result = page.getByRole('status', { name: 'Verify result' });
  await expect(result).toContainText(
    /^No problems: [\d,]+ blocks and [\d,]+ bodies checked in [\d,]+ ms\.$/,
  );
  await expect(page.getByRole('button', { name: 'Verify again' })).toBeEnabled();
  // The check runs away from the server's own process (the built CLI in a child process).
  const { ranIn } = await callApi<{ ranIn: string }>(page.request, inspector, 'store.verify');
  expect(ranIn).toBe('child-process');
  await screenshot(page, 'store-verified');
  expect(consoleErrors).toEqual([]);
});
