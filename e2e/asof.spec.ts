// Journey: from a recorded turn, open the store as it was at that turn: a session's blocks then
// (fewer than now), a block with its sessions and edges then, the graph as it was, and what was
// written between this turn and the next. Runs on the example agent's demo store, whose later
// turns were recorded after more messages and tool results were written.
import { AGENT_SESSION, callApi, expect, screenshot, test } from './fixtures';

interface TurnRow {
  callId: string;
}

test('store as of a turn: blocks then, a block as it was, the graph then, and what was written before the next turn', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.url);
  const { turns } = await callApi<{ turns: TurnRow[] }>(
    page.request,
    agentInspector,
    'turns.list',
    { session: AGENT_SESSION },
  );
  const first = turns[0]?.callId ?? '';
  const second = turns[1]?.callId ?? '';
  expect(second).not.toBe('');
  const then = await callApi<{ sessions: { session: string; blocks: number; now: number }[] }>(
    page.request,
    agentInspector,
    'asof.sessions',
    { callId: first },
  );
  const ada = then.sessions.find((s) => s.session === AGENT_SESSION);
  expect(ada !== undefined && ada.blocks < ada.now).toBe(true);

  // From the Turn view.
  await page.goto(agentInspector.at(`#/turn?session=${AGENT_SESSION}&call=${first}`));
  await page
    .getByRole('navigation', { name: 'Turns of the session' })
    .getByRole('link', { name: 'Store as of this turn' })
    .click();
  await expect(page).toHaveURL(new RegExp(`#/asof\\?call=${first}$`));
  await expect(
    page.getByRole('heading', { name: `Store as of turn ${first.slice(0, 8)}` }),
  ).toBeVisible();
  await expect(page.getByTestId('asof-count')).toHaveText(
    `${ada?.blocks} blocks at this turn · ${(ada?.now ?? 0) - (ada?.blocks ?? 0)} added since`,
  );
  await expect(page.getByRole('combobox', { name: 'Session as of the turn' })).toContainText(
    `${AGENT_SESSION} (${ada?.blocks} then, ${ada?.now} now)`,
  );

  // A block as it was: j selects the first one; its pane says it was in the store then.
  const list = page.getByRole('listbox', { name: 'Blocks as of the turn' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('j');
  await expect(page).toHaveURL(/[?&]block=[0-9a-f]{32}/);
  const pane = page.getByRole('region', { name: 'Block as of the turn' });
  await expect(pane.getByRole('note')).toContainText('In the store at this turn');
  await expect(pane).toContainText(`Sessions then`);
  await screenshot(page, 'asof-blocks');

  // The deep link reopens the same selection.
  const url = page.url();
  await page.reload();
  await expect(
    page.getByRole('region', { name: 'Block as of the turn' }).getByRole('note'),
  ).toContainText('In the store at this turn');
  expect(page.url()).toBe(url);

  // The graph as the turn saw it, around its selection.
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.getByRole('button', { name: 'Around the turn instead' }).click();
  await expect(page.getByRole('status', { name: 'Graph size' })).toContainText(
    /Around the \d+ blocks the turn selected, with the edges it saw: \d+ blocks, \d+ edges/,
  );
  await expect(page.getByRole('img', { name: /^Graph of \d+ blocks/ })).toBeVisible();
  await screenshot(page, 'asof-graph');

  // What was written between this turn and the next: the next turn's own new messages among them.
  await page.getByRole('tab', { name: 'Written between' }).click();
  await expect(page.getByRole('combobox', { name: 'Compare this turn with' })).toHaveValue('next');
  const summary = page.getByRole('status', { name: 'Writes between' });
  await expect(summary).toContainText(`From turn ${first.slice(0, 8)}`);
  await expect(summary).toContainText(`to turn ${second.slice(0, 8)}`);
  await expect(summary).toContainText(/blocks? added to sessions/);
  const added = page
    .locator('.between-group')
    .filter({ has: page.getByRole('heading', { name: new RegExp(`^Added to ${AGENT_SESSION}`) }) });
  await expect(added).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Calls recorded/ })).toBeVisible();
  await screenshot(page, 'asof-between');

  // A block written after the turn opens as one that was not there yet.
  await added.getByRole('button').first().click();
  await expect(
    page.getByRole('region', { name: 'Block as of the turn' }).getByRole('note'),
  ).toContainText('Not in the store at this turn: written later');

  // Against now: more was written.
  await page.getByRole('tab', { name: 'Written between' }).click();
  await page.getByRole('combobox', { name: 'Compare this turn with' }).selectOption('now');
  await expect(summary).toContainText(/to now:/);
  expect(consoleErrors).toEqual([]);
});
