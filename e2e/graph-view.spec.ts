// Journey: the typed-edge graph around a block and around a recorded turn; clicking a node opens
// its block. Runs on the example agent's demo store (tool calls, facts, summaries, traces).
import { AGENT_SESSION, callApi, expect, idFromUrl, screenshot, test } from './fixtures';

test('opens around a block from the block pane; hovering a node shows what it is, clicking one shows it in place', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.url);
  const results = await callApi<{ items: { id: string }[] }>(
    page.request,
    agentInspector,
    'blocks.list',
    { session: AGENT_SESSION, kinds: ['tool-result'] },
  );
  const toolResult = results.items[0]?.id ?? '';
  await page.goto(agentInspector.at(`#/blocks?session=${AGENT_SESSION}&block=${toolResult}`));
  await page.getByRole('region', { name: 'Block' }).getByRole('link', { name: 'Graph' }).click();
  await expect(page).toHaveURL(new RegExp(`#/graph\\?block=${toolResult}$`));
  await expect(
    page.getByRole('heading', { name: `Graph around block ${toolResult.slice(0, 8)}` }),
  ).toBeVisible();
  await expect(page.getByRole('status', { name: 'Graph size' })).toHaveText(
    /^\d+ blocks, \d+ edges$/,
  );
  await expect(page.getByRole('region', { name: 'Legend' })).toContainText('tool-invocation');
  await expect(page.getByText(/layout [\d,]+ ms/)).toBeVisible();
  await screenshot(page, 'graph-block');

  // Centre the graph on a neighbour through the list, then hover and click it on the canvas.
  const list = page.getByRole('list', { name: 'Graph blocks' });
  const neighbour = list.getByRole('listitem').filter({ hasText: 'assistant-message' }).first();
  await neighbour.getByRole('button').click();
  await expect(neighbour).toHaveAttribute('aria-current', 'true');
  const target = await neighbour.getByRole('link').getAttribute('href');
  const id = /block=([0-9a-f]{32})/.exec(target ?? '')?.[1];
  if (id === undefined) throw new Error(`the neighbour links no block: ${target}`);
  const canvas = page.getByRole('img', { name: /^Graph of \d+ blocks/ });
  const box = await canvas.boundingBox();
  if (box === null) throw new Error('the graph canvas has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText('assistant-message');
  await expect(tooltip).toContainText(id.slice(0, 8));
  await screenshot(page, 'graph-hover');
  await page.mouse.move(box.x + 2, box.y + 2);
  await expect(tooltip).toBeHidden();

  // A click selects the node where it is: the view stays, the URL names it, the side panel shows it.
  await neighbour.getByRole('button').click();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page).toHaveURL(new RegExp(`#/graph\\?block=${toolResult}&node=${id}$`));
  await expect(
    page.getByRole('heading', { name: `Graph around block ${toolResult.slice(0, 8)}` }),
  ).toBeVisible();
  const details = page.getByRole('region', { name: 'Selected block' });
  await expect(details).toContainText('assistant-message');
  await expect(details).toContainText(id);
  await screenshot(page, 'graph-selected');
  // From there, the block opens in the Blocks view on request.
  await details.getByRole('link', { name: 'Open in Blocks' }).click();
  await expect(page).toHaveURL(new RegExp(`${target!.replace(/[?]/g, '\\?')}$`));
  await expect(
    page.getByRole('region', { name: 'Block' }).getByText('assistant-message').first(),
  ).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('keyboard: j moves the cursor through the blocks, Enter opens one, Esc clears it', async ({
  page,
  agentInspector,
}) => {
  await page.goto(agentInspector.url);
  const results = await callApi<{ items: { id: string }[] }>(
    page.request,
    agentInspector,
    'blocks.list',
    { session: AGENT_SESSION, kinds: ['user-message'] },
  );
  const first = results.items[0]?.id ?? '';
  await page.goto(agentInspector.at(`#/graph?block=${first}&depth=1`));
  const rows = page.getByRole('list', { name: 'Graph blocks' }).getByRole('listitem');
  await expect(rows.first()).toBeVisible();
  await page.keyboard.press('j');
  await expect(rows.first()).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Escape');
  await expect(rows.first()).not.toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('j');
  const href = await rows.first().getByRole('link').getAttribute('href');
  if (href === null || !/block=[0-9a-f]{32}/.test(href))
    throw new Error(`the first row links no block: ${href}`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[?]/g, '\\?')}$`));
});

test('around a turn: selected and omitted candidates, reasons, and a deep link', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.url);
  const { turns } = await callApi<{ turns: { callId: string; omitted: number }[] }>(
    page.request,
    agentInspector,
    'turns.list',
    { session: AGENT_SESSION },
  );
  const turn = turns.find((t) => t.omitted > 0) ?? turns[turns.length - 1];
  const callId = turn?.callId ?? '';
  await page.goto(agentInspector.at(`#/graph?call=${callId}`));
  await expect(
    page.getByRole('heading', { name: `Graph of turn ${callId.slice(0, 8)}` }),
  ).toBeVisible();
  const legend = page.getByRole('region', { name: 'Legend' });
  await expect(legend).toContainText('selected');
  await expect(legend).toContainText('omitted');
  await expect(legend).toContainText('dependency pull');
  const list = page.getByRole('list', { name: 'Graph blocks' });
  await expect(
    list
      .getByRole('listitem')
      .filter({ hasText: /relevance|recency|system|tool-pair|dependency/ })
      .first(),
  ).toBeVisible();
  if ((turn?.omitted ?? 0) > 0)
    await expect(
      list
        .getByRole('listitem')
        .filter({
          hasText:
            /section-budget|global-budget|low-score|duplicate|pair-incomplete|replaced-by-summary/,
        })
        .first(),
    ).toBeVisible();
  await expect(page.getByText(/layout [\d,]+ ms/)).toBeVisible();
  await screenshot(page, 'graph-turn');

  // A selected candidate links to its why / why not in the Turn view.
  await list
    .getByRole('listitem')
    .filter({ hasText: /relevance|recency|system|tool-pair|dependency/ })
    .first()
    .getByRole('button')
    .click();
  const details = page.getByRole('region', { name: 'Selected block' });
  await expect(details).toContainText(/selected: (relevance|recency|system|tool-pair|dependency)/);
  await screenshot(page, 'graph-turn-selected');
  const node = idFromUrl(page.url(), 'node');
  await details.getByRole('link', { name: 'Why, in the turn' }).click();
  await expect(page).toHaveURL(
    new RegExp(`#/turn\\?block=${node}&call=${callId}&session=${AGENT_SESSION}$`),
  );
  await page.goBack();

  await page.getByRole('combobox', { name: 'Neighbour hops' }).selectOption('0');
  await expect(page).toHaveURL(/depth=0/);
  await expect(page.getByRole('status', { name: 'Graph size' })).toHaveText(
    /^\d+ blocks, \d+ edges$/,
  );
  expect(consoleErrors).toEqual([]);
});

