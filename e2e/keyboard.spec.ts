// Journey: drive the inspector from the keyboard: views, lists, search, the key sheet.
import { MAIN_SESSION } from './demo-store';
import { expect, screenshot, test } from './fixtures';

test('? opens the key sheet and Esc closes it', async ({ page, inspector }) => {
  await page.goto(inspector.url);
  await expect(page.getByRole('table', { name: 'Sessions' })).toBeVisible();
  await page.keyboard.press('?');
  const sheet = page.getByRole('dialog', { name: 'Keyboard' });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole('row', { name: /focus the search/ })).toBeVisible();
  await screenshot(page, 'key-sheet');
  await page.keyboard.press('Escape');
  await expect(sheet).toBeHidden();
});

test('number keys switch views; j/k move through sessions; Enter opens one', async ({
  page,
  inspector,
}) => {
  await page.goto(inspector.url);
  const sessions = page.getByRole('table', { name: 'Sessions' });
  await expect(sessions).toBeVisible();
  await page.keyboard.press('j');
  await expect(sessions.getByRole('row', { selected: true })).toHaveCount(1);
  const first = await sessions.getByRole('row', { selected: true }).textContent();
  await page.keyboard.press('ArrowDown');
  await expect(sessions.getByRole('row', { selected: true })).not.toHaveText(first ?? '');
  await page.keyboard.press('k');
  await expect(sessions.getByRole('row', { selected: true })).toHaveText(first ?? '');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/blocks\?session=/);
  await page.keyboard.press('4');
  await expect(page.getByRole('form', { name: 'Page call' })).toBeVisible();
  await page.keyboard.press('1');
  await expect(page.getByRole('table', { name: 'Sessions' })).toBeVisible();
});

test('j/k and arrows move the selection in the block list; / focuses search; Esc leaves it', async ({
  page,
  inspector,
}) => {
  await page.goto(inspector.at(`#/blocks?session=${MAIN_SESSION}`));
  const list = page.getByRole('listbox', { name: 'Blocks' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('j');
  await expect(list.getByRole('option', { selected: true })).toContainText(
    'You are a meticulous travel planner',
  );
  await page.keyboard.press('j');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('option', { selected: true })).toContainText('Paris Museum Pass');
  await page.keyboard.press('k');
  await expect(list.getByRole('option', { selected: true })).toContainText(
    'The Louvre is closed on Tuesdays',
  );
  await expect(page.getByRole('region', { name: 'Block' }).getByLabel('Block text')).toContainText(
    'The Louvre is closed on Tuesdays',
  );

  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search blocks' });
  await expect(search).toBeFocused();
  await page.keyboard.type('stained-glass');
  await expect(search).toHaveValue('stained-glass');
  await expect(list.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(search).not.toBeFocused();
  // Esc outside a field clears the selection.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: 'No block selected' })).toBeVisible();
});

test('j/k move through the candidates of a page call', async ({ page, inspector }) => {
  await page.goto(inspector.at(`#/page?session=${MAIN_SESSION}&task=museums&budget=600`));
  const candidates = page.getByRole('table', { name: 'Candidates' });
  await expect(candidates.getByRole('row').nth(1)).toBeVisible();
  await page.keyboard.press('j');
  await expect(candidates.getByRole('row', { selected: true })).toContainText(
    'You are a meticulous travel planner',
  );
  await page.keyboard.press('j');
  await expect(candidates.getByRole('row', { selected: true })).not.toContainText(
    'You are a meticulous travel planner',
  );
  await page.keyboard.press('k');
  await expect(candidates.getByRole('row', { selected: true })).toContainText(
    'You are a meticulous travel planner',
  );
});
