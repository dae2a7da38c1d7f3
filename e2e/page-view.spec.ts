// Journey: why was this block paged in or left out? A live page call over the demo store.
import { MAIN_SESSION } from './demo-store';
import { expect, screenshot, test, type Inspector } from './fixtures';

const TASK = 'Which museums are closed on Tuesday?';

function pageCall(inspector: Inspector, extra = '', budget = 600): string {
  return inspector.at(
    `#/page?session=${MAIN_SESSION}&task=${encodeURIComponent(TASK)}&budget=${budget}${extra}`,
  );
}

test('runs a page call from the form and shows the budget, candidates and prompt', async ({
  page,
  inspector,
  consoleErrors,
}) => {
  await page.goto(inspector.at('#/page'));
  await expect(page.getByRole('heading', { name: 'Choose a session and a task' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Page call' });
  await form.getByLabel('Session').selectOption(MAIN_SESSION);
  await form.getByLabel('Task').fill(TASK);
  await form.getByLabel('Budget').fill('600');
  await form.getByRole('button', { name: 'Page' }).click();
  await expect(page).toHaveURL(/#\/page\?budget=600&.*session=trip-planner&task=Which/);

  const budget = page.getByRole('region', { name: 'Budget' });
  await expect(budget).toContainText(/\d+ of 600 tokens used/);
  await expect(
    budget.getByRole('table', { name: 'Sections' }).getByRole('row', { name: /^Retrieved/ }),
  ).toBeVisible();

  const candidates = page.getByRole('table', { name: 'Candidates' });
  for (const retriever of ['recency', 'bm25', 'ann'])
    await expect(candidates.getByRole('columnheader', { name: retriever })).toBeVisible();
  await expect(candidates.getByRole('columnheader', { name: 'Fused' })).toBeVisible();
  await expect(candidates.getByRole('row').filter({ hasText: 'selected' }).first()).toBeVisible();
  await expect(candidates.getByRole('row').filter({ hasText: 'omitted' }).first()).toBeVisible();

  const prompt = page.getByRole('region', { name: 'Prompt' });
  await expect(prompt.getByRole('tabpanel', { name: 'String prompt' })).toContainText('## Task');
  await expect(prompt.getByRole('tabpanel', { name: 'String prompt' })).toContainText(TASK);
  await screenshot(page, 'page');
  expect(consoleErrors).toEqual([]);
});

test('explains why a block was selected: who found it and its score against the cut-off', async ({
  page,
  inspector,
}) => {
  await page.goto(pageCall(inspector));
  const candidates = page.getByRole('table', { name: 'Candidates' });
  await candidates.getByRole('row').filter({ hasText: 'The Louvre is closed on Tuesdays' }).click();
  const why = page.getByRole('region', { name: 'Why / why not' });
  await expect(why.getByRole('heading', { name: 'Why selected' })).toBeVisible();
  await expect(why).toContainText('The Louvre is closed on Tuesdays');
  await expect(why).toContainText(/Score\s*\d\.\d{3}/);
  const foundBy = why.getByRole('table', { name: 'Found by' });
  await expect(foundBy.getByRole('row', { name: /bm25/ })).toContainText(/#\d+/);
  await expect(foundBy.getByRole('row', { name: /bm25/ })).toContainText('relevance');
  await expect(foundBy.getByRole('columnheader', { name: 'Contribution' })).toBeVisible();
  await expect(why).toContainText('relevance fusion:');
  await expect(why.getByRole('listitem').first()).toHaveText(
    'fused = max(inclusion) + sum(relevance) x (1 + 0.25 x sum(recency))',
  );
  await expect(why.getByRole('group', { name: 'Score arithmetic' })).toContainText(
    /\d = \d+(\.\d+)? \+ /,
  );
  await expect(page).toHaveURL(new RegExp(`block=${inspector.store.ids.fact0}`));
  await screenshot(page, 'page-why-selected');
});

test('explains why a block was omitted: what displaced it and the tokens it needed against those left', async ({
  page,
  inspector,
}) => {
  // At 600 tokens everything relevant fits (the rest is omitted as low-score); at 340 the
  // conversation window runs out at an assistant message and its tool result, after a newer turn.
  await page.goto(pageCall(inspector, '&decision=omitted', 340));
  const candidates = page.getByRole('table', { name: 'Candidates' });
  await expect(candidates.getByRole('row').filter({ hasText: 'selected' })).toHaveCount(0);
  await candidates
    .getByRole('row')
    .filter({ hasText: /section-budget|global-budget/ })
    .filter({ hasText: 'Searching hotels now.' })
    .click();
  const why = page.getByRole('region', { name: 'Why / why not' });
  await expect(why.getByRole('heading', { name: 'Why omitted' })).toBeVisible();
  await expect(why).toContainText(/Tokens needed\s*\d+, with \d+ left/);
  await expect(why).toContainText('Displaced by');
  await expect(why).toContainText(
    /budget: (its section had too few tokens left|the input budget was used up)/,
  );
  await screenshot(page, 'page-why-omitted');

  // The block that took its place is one click away, and it was selected.
  const displacer = why
    .getByRole('definition')
    .filter({ has: page.getByRole('button') })
    .getByRole('button');
  await displacer.click();
  await page.getByRole('group', { name: 'Decision' }).getByRole('button', { name: 'all' }).click();
  await expect(why.getByRole('heading', { name: 'Why selected' })).toBeVisible();
});

test('sorts by any column and filters by decision, section and text', async ({
  page,
  inspector,
}) => {
  await page.goto(pageCall(inspector));
  const candidates = page.getByRole('table', { name: 'Candidates' });
  await candidates.getByRole('button', { name: 'Fused' }).click();
  await expect(candidates.getByRole('columnheader', { name: 'Fused' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await candidates.getByRole('button', { name: 'Fused' }).click();
  await expect(candidates.getByRole('columnheader', { name: 'Fused' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await candidates.getByRole('button', { name: 'bm25' }).click();
  await expect(candidates.getByRole('columnheader', { name: 'bm25' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(candidates.getByRole('row').nth(1)).toContainText('#1');

  await page.getByRole('combobox', { name: 'Section' }).selectOption('recent');
  await expect(candidates.getByRole('row').filter({ hasText: 'fact' })).toHaveCount(0);
  await page.getByRole('searchbox', { name: 'Filter candidates' }).fill('eurostar');
  await expect(candidates.getByRole('row')).toHaveCount(2);
  await expect(candidates.getByRole('row').nth(1)).toContainText('Eurostar');
});

test('marks block boundaries in the prompt; hovering shows the block, clicking selects it', async ({
  page,
  inspector,
}) => {
  await page.goto(pageCall(inspector));
  const prompt = page.getByRole('region', { name: 'Prompt' });
  const span = prompt
    .getByRole('tabpanel', { name: 'String prompt' })
    .getByText('The Louvre is closed on Tuesdays; the Musée d’Orsay is closed on Mondays.');
  await span.hover();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText('fact');
  await expect(tooltip).toContainText('retrieved');
  await expect(tooltip).toContainText('The Louvre is closed on Tuesdays');
  await span.click();
  await expect(
    page
      .getByRole('region', { name: 'Why / why not' })
      .getByRole('heading', { name: 'Why selected' }),
  ).toBeVisible();

  await prompt.getByRole('tab', { name: 'Chat' }).click();
  const chat = prompt.getByRole('tabpanel', { name: 'Chat messages' });
  await expect(chat.getByRole('listitem').first()).toContainText('system');
  await expect(chat.getByRole('listitem').last()).toContainText(TASK);
  await expect(page).toHaveURL(/prompt=chat/);
  await screenshot(page, 'page-chat');
});

test('says why a call failed, as data', async ({ page, inspector }) => {
  await page.goto(inspector.at(`#/page?session=${MAIN_SESSION}&task=x&budget=5`));
  const alert = page.getByRole('alert');
  await expect(alert.getByRole('heading', { name: 'The page call failed' })).toBeVisible();
  await expect(alert).toContainText('budget-exceeded');
  await screenshot(page, 'page-error');
});
