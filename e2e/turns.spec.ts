// Journey: what did the model see on a recorded call, and why? The Turns list of a session, one
// Turn (budget, candidates, why / why not, the prompt as recorded, export), deep links, and the
// block pane's list of the turns that selected or omitted a block. Over the agent demo store.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { AGENT_SESSION, expect, idFromUrl, screenshot, test, type Inspector } from './fixtures';

/** Opens the Turns list of the agent session and returns the rows of the turns (header excluded). */
async function turnsOf(page: Page, inspector: Inspector) {
  await page.goto(inspector.at(`#/turns?session=${AGENT_SESSION}`));
  const table = page.getByRole('table', { name: 'Turns' });
  await expect(table).toBeVisible();
  return table.getByRole('row').filter({ has: page.getByRole('cell') });
}

/** Opens the first turn recorded under a small budget (so it omitted blocks) and returns its call id. */
async function openSmallBudgetTurn(page: Page, inspector: Inspector): Promise<string> {
  const rows = await turnsOf(page, inspector);
  await rows.filter({ hasText: '/ 700' }).first().getByRole('link').click();
  await expect(page).toHaveURL(/#\/turn\?call=[0-9a-f]{32}&session=support-ada/);
  await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
  return idFromUrl(page.url(), 'call');
}

/** The id of the block selected in the open view, once the URL names it. */
async function selectedBlockId(page: Page): Promise<string> {
  await expect(page).toHaveURL(/[?&]block=[0-9a-f]{32}/);
  return idFromUrl(page.url(), 'block');
}

test('lists a session’s turns with tokens against the budget, and opens one from the keyboard', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.at('#/turns'));
  await expect(page.getByRole('heading', { name: 'Choose a session' })).toBeVisible();
  await page
    .getByRole('list', { name: 'Sessions' })
    .getByRole('link', { name: AGENT_SESSION })
    .click();
  const rows = page
    .getByRole('table', { name: 'Turns' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(19);
  await expect(page.getByText('19 turns')).toBeVisible();
  await expect(rows.first()).toContainText('gpt-4o');
  await expect(rows.first()).toContainText(/\d+ \/ 111,360/);
  await expect(rows.first()).toContainText('Hi, my name is Ada');
  await expect(rows.first()).toContainText('Nice to meet you, Ada Lovelace!');
  await screenshot(page, 'turns');

  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/turn\?call=[0-9a-f]{32}&session=support-ada/);
  await expect(page.getByText('Hi, my name is Ada Lovelace').first()).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('after clicking the Turns tab, j/k move the highlight and Enter opens the highlighted turn', async ({
  page,
  agentInspector,
}) => {
  await page.goto(agentInspector.at(`#/store?session=${AGENT_SESSION}`));
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: /Turns/ })
    .click();
  const rows = page
    .getByRole('table', { name: 'Turns' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  await expect(rows.first()).toBeVisible();
  // Focus is on the tab now: the list keys must still reach the list.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/turn\?call=[0-9a-f]{32}&session=support-ada/);
  await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
});

test('a turn shows its budget split, candidates per retriever and the prompt as recorded', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await openSmallBudgetTurn(page, agentInspector);
  const budget = page.getByRole('region', { name: 'Budget' });
  await expect(budget).toContainText(/\d+ of 700 tokens used/);
  await expect(budget).toContainText(/of the 128,000-token window of gpt-4o/);

  const candidates = page.getByRole('table', { name: 'Candidates' });
  for (const retriever of ['recency', 'bm25', 'ann'])
    await expect(candidates.getByRole('columnheader', { name: retriever })).toBeVisible();
  await expect(candidates.getByRole('row').filter({ hasText: 'selected' }).first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Candidates' })).toContainText(/\d+ of \d+/);

  const prompt = page.getByRole('region', { name: 'Prompt' });
  await expect(prompt.getByRole('tab', { name: 'Chat (sent)' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(prompt.getByRole('tabpanel', { name: 'Chat messages' })).toContainText(
    'Reply to the user',
  );
  await expect(prompt).toContainText('is what was sent');
  await expect(page.getByText('The openai request as sent')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Output' })).toContainText('recorded');
  await screenshot(page, 'turn');

  // Hovering a block's span in the prompt shows the block.
  await prompt.locator('[data-block]').first().hover();
  await expect(page.getByRole('tooltip')).toBeVisible();

  // A section of the budget filters the candidates to it.
  await budget.getByRole('button', { name: 'Recent' }).click();
  await expect(page).toHaveURL(/section=recent/);
  await expect(page.getByRole('combobox', { name: 'Section' })).toHaveValue('recent');
  expect(consoleErrors).toEqual([]);
});

test('why / why not on a recorded turn, for a selected and an omitted block', async ({
  page,
  agentInspector,
}) => {
  await openSmallBudgetTurn(page, agentInspector);
  const candidates = page.getByRole('table', { name: 'Candidates' });
  const why = page.getByRole('region', { name: 'Why / why not' });

  await page.getByRole('searchbox', { name: 'Filter candidates' }).fill('recency');
  await candidates
    .getByRole('row')
    .filter({ hasText: 'selected' })
    .filter({ hasText: 'recency' })
    .first()
    .click();
  await expect(why.getByRole('heading', { name: 'Why selected' })).toBeVisible();
  await expect(why).toContainText(/Score\s*\d\.\d{3}/);
  await expect(why.getByRole('table', { name: 'Found by' })).toBeVisible();
  await expect(page).toHaveURL(/block=[0-9a-f]{32}/);
  await screenshot(page, 'turn-why-selected');

  await page.getByRole('searchbox', { name: 'Filter candidates' }).fill('');
  await page
    .getByRole('group', { name: 'Decision' })
    .getByRole('button', { name: 'omitted' })
    .click();
  await expect(candidates.getByRole('row').filter({ hasText: 'selected' })).toHaveCount(0);
  await candidates.getByRole('row').filter({ hasText: 'omitted' }).first().click();
  await expect(why.getByRole('heading', { name: 'Why omitted' })).toBeVisible();
  await expect(why).toContainText(
    /Tokens needed\s*\d+, with \d+ left|Duplicate of|Replaced by|Displaced by|it would have added/,
  );
  await screenshot(page, 'turn-why-omitted');
});

test('a deep link reopens a turn with a block selected', async ({ page, agentInspector }) => {
  const callId = await openSmallBudgetTurn(page, agentInspector);
  const candidates = page.getByRole('table', { name: 'Candidates' });
  await page
    .getByRole('group', { name: 'Decision' })
    .getByRole('button', { name: 'omitted' })
    .click();
  await candidates.getByRole('row').filter({ hasText: 'omitted' }).first().click();
  const blockId = await selectedBlockId(page);

  const fresh = await page.context().newPage();
  await fresh.goto(
    agentInspector.at(`#/turn?block=${blockId}&call=${callId}&session=${AGENT_SESSION}`),
  );
  await expect(
    fresh
      .getByRole('region', { name: 'Why / why not' })
      .getByRole('heading', { name: 'Why omitted' }),
  ).toBeVisible();
  await expect(
    fresh.getByRole('table', { name: 'Candidates' }).locator(`tr[data-id="${blockId}"]`),
  ).toHaveAttribute('aria-selected', 'true');
  await fresh.close();
});

test('the block pane lists the turns that selected or omitted the block, each opening the Turn', async ({
  page,
  agentInspector,
}) => {
  // The shared support-hours fact: this arithmetic turn leaves it out (it shares no word with the
  // question), the turn that asks about support hours selects it.
  const callId = await openSmallBudgetTurn(page, agentInspector);
  await page
    .getByRole('group', { name: 'Decision' })
    .getByRole('button', { name: 'omitted' })
    .click();
  await page
    .getByRole('table', { name: 'Candidates' })
    .getByRole('row')
    .filter({ hasText: 'omitted' })
    .filter({ hasText: 'Support hours are' })
    .click();
  const blockId = await selectedBlockId(page);
  await page
    .getByRole('region', { name: 'Why / why not' })
    .getByRole('button', { name: 'Open in Blocks' })
    .click();
  await expect(page).toHaveURL(new RegExp(`#/blocks\\?block=${blockId}(&|$)`));

  const turns = page.getByRole('list', { name: 'Turns of this block' });
  await expect(turns.getByRole('link').filter({ hasText: 'omitted' }).first()).toBeVisible();
  await expect(turns.getByRole('link').filter({ hasText: 'selected' }).first()).toBeVisible();
  await screenshot(page, 'block-turns');

  await turns.getByRole('link').filter({ hasText: 'selected' }).first().click();
  await expect(page).toHaveURL(new RegExp(`#/turn\\?block=${blockId}&call=[0-9a-f]{32}`));
  expect(idFromUrl(page.url(), 'call')).not.toBe(callId);
  await expect(
    page
      .getByRole('region', { name: 'Why / why not' })
      .getByRole('heading', { name: 'Why selected' }),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Candidates' }).locator(`tr[data-id="${blockId}"]`),
  ).toHaveAttribute('aria-selected', 'true');
});

test('exports a turn as JSON: plan, prompt and messages', async ({ page, agentInspector }) => {
  const callId = await openSmallBudgetTurn(page, agentInspector);
  const button = page.getByRole('button', { name: 'Export JSON' });
  await expect(button).toBeEnabled();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(`llm386-turn-${AGENT_SESSION}-${callId}.json`);
  const json = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    format: string;
    turn: { callId: string };
    plan: { selected: unknown[]; omitted: unknown[] };
    messages: { role: string }[];
    request: unknown;
    prompt: { mode: string; exact: boolean };
  };
  expect(json.format).toBe('llm386-turn');
  expect(json.turn.callId).toBe(callId);
  expect(json.plan.omitted.length).toBeGreaterThan(0);
  expect(json.messages[0]?.role).toBe('system');
  expect(json.prompt).toMatchObject({ mode: 'openai', exact: true });
  expect(json.request).toMatchObject({ model: 'gpt-4o' });
});

test('an unknown turn fails readably', async ({ page, agentInspector }) => {
  await page.goto(agentInspector.at(`#/turn?call=${'0'.repeat(32)}`));
  await expect(page.getByRole('alert')).toContainText('This turn could not be read');
  await expect(page.getByRole('alert')).toContainText('trace-not-found');
});
