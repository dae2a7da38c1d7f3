// Journey: another process writes to the store; the open views show it within a second.
import { execFileSync } from 'node:child_process';
import { MAIN_SESSION } from './demo-store';
import { CLI, expect, screenshot, test } from './fixtures';

test('a block put by the CLI shows up in the open views without a reload', async ({
  page,
  freshInspector: inspector,
}) => {
  // The facts fit on screen, so the virtual list renders all of them.
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}&kinds=fact`));
  await expect(page.getByText('12 blocks')).toBeVisible();

  execFileSync(
    process.execPath,
    [CLI, 'put', '--store', inspector.store.dir, '--session', MAIN_SESSION, '--kind', 'fact', '-'],
    {
      input: 'Written by another process: the Musée Rodin garden opens at 10:00.',
    },
  );

  await expect(page.getByText('13 blocks')).toBeVisible({ timeout: 1_500 });
  await expect(
    page.getByRole('listbox', { name: 'Blocks' }).getByRole('option').last(),
  ).toContainText('Written by another process', { timeout: 1_500 });

  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: /Store/ })
    .click();
  const row = page
    .getByRole('table', { name: 'Sessions' })
    .getByRole('row')
    .filter({ hasText: MAIN_SESSION });
  await expect(row).toContainText(String(inspector.store.mainBlocks + 1));
  execFileSync(
    process.execPath,
    [
      CLI,
      'put',
      '--store',
      inspector.store.dir,
      '--session',
      'late-session',
      '--kind',
      'fact',
      '-',
    ],
    { input: 'A new session.' },
  );
  await expect(
    page
      .getByRole('table', { name: 'Sessions' })
      .getByRole('row')
      .filter({ hasText: 'late-session' }),
  ).toBeVisible({ timeout: 1_500 });
});

test('a call traced by the CLI shows up in the open Turns list without a reload', async ({
  page,
  freshInspector: inspector,
}) => {
  await page.goto(inspector.at(`#/turns?session=${MAIN_SESSION}`));
  const table = page.getByRole('table', { name: 'Turns' });
  const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(table.or(page.getByText(/no turns/i)).first()).toBeVisible();
  const before = await rows.count();

  // `pack --trace` writes a trace and no block: the refresh has to come from the trace itself.
  execFileSync(process.execPath, [
    CLI,
    'pack',
    '--store',
    inspector.store.dir,
    '--session',
    MAIN_SESSION,
    '--model',
    'gpt-4o',
    '--task',
    'A call traced from another process',
    '--trace',
    '--json',
  ]);

  await expect(rows).toHaveCount(before + 1, { timeout: 1_500 });
  await expect(rows.filter({ hasText: 'A call traced from another process' })).toHaveCount(1);
});

test('a server that stops answering: polls back off, the header says so, and it resumes when the server is back', async ({
  page,
  inspector,
}) => {
  await page.goto(inspector.at('#/store'));
  const live = page.getByRole('status', { name: 'Connection' });
  await expect(live).toHaveText(/^live · change [\d,]+$/);
  // The server goes away (every poll fails as a network error), then comes back.
  let failed = 0;
  await page.route('**/api/store.changes', (route) => {
    failed++;
    return route.abort('connectionrefused');
  });
  await expect(live).toHaveText('disconnected, retrying in 1 s');
  await expect(live).toHaveText('disconnected, retrying in 2 s', { timeout: 3_000 });
  await expect(live).toHaveText('disconnected, retrying in 4 s', { timeout: 4_000 });
  // Three failed polls in about three seconds; without back-off it was one every 0.4 s.
  expect(failed).toBe(3);
  await screenshot(page, 'live-disconnected');
  await page.unroute('**/api/store.changes');
  await page.getByRole('button', { name: 'Retry now' }).click();
  await expect(live).toHaveText(/^live · change [\d,]+$/);
});
