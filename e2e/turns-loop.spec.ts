// Journey: a tool loop's calls read as the user turns they serve. The Turns list groups calls
// under their user message, shows each call's output, latency, usage and cost, finds turns by
// task, output or block text, and opens Compare on any two ticked rows; the Store view counts
// turns and tokens per session and links to them. On the agent demo store and on a 2,000-message
// store built here through the runtime.
import type { Page } from '@playwright/test';
import { AGENT_SESSION, expect, idFromUrl, screenshot, test } from './fixtures';
import { LOOP_RARE_WORD, LOOP_SESSION } from './loop-store';

/** The Turns table's call rows (user-turn headers have no cells). */
function callRows(page: Page) {
  return page
    .getByRole('table', { name: 'Turns' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
}

/** The user-turn header rows. */
function userTurns(page: Page) {
  return page.getByRole('table', { name: 'Turns' }).locator('tr.user-turn-row');
}

test('demo store: calls grouped under user turns, with output, latency and cost; search; two ticked rows open Compare', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.at(`#/turns?session=${AGENT_SESSION}`));
  await expect(callRows(page)).toHaveCount(19);
  // 14 user messages; the account lookup took two calls (a tool call, then the answer).
  await expect(userTurns(page)).toHaveCount(14);
  const lookup = page.getByRole('rowgroup').filter({ hasText: 'User turn 3' });
  await expect(lookup.getByRole('rowheader').first()).toContainText('Look up my account please.');
  await expect(lookup.getByRole('rowheader').first()).toContainText('2 calls');
  await expect(lookup.getByRole('row').filter({ has: page.getByRole('cell') })).toHaveCount(2);
  const rows = callRows(page);
  await expect(rows.nth(2)).toContainText('[tool call] lookup_profile');
  await expect(rows.nth(3)).toContainText('Here is what I found');
  // The scripted model reports no usage: the cost is the prompt's, at gpt-4o's list price.
  await expect(rows.first()).toContainText(/≥ \$0\.\d{4}/);
  await expect(rows.first()).toContainText(/\d+ ms/);
  await screenshot(page, 'turns-grouped');

  // Search: the task, the output and the blocks each call first saw.
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search turns' })).toBeFocused();
  await page.keyboard.type('purple');
  await expect(page).toHaveURL(/q=purple/);
  await expect(callRows(page)).toHaveCount(4);
  await expect(page.getByText('4 of 19 turns match')).toBeVisible();
  await expect(callRows(page).first()).toContainText('matched in task, output, a block');
  await screenshot(page, 'turns-search');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('searchbox', { name: 'Search turns' })).not.toBeFocused();
  await expect(page.getByRole('searchbox', { name: 'Search turns' })).toHaveValue('purple');
  await page.getByRole('searchbox', { name: 'Search turns' }).fill('');
  await expect(callRows(page)).toHaveCount(19);

  // Tick two rows (the later first): Compare opens with the earlier as a.
  const compare = page.getByRole('button', { name: 'Compare' });
  await expect(compare).toBeDisabled();
  await page.getByRole('checkbox', { name: 'Pick turn 7 to compare' }).check();
  await page.getByRole('checkbox', { name: 'Pick turn 6 to compare' }).check();
  await expect(page).toHaveURL(/pick=[0-9a-f]{32}(%2C|,)[0-9a-f]{32}/);
  await compare.click();
  await expect(page).toHaveURL(/#\/compare\?/);
  await expect(page.getByRole('heading', { name: 'Compare' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Blocks: block changes' })).toBeVisible();
  expect(idFromUrl(page.url(), 'a') < idFromUrl(page.url(), 'b')).toBe(true);
  expect(consoleErrors).toEqual([]);
});

test('2,000 messages: a tool loop per user turn, usage and cost per call, an unpriced model, search by a tool result', async ({
  page,
  loopInspector,
  consoleErrors,
}) => {
  const { inspector, store } = loopInspector;
  await page.goto(inspector.at(`#/turns?session=${LOOP_SESSION}`));
  // The table is virtualised: it names its length (a header row, then each user turn's header and
  // calls) and holds the rows on screen.
  await expect(page.getByText(`${store.calls.length} turns`, { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Turns' })).toHaveAttribute(
    'aria-rowcount',
    String(1 + store.tracedTurns + store.calls.length),
  );
  await expect(userTurns(page).first()).toContainText('Hello, where is my order 10000?');
  await expect(userTurns(page).first()).toContainText('2 calls');
  // The first call of a loop answered with a tool call only; the second with text. Usage as
  // reported, cost at gpt-4o's $2.50 / $10 per million, latency from the recorded call to its output.
  const rows = callRows(page);
  await expect(rows.nth(0)).toContainText('(no text: tool calls only)');
  await expect(rows.nth(0)).toContainText(/[\d,]+ in · 18 out/);
  await expect(rows.nth(1)).toContainText('Your order 10000 shipped with Parcelforce');
  await expect(rows.nth(1)).toContainText(/[\d,]+ in · 24 out/);
  await expect(rows.nth(1)).toContainText(/\$0\.\d{4}/);
  await expect(rows.nth(1)).toContainText(/\d+ ms/);
  await expect(userTurns(page).first()).toContainText(/42 output tokens · \d+ ms · \$0\.\d{4}/);
  // The last user turn ran on gpt-4-turbo, which has no prices: no cost. Scrolled to the end, its
  // rows are rendered.
  await page.getByRole('table', { name: 'Turns' }).hover();
  await page.mouse.wheel(0, 100_000);
  const last = rows.last();
  await expect(
    last.getByRole('checkbox', { name: `Pick turn ${store.calls.length} to compare` }),
  ).toBeVisible();
  await expect(last).toContainText('gpt-4-turbo');
  await expect(last.getByRole('cell').last()).toHaveText('—');
  await screenshot(page, 'turns-2k');

  // A word only the last loop's tool result (and the answer after it) holds: the second call of
  // that loop saw the tool result first, and said the word in its output.
  await page.getByRole('searchbox', { name: 'Search turns' }).fill(LOOP_RARE_WORD.toLowerCase());
  await expect(callRows(page)).toHaveCount(1);
  await expect(callRows(page).first()).toContainText(
    `matched in output, 2 blocks: “Order 10499: shipped on day 23 with ${LOOP_RARE_WORD}`,
  );
  await expect(page.getByText(`1 of ${store.calls.length} turns match`)).toBeVisible();
  await screenshot(page, 'turns-2k-search');

  // The Store view: turns and tokens per session, linked to the Turns view.
  await page.goto(inspector.at('#/store'));
  const session = page
    .getByRole('table', { name: 'Sessions' })
    .getByRole('row')
    .filter({ hasText: LOOP_SESSION });
  await expect(session).toContainText(`${store.calls.length} turns`);
  await expect(session.getByRole('cell').nth(1)).toHaveText(/^\d{2},\d{3}$/);
  await screenshot(page, 'store-turns');
  await session.getByRole('link', { name: `${store.calls.length} turns` }).click();
  await expect(page).toHaveURL(new RegExp(`#/turns\\?session=${LOOP_SESSION}`));
  await expect(page.getByText(`${store.calls.length} turns`, { exact: true })).toBeVisible();

  // A deep link to the last call renders and shows its row; k moves the highlight up, in view.
  const lastCall = store.calls[store.calls.length - 1] ?? '';
  await page.goto(inspector.at(`#/turns?session=${LOOP_SESSION}&call=${lastCall}`));
  const highlighted = page
    .getByRole('table', { name: 'Turns' })
    .getByRole('row', { selected: true });
  await expect(
    highlighted.getByRole('checkbox', { name: `Pick turn ${store.calls.length} to compare` }),
  ).toBeVisible();
  await expect(highlighted).toBeInViewport();
  for (let i = 0; i < 6; i++) await page.keyboard.press('k');
  await expect(
    highlighted.getByRole('checkbox', { name: `Pick turn ${store.calls.length - 6} to compare` }),
  ).toBeVisible();
  await expect(highlighted).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(
    new RegExp(
      `#/turn\\?call=${store.calls[store.calls.length - 7] ?? ''}&session=${LOOP_SESSION}`,
    ),
  );
  expect(consoleErrors).toEqual([]);
});

test('demo store: the Store view counts each session’s turns and tokens and links to its turns', async ({
  page,
  agentInspector,
}) => {
  await page.goto(agentInspector.at('#/store'));
  const table = page.getByRole('table', { name: 'Sessions' });
  await expect(table.getByRole('row').filter({ hasText: AGENT_SESSION })).toContainText('19 turns');
  await expect(
    table.getByRole('row').filter({ hasText: 'global' }).getByRole('cell').nth(2),
  ).toHaveText('0');
  await table
    .getByRole('row')
    .filter({ hasText: AGENT_SESSION })
    .getByRole('link', { name: '19 turns' })
    .click();
  await expect(page).toHaveURL(new RegExp(`#/turns\\?session=${AGENT_SESSION}`));
  await expect(callRows(page)).toHaveCount(19);
});
