// Journey: open the inspector in web mode from the printed URL; the shell, its navigation and the
// system theme.
import { expect, screenshot, test } from './fixtures';

test('opens at the printed URL with the store view and no page errors', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  await page.goto(inspector.url);
  await expect(page).toHaveTitle('LLM386 Inspector');
  await expect(page.getByRole('heading', { level: 1, name: 'LLM386 Inspector' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Views' });
  await expect(nav.getByRole('link', { name: /Store/ })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(/live · change \d+/)).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('navigates between the views with the links and keeps the session', async ({
  page,
  inspector,
}) => {
  await page.goto(inspector.at('#/store?session=trip-planner'));
  const nav = page.getByRole('navigation', { name: 'Views' });
  await nav.getByRole('link', { name: /Blocks/ }).click();
  await expect(page).toHaveURL(/#\/blocks\?session=trip-planner$/);
  await expect(page.getByRole('listbox', { name: 'Blocks' })).toBeVisible();
  await nav.getByRole('link', { name: /Page/ }).click();
  await expect(page.getByRole('form', { name: 'Page call' })).toBeVisible();
});

test('follows the system dark theme', async ({ page, inspector }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(inspector.url);
  await expect(page.getByRole('table', { name: 'Sessions' })).toBeVisible();
  const lightBackground = await page.evaluate(
    () => getComputedStyle(document.body).backgroundColor,
  );
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
    .not.toBe(lightBackground);
  await screenshot(page, 'store-dark');
});
