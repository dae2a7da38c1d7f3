// Journey: what changed between two turns, and where the added blocks came from. Compare marks
// each added block as new to the store (written after the earlier turn: the tool call and result
// its output led to, the facts its reducer stored) or as old and newly selected. On the agent
// demo store and on the 2,000-message tool-loop store.
import type { Page } from '@playwright/test';
import { AGENT_SESSION, callApi, expect, screenshot, test } from './fixtures';
import { LOOP_SESSION } from './loop-store';

/** The Blocks diff table's added rows. */
function addedRows(page: Page) {
  return page
    .getByRole('table', { name: 'Blocks: block changes' })
    .getByRole('row')
    .filter({ hasText: '+ added' });
}

test('demo store: added blocks new to the store since the earlier turn, and old ones newly selected', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  const { turns } = await callApi<{ turns: { callId: string }[] }>(
    page.request,
    agentInspector,
    'turns.list',
    { session: AGENT_SESSION },
  );
  // Turn 6 answered the arithmetic question; turn 7 is the next user turn ("What are your support
  // hours?"): the answer and the new question were written in between, and the support-hours
  // facts, in the store all along, are newly selected.
  const a = turns[5]?.callId ?? '';
  const b = turns[6]?.callId ?? '';
  await page.goto(agentInspector.at(`#/compare?a=${a}&b=${b}&session=${AGENT_SESSION}`));
  await expect(addedRows(page)).toHaveCount(5);
  await expect(addedRows(page).filter({ hasText: 'new to the store' })).toHaveCount(2);
  await expect(addedRows(page).filter({ hasText: 'old, newly selected' })).toHaveCount(3);
  await expect(
    addedRows(page)
      .filter({ hasText: 'new to the store' })
      .filter({ hasText: 'What are your support hours?' }),
  ).toHaveCount(1);
  await expect(
    page.getByText(
      /Of the added blocks, 2 are new to the store .* and 3 were there already and are newly selected\./,
    ),
  ).toBeVisible();
  await screenshot(page, 'compare-origin');
  expect(consoleErrors).toEqual([]);
});

test('2,000 messages: the tool call and its result, written between a loop’s two calls, are new to the store', async ({
  page,
  loopInspector,
  consoleErrors,
}) => {
  const { inspector, store } = loopInspector;
  // The last loop on gpt-4o: its first call asked for the tool, its second saw the result.
  const a = store.calls[store.calls.length - 4] ?? '';
  const b = store.calls[store.calls.length - 3] ?? '';
  await page.goto(inspector.at(`#/turns?session=${LOOP_SESSION}`));
  const n = store.calls.length;
  await expect(page.getByText(`${n} turns`, { exact: true })).toBeVisible();
  // The table is virtualised: the last rows are rendered once scrolled to.
  await page.getByRole('table', { name: 'Turns' }).hover();
  await page.mouse.wheel(0, 100_000);
  await page.getByRole('checkbox', { name: `Pick turn ${n - 3} to compare` }).check();
  await page.getByRole('checkbox', { name: `Pick turn ${n - 2} to compare` }).check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`#/compare\\?a=${a}&b=${b}`));
  await expect(addedRows(page).filter({ hasText: 'new to the store' })).toHaveCount(2);
  await expect(
    addedRows(page)
      .filter({ hasText: 'new to the store' })
      .filter({ hasText: 'Looking up order 10498.' }),
  ).toHaveCount(1);
  await expect(
    addedRows(page)
      .filter({ hasText: 'new to the store' })
      .filter({ hasText: 'Order 10498: shipped' }),
  ).toHaveCount(1);
  await expect(addedRows(page).filter({ hasText: 'old, newly selected' })).toHaveCount(0);
  await screenshot(page, 'compare-origin-2k');
  expect(consoleErrors).toEqual([]);
});
