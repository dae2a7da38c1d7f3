// Journey: every selection is in the URL; opening a copied link reopens the same view.
import { MAIN_SESSION } from './demo-store';
import { expect, test } from './fixtures';

test('a copied Page link reopens the same call, filters and selected block', async ({
  page,
  context,
  inspector,
}) => {
  await page.goto(
    inspector.at(
      `#/page?session=${MAIN_SESSION}&task=${encodeURIComponent('museum pass')}&budget=600`,
    ),
  );
  await page
    .getByRole('group', { name: 'Decision' })
    .getByRole('button', { name: 'selected' })
    .click();
  await page
    .getByRole('table', { name: 'Candidates' })
    .getByRole('row')
    .filter({ hasText: 'Paris Museum Pass' })
    .click();
  await expect(page.getByRole('region', { name: 'Why / why not' })).toContainText(
    'A Paris Museum Pass',
  );
  const link = page.url();

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole('form', { name: 'Page call' }).getByLabel('Task')).toHaveValue(
    'museum pass',
  );
  await expect(
    other.getByRole('group', { name: 'Decision' }).getByRole('button', { name: 'selected' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(
    other.getByRole('table', { name: 'Candidates' }).getByRole('row', { selected: true }),
  ).toContainText('Paris Museum Pass');
  await expect(other.getByRole('region', { name: 'Why / why not' })).toContainText(
    'A Paris Museum Pass',
  );
  await other.close();
});

test('a Blocks link reopens the filters and the block pane, and survives a reload', async ({
  page,
  inspector,
}) => {
  const { ids } = inspector.store;
  await page.goto(
    inspector.at(`#/blocks?session=${MAIN_SESSION}&kinds=tool-result&block=${ids.result4}`),
  );
  await expect(
    page
      .getByRole('group', { name: 'Filter by kind' })
      .getByRole('button', { name: 'tool-result' }),
  ).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('listbox', { name: 'Blocks' }).getByRole('option')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Block' }).getByLabel('Block text')).toContainText(
    'Hôtel du Parc Montsouris',
  );
  await page.reload();
  await expect(page.getByRole('region', { name: 'Block' }).getByLabel('Block text')).toContainText(
    'Hôtel du Parc Montsouris',
  );
});
