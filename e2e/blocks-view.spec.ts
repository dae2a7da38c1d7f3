// Journey: browse a session's blocks: filter by kind, search, read a block and follow its edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLargeStore, MAIN_SESSION } from './demo-store';
import { callApi, expect, screenshot, startInspector, test } from './fixtures';

test('lists the session, filters by kind and searches the text', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}`));
  const list = page.getByRole('listbox', { name: 'Blocks' });
  await expect(page.getByText(`${inspector.store.mainBlocks} blocks`)).toBeVisible();
  await expect(list.getByRole('option').first()).toContainText(
    'You are a meticulous travel planner',
  );

  await page
    .getByRole('group', { name: 'Filter by kind' })
    .getByRole('button', { name: 'fact', exact: true })
    .click();
  await expect(page.getByText('12 blocks')).toBeVisible();
  await expect(page).toHaveURL(/kinds=fact/);

  await page.getByRole('searchbox', { name: 'Search blocks' }).fill('louvre');
  await expect(page.getByText('1 block', { exact: true })).toBeVisible();
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option')).toContainText('The Louvre is closed on Tuesdays');

  await page.getByRole('searchbox', { name: 'Search blocks' }).fill('no such words anywhere');
  await expect(page.getByRole('heading', { name: 'No blocks match' })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('filters by section, label and creation time, each in the URL, and clears them', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  const { ids } = inspector.store;
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}`));
  await expect(page.getByText(`${inspector.store.mainBlocks} blocks`)).toBeVisible();

  await page.getByRole('combobox', { name: 'Filter by section' }).selectOption('retrieved');
  await expect(page.getByText('13 blocks')).toBeVisible();
  await expect(page).toHaveURL(/sections=retrieved/);

  const label = page.getByRole('textbox', { name: 'Filter by label' });
  await label.fill('paris');
  await label.press('Enter');
  await expect(page.getByText('3 blocks')).toBeVisible();
  await expect(page).toHaveURL(/label=paris/);

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText(`${inspector.store.mainBlocks} blocks`)).toBeVisible();

  // Up to the minute of the first block (the system prompt): that block alone.
  const { block } = await callApi<{ block: { createdAt: number } }>(
    page.request,
    inspector,
    'blocks.get',
    { id: ids.system },
  );
  // In the page's time zone, as the filter reads it.
  const to = await page.evaluate((createdAt) => {
    const at = new Date(createdAt);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  }, block.createdAt);
  await page.getByLabel('Created to').fill(to);
  await expect(page.getByText('1 block', { exact: true })).toBeVisible();
  await expect(page.getByRole('listbox', { name: 'Blocks' }).getByRole('option')).toContainText(
    'You are a meticulous travel planner',
  );
  await screenshot(page, 'blocks-filters');
  expect(consoleErrors).toEqual([]);
});

test('shows a block with its text, tool calls, metadata and edges, and follows an edge', async ({
  page,
  inspector,
}) => {
  const { ids } = inspector.store;
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}&block=${ids.assistant1}`));
  const pane = page.getByRole('region', { name: 'Block' });
  await expect(pane.getByLabel('Block text')).toHaveText('I will look it up.');
  await expect(pane).toContainText('museum_hours({"museum":"Louvre"})');
  await expect(pane).toContainText(ids.assistant1!);
  // Out: its parent (the user's question) and the tool-invocation to its result; in: the fact that supports it.
  await expect(pane.getByRole('heading', { name: 'Edges out 2' })).toBeVisible();
  await expect(pane.getByRole('listitem').filter({ hasText: 'tool-invocation →' })).toContainText(
    '"closed":["Tuesday"]',
  );
  await expect(pane.getByRole('heading', { name: 'Edges in 1' })).toBeVisible();
  await expect(pane.getByRole('listitem').filter({ hasText: '← supports' })).toContainText(
    'The Louvre is closed on Tuesdays',
  );
  await expect(
    page.getByRole('listbox', { name: 'Blocks' }).getByRole('option', { selected: true }),
  ).toContainText('I will look it up.');
  await screenshot(page, 'blocks');

  await pane.getByRole('button', { name: /user-message: Can you check which days/ }).click();
  await expect(page).toHaveURL(new RegExp(`block=${ids.user1}`));
  await expect(pane.getByLabel('Block text')).toHaveText(
    'Can you check which days the Louvre is closed?',
  );
});

test('shows a binary body as a placeholder, never raw bytes', async ({ page, inspector }) => {
  await page.goto(
    inspector.at(`#/blocks?session=${MAIN_SESSION}&block=${inspector.store.ids.binary}`),
  );
  await expect(page.getByRole('region', { name: 'Block' }).getByLabel('Block text')).toHaveText(
    /^\[binary body: 10 bytes, sha256 [0-9a-f]{16}\]$/,
  );
});

test('renders only the visible rows of a long list and reaches the last block by scrolling', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-large-'));
  const store = buildLargeStore(join(dir, 'store'), 5000);
  const { inspector, stop } = await startInspector(store);
  try {
    await page.goto(inspector.at('#/blocks?session=bulk'));
    const list = page.getByRole('listbox', { name: 'Blocks' });
    await expect(page.getByText('5,000 blocks')).toBeVisible();
    await expect(list.getByRole('option').first()).toContainText('Bulk fact number 00000');
    expect(await list.getByRole('option').count()).toBeLessThan(80);
    await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await expect(list.getByRole('option').last()).toContainText('Bulk fact number 04999');
    expect(await list.getByRole('option').count()).toBeLessThan(80);
    await screenshot(page, 'blocks-large');
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
