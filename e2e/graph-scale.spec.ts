// Journey: a graph of thousands of blocks read as a first-time user meets it. Filters (selected
// only, connected only, by section, by kind) keep what matters, in the URL; hovering a node names
// it (kind, section, tokens); clicking one shows its text and edges beside the graph without
// leaving the view; and the same graph lays out the same way every time it is opened. On the agent
// demo store and on a 2,000-message store built here through the runtime.
import type { Locator, Page } from '@playwright/test';
import type { GraphEdgeView, GraphNodeView, GraphResult } from '../src-main/api/contract';
import {
  AGENT_SESSION,
  callApi,
  expect,
  idFromUrl,
  screenshot,
  test,
  type Inspector,
} from './fixtures';

/** The counts the view's status line shows (`1,028 of 1,801 blocks shown`). */
function shownText(shown: number, total: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return shown === total
    ? `all ${n(total)} blocks shown`
    : `${n(shown)} of ${n(total)} blocks shown`;
}

/** Blocks kept by `keep` that have an edge to another kept block: what Connected only draws. */
function connectedAmong(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  keep: (n: GraphNodeView) => boolean,
): number {
  const kept = new Set(nodes.filter(keep).map((n) => n.id));
  const linked = new Set<string>();
  for (const e of edges)
    if (e.from !== e.to && kept.has(e.from) && kept.has(e.to)) {
      linked.add(e.from);
      linked.add(e.to);
    }
  return linked.size;
}

/** Opens a graph and waits until it is laid out and drawn; the pointer off the canvas. */
async function openGraph(page: Page, inspector: Inspector, hash: string): Promise<Locator> {
  await page.goto(inspector.at(hash));
  await expect(page.getByText(/layout [\d,]+ ms/)).toBeVisible({ timeout: 20_000 });
  await page.mouse.move(0, 0);
  return page.getByRole('img', { name: /^Graph of \d+ blocks/ });
}

/** The demo turn with the most candidates (some omitted). */
async function demoTurn(page: Page, inspector: Inspector) {
  await page.goto(inspector.url);
  const { turns } = await callApi<{
    turns: { callId: string; selected: number; omitted: number }[];
  }>(page.request, inspector, 'turns.list', { session: 'research' });
  const turn = [...turns].sort((a, b) => b.selected + b.omitted - (a.selected + a.omitted))[0];
  if (turn === undefined || turn.omitted === 0)
    throw new Error('the demo has no turn with omitted blocks');
  return turn.callId;
}

