// Journey: another process writes to the store; the open views show it within a second.
import { execFileSync } from 'node:child_process';
import { MAIN_SESSION } from './demo-store';
import { CLI, expect, test } from './fixtures';

test('a block put by the CLI shows up in the open views without a reload', async ({ page, freshInspector: inspector }) => {
  // The facts fit on screen, so the virtual list renders all of them.
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}&kinds=fact`));
  await expect(page.getByText('12 blocks')).toBeVisible();

  execFileSync(process.execPath, [CLI, 'put', '--store', inspector.store.dir, '--session', MAIN_SESSION, '--kind', 'fact', '-'], {
    input: 'Written by another process: the Musée Rodin garden opens at 10:00.',
  });

  await expect(page.getByText('13 blocks')).toBeVisible({ timeout: 1_500 });
  await expect(page.getByRole('listbox', { name: 'Blocks' }).getByRole('option').last()).toContainText('Written by another process', { timeout: 1_500 });

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Store/ }).click();
  const row = page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: MAIN_SESSION });
  await expect(row).toContainText(String(inspector.store.mainBlocks + 1));
  execFileSync(process.execPath, [CLI, 'put', '--store', inspector.store.dir, '--session', 'late-session', '--kind', 'fact', '-'], { input: 'A new session.' });
  await expect(page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: 'late-session' })).toBeVisible({ timeout: 1_500 });
});

test('a call traced by the CLI shows up in the open Turns list without a reload', async ({ page, freshInspector: inspector }) => {
  await page.goto(inspector.at(`#/turns?session=${MAIN_SESSION}`));
  const table = page.getByRole('table', { name: 'Turns' });
  const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(table.or(page.getByText(/no turns/i)).first()).toBeVisible();
  const before = await rows.count();

  // `pack --trace` writes a trace and no block: the refresh has to come from the trace itself.
  execFileSync(process.execPath, [CLI, 'pack', '--store', inspector.store.dir, '--session', MAIN_SESSION, '--model', 'gpt-4o', '--task', 'A call traced from another process', '--trace', '--json']);

  await expect(rows).toHaveCount(before + 1, { timeout: 1_500 });
  await expect(rows.filter({ hasText: 'A call traced from another process' })).toHaveCount(1);
});