test('a turn over the cap draws its selection and lists the other candidates as not drawn', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.url);
  const { turns } = await callApi<{
    turns: { callId: string; selected: number; omitted: number }[];
  }>(page.request, agentInspector, 'turns.list', { session: AGENT_SESSION });
  const turn = turns.find((t) => t.omitted > 0);
  test.skip(turn === undefined, 'the demo store has no turn with omitted blocks');
  const callId = turn?.callId ?? '';
  const graph = await callApi<{ listedOnly: unknown[]; nodes: { role: string }[] }>(
    page.request,
    agentInspector,
    'graph.turn',
    { callId, maxNodes: 1 },
  );
  expect(graph.nodes.every((n) => n.role === 'selected')).toBe(true);
  await page.goto(agentInspector.at(`#/graph?call=${callId}&max=1`));
  await expect(page.getByRole('status', { name: 'Graph size' })).toContainText(
    `omitted candidate${graph.listedOnly.length === 1 ? '' : 's'} with no edges and the lowest scores are listed, not drawn`,
  );
  const list = page.getByRole('list', { name: 'Graph blocks' });
  await expect(list.getByRole('listitem').filter({ hasText: '(not drawn)' })).toHaveCount(
    graph.listedOnly.length,
  );
  await expect(page.getByText(/layout [\d,]+ ms/)).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('an unknown call or block shows a readable error', async ({ page, agentInspector }) => {
  await page.goto(agentInspector.at(`#/graph?call=${'0'.repeat(32)}`));
  await expect(page.getByRole('alert')).toContainText('no trace');
  await page.goto(agentInspector.at('#/graph'));
  await expect(page.getByRole('heading', { name: 'Graph' })).toBeVisible();
});