test('demo store: filters keep the selected, connected, section and kind; hover names a node; a click shows it beside the graph', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  const callId = await demoTurn(page, agentInspector);
  const graph = await callApi<GraphResult>(page.request, agentInspector, 'graph.turn', {
    callId,
    depth: 1,
  });
  const total = graph.nodes.length;
  const selected = graph.nodes.filter((n) => n.role === 'selected');
  await openGraph(page, agentInspector, `#/graph?call=${callId}`);
  const status = page.getByRole('status', { name: 'Blocks shown' });
  await expect(status).toHaveText(shownText(total, total));
  const rows = page.getByRole('list', { name: 'Graph blocks' }).getByRole('listitem');

  // Selected only: the list and the canvas keep the turn's selection alone.
  await page
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /^selected/ })
    .click();
  await expect(page).toHaveURL(/show=selected/);
  await expect(status).toHaveText(shownText(selected.length, total));
  await expect(rows).toHaveCount(selected.length);
  await expect(page.getByRole('img', { name: /^Graph of/ })).toHaveAttribute(
    'aria-label',
    new RegExp(`, ${selected.length} shown by the filters;`),
  );

  // By section: the Recent blocks of the selection.
  const recent = selected.filter((n) => n.section === 'recent').length;
  await page.getByRole('combobox', { name: 'Section' }).selectOption('recent');
  await expect(status).toHaveText(shownText(recent, total));
  await expect(rows).toHaveCount(recent);
  // By kind, with the part of the turn back to all: every user message drawn.
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'all' }).click();
  await page.getByRole('combobox', { name: 'Section' }).selectOption('');
  const users = graph.nodes.filter((n) => n.kind === 'user-message').length;
  await page.getByRole('combobox', { name: 'Kind' }).selectOption('user-message');
  await expect(status).toHaveText(shownText(users, total));
  await expect(rows.filter({ hasText: 'user-message' })).toHaveCount(users);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // Connected only: no block drawn alone.
  const connected = connectedAmong(graph.nodes, graph.edges, () => true);
  expect(connected).toBeLessThan(total);
  await page.getByRole('checkbox', { name: /Connected only/ }).check();
  await expect(page).toHaveURL(/linked=1/);
  await expect(status).toHaveText(shownText(connected, total));
  await expect(rows).toHaveCount(connected);
  await screenshot(page, 'graph-scale-demo-connected');

  // Hover: a node's kind, section, part of the turn and tokens, where the graph draws no label.
  const first = rows.first();
  const firstId = idFromUrl((await first.getByRole('link').getAttribute('href')) ?? '', 'block');
  const firstNode = graph.nodes.find((n) => n.id === firstId);
  if (firstNode === undefined) throw new Error(`${firstId} is not in the graph`);
  await first.getByRole('button').click();
  const canvas = page.getByRole('img', { name: /^Graph of/ });
  const box = await canvas.boundingBox();
  if (box === null) throw new Error('the graph canvas has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toContainText(firstNode.kind);
  await expect(tooltip).toContainText(firstNode.section, { ignoreCase: true });
  if (firstNode.tokens !== null) await expect(tooltip).toContainText(`${firstNode.tokens} tokens`);
  await screenshot(page, 'graph-scale-demo-hover');

  // A click shows the block beside the graph: its text, its edges, links onwards; the view stays.
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page).toHaveURL(new RegExp(`#/graph\\?call=${callId}&linked=1&node=${firstId}$`));
  const details = page.getByRole('region', { name: 'Selected block' });
  const block = await callApi<{ block: { text: string }; in: unknown[]; out: unknown[] }>(
    page.request,
    agentInspector,
    'blocks.get',
    { id: firstId },
  );
  await expect(details.getByLabel('Block text')).toContainText(block.block.text.slice(0, 40));
  await expect(details).toContainText(`Edges out ${block.out.length}`);
  await expect(details).toContainText(`Edges in ${block.in.length}`);
  await expect(details.getByRole('link', { name: 'Why, in the turn' })).toBeVisible();
  await screenshot(page, 'graph-scale-demo-selected');
  // An edge's other end, drawn here, is selected in place.
  const edgeButton = details.getByRole('list', { name: /^Edges (in|out)$/ }).getByRole('button');
  await edgeButton.first().click();
  await expect(page).not.toHaveURL(new RegExp(`node=${firstId}`));
  await expect(page).toHaveURL(/#\/graph\?call=/);
  await expect(details).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test('demo store: the same graph lays out the same way each time it is opened', async ({
  page,
  agentInspector,
}) => {
  const results = await (async () => {
    await page.goto(agentInspector.url);
    return callApi<{ items: { id: string }[] }>(page.request, agentInspector, 'blocks.list', {
      session: AGENT_SESSION,
      kinds: ['user-message'],
    });
  })();
  const root = results.items[0]?.id ?? '';
  // The layout's fingerprint (every block's position), not the pixels: the renderer refines a
  // drawing over several frames, so two screenshots of one layout can differ by a pixel.
  const canvas = await openGraph(page, agentInspector, `#/graph?block=${root}&depth=4`);
  const layout = await canvas.getAttribute('data-layout');
  expect(layout).toMatch(/^\d+-[0-9a-f]{8}$/);
  await screenshot(page, 'graph-scale-demo-first');
  await page.reload();
  await expect(page.getByText(/layout [\d,]+ ms/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('img', { name: /^Graph of \d+ blocks/ })).toHaveAttribute(
    'data-layout',
    layout ?? '',
  );
  await screenshot(page, 'graph-scale-demo-again');
});

test('2,000 messages: a turn of 1,800 blocks filtered to its selection and its connected blocks, laid out the same way every time', async ({
  page,
  loopInspector,
  consoleErrors,
}) => {
  test.setTimeout(90_000);
  const { inspector, store } = loopInspector;
  const callId = store.calls[store.calls.length - 1] ?? '';
  await page.goto(inspector.url);
  const graph = await callApi<GraphResult>(page.request, inspector, 'graph.turn', {
    callId,
    depth: 1,
  });
  const total = graph.nodes.length;
  expect(total).toBeGreaterThan(1500);
  const selected = graph.nodes.filter((n) => n.role === 'selected');
  const canvas = await openGraph(page, inspector, `#/graph?call=${callId}`);
  const status = page.getByRole('status', { name: 'Blocks shown' });
  await expect(status).toHaveText(shownText(total, total));
  // The layout's fingerprint, as in the test above.
  const layout = await canvas.getAttribute('data-layout');
  expect(layout).toMatch(new RegExp(`^${total}-[0-9a-f]{8}$`));
  await screenshot(page, 'graph-scale-2k');

  await page
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /^selected/ })
    .click();
  await expect(status).toHaveText(shownText(selected.length, total));
  await expect(page.getByRole('list', { name: 'Graph blocks' })).toBeVisible();
  await page.getByRole('checkbox', { name: /Connected only/ }).check();
  const connected = connectedAmong(graph.nodes, graph.edges, (n) => n.role === 'selected');
  expect(connected).toBeGreaterThan(0);
  await expect(status).toHaveText(shownText(connected, total));
  await expect(page.getByRole('list', { name: 'Graph blocks' }).getByRole('listitem')).toHaveCount(
    connected,
  );
  await screenshot(page, 'graph-scale-2k-connected');

  // The tool pairs: a tool result beside the graph, with its invocation edge in.
  const toolResult = page
    .getByRole('list', { name: 'Graph blocks' })
    .getByRole('listitem')
    .filter({ hasText: 'tool-result' })
    .first();
  await toolResult.getByRole('button').click();
  const details = page.getByRole('region', { name: 'Selected block' });
  await expect(details.getByLabel('Block text')).toContainText(/Order \d+: shipped/);
  await expect(details).toContainText('Edges in 1');
  await expect(details.getByRole('list', { name: 'Edges in' })).toContainText('tool-invocation');
  await screenshot(page, 'graph-scale-2k-selected');

  // The filters are in the URL: a deep link reopens them. The same graph opened again: the same layout.
  const filtered = page.url();
  await page.goto(inspector.url);
  await page.goto(filtered);
  await expect(page.getByRole('status', { name: 'Blocks shown' })).toHaveText(
    shownText(connected, total),
  );
  await expect(page.getByRole('checkbox', { name: /Connected only/ })).toBeChecked();
  const again = await openGraph(page, inspector, `#/graph?call=${callId}`);
  await expect(again).toHaveAttribute('data-layout', layout ?? '');
  expect(consoleErrors).toEqual([]);
});
