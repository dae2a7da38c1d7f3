// Journey: reading what the inspector shows, as a first-time user meets it. Chips have a colour
// legend; the Turn view shows the provider request as sent indented, with a copy button, and
// replays the turn; the Block column of the candidates shows more than a couple of dozen
// characters; Esc leaves a search box and keeps its text; the Page view's "now" is the store's
// newest block time (so recency scores tell blocks apart in a store written months ago), or the
// current time or a time set, and says which. On the agent demo store and on a 2,000-message store
// built here through the runtime.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openRuntime } from '../src-core/index';
import {
  callApi,
  expect,
  screenshot,
  startInspector,
  test as base,
  type Inspector,
} from './fixtures';
import { buildLoopStore, LOOP_MESSAGES, LOOP_SESSION } from './loop-store';

/** The 2,000-message tool-loop store plus one call packed as an OpenAI request (a request body to read). */
const test = base.extend<object, { requestLoop: { inspector: Inspector; callId: string } }>({
  requestLoop: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-reading-'));
      const store = await buildLoopStore(join(dir, 'store'));
      const rt = openRuntime(store.dir);
      let callId: string;
      try {
        const packed = await rt.pack(
          { session: LOOP_SESSION, task: 'Reply to the last message: where is order 10499?' },
          { mode: 'openai' },
        );
        callId = packed.callId ?? '';
      } finally {
        await rt.close();
      }
      const { inspector, stop } = await startInspector({
        dir: store.dir,
        sessions: [LOOP_SESSION],
        ids: {},
        mainBlocks: LOOP_MESSAGES + 1,
      });
      await use({ inspector, callId });
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

/** The app's time format (lib/format.ts formatTime), in the page's time zone. */
async function appTime(page: Page, ms: number): Promise<string> {
  return page.evaluate((at) => {
    const d = new Date(at);
    const pad = (v: number) => String(v).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }, ms);
}

/** The recency column's normalised scores of the candidates table's rows on screen (— as null). */
async function recencyScores(page: Page): Promise<(number | null)[]> {
  const table = page.getByRole('table', { name: 'Candidates' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  return table.evaluate((el) => {
    const headers = [...el.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
    const at = headers.findIndex((h) => h.startsWith('recency'));
    return [...el.querySelectorAll('tbody tr')]
      .map((tr) => tr.querySelectorAll('td')[at]?.textContent ?? '')
      .filter((text) => text !== '')
      .map((text) => (/^\d\.\d{3}/.test(text) ? Number(text.slice(0, 5)) : null));
  });
}

/** The Block column's cells on screen: the preview's length and whether any of it is hidden. */
async function blockCells(page: Page): Promise<{ length: number; clipped: boolean }[]> {
  const table = page.getByRole('table', { name: 'Candidates' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  return table.evaluate((el) =>
    [...el.querySelectorAll('tbody td.block-col')].map((td) => {
      const cell = td.firstElementChild as HTMLElement;
      const preview = td.querySelector('.row-preview')?.textContent ?? '';
      return {
        length: preview.length,
        clipped:
          cell.scrollHeight > cell.clientHeight + 1 || cell.scrollWidth > cell.clientWidth + 1,
      };
    }),
  );
}

/** Reads a recorded turn in the Turn view: chips explained, the request indented and copied, Esc, the Block column, replay. */
async function readTurn(page: Page, inspector: Inspector, session: string, callId: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: inspector.origin,
  });
  const sent = await callApi<{ request: string | null; mode: string }>(
    page.request,
    inspector,
    'turns.prompt',
    { callId },
  );
  if (sent.request === null) throw new Error(`${callId} was not sent as a provider request`);
  await page.goto(inspector.at(`#/turn?call=${callId}&session=${session}`));
  await expect(page.getByRole('table', { name: 'Candidates' })).toBeVisible();

  // (a) The chips' colours are explained beside the candidates.
  const legend = page.getByRole('region', { name: 'Candidates' }).getByLabel('Chip colours');
  await expect(legend).toContainText('chips name a block’s kind, coloured by its section');
  await expect(legend).toContainText('Retrieved');

  // (f) The Block column shows a preview of up to a few dozen characters whole, on two lines.
  const cells = await blockCells(page);
  const longer = cells.filter((c) => c.length > 25 && c.length <= 45);
  expect(longer.length).toBeGreaterThan(0);
  expect(longer.filter((c) => c.clipped)).toEqual([]);

  // (d) Esc leaves the candidates' filter and keeps its text (and the filter).
  await page.keyboard.press('/');
  const filter = page.getByRole('searchbox', { name: 'Filter candidates' });
  await expect(filter).toBeFocused();
  await page.keyboard.type('order');
  await expect(page).toHaveURL(/filter=order/);
  await page.keyboard.press('Escape');
  await expect(filter).not.toBeFocused();
  await expect(filter).toHaveValue('order');
  await expect(page).toHaveURL(/filter=order/);
  await filter.fill('');

  // (b) The request as sent, indented, copied as shown or byte for byte.
  const request = page.getByText(`The ${sent.mode} request as sent`);
  await request.click();
  const body = page.getByLabel('Request as sent');
  const pretty = JSON.stringify(JSON.parse(sent.request), null, 2);
  await expect(body).toBeVisible();
  expect(await body.textContent()).toBe(pretty);
  expect(pretty).toContain('\n  "');
  await page.getByRole('button', { name: 'Copy JSON' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'is on the clipboard' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pretty);
  await page.getByRole('button', { name: 'Copy as sent (one line)' }).click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(sent.request);
  await body.scrollIntoViewIfNeeded();
  await screenshot(page, `reading-request-${session}`);

  // (e) Replay from the Turn view: the recording reproduces byte for byte.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  const replay = page.getByRole('region', { name: 'Replay' });
  await expect(replay.getByRole('status')).toContainText(
    'Identical: the recording reproduces byte for byte',
    { timeout: 20_000 },
  );
  await screenshot(page, `reading-turn-${session}`);
}

/**
 * The Page view's now: the newest block by default, then the current time, then a time set.
 * `monthsOld`: the store was written months ago, so from today every recency score is 0.
 */
async function pageNow(
  page: Page,
  inspector: Inspector,
  session: string,
  task: string,
  monthsOld: boolean,
) {
  const { sessions } = await callApi<{ sessions: { lastAt: number | null }[] }>(
    page.request,
    inspector,
    'sessions.list',
  );
  const newest = Math.max(...sessions.map((s) => s.lastAt ?? 0));
  await page.goto(inspector.at(`#/page?session=${session}&task=${encodeURIComponent(task)}`));
  const note = page.getByRole('note', { name: 'Now used' });
  await expect(note).toContainText(`Now: ${await appTime(page, newest)}, the store’s newest block`);
  // Counted back from the newest block, recency tells the blocks apart.
  expect((await recencyScores(page)).some((s) => s !== null && s > 0)).toBe(true);
  await screenshot(page, `reading-page-now-${session}`);

  // The current time: months after the store was written, recency is 0 for every block.
  const form = page.getByRole('form', { name: 'Page call' });
  await form.getByRole('combobox', { name: 'Now', exact: true }).selectOption('clock');
  await form.getByRole('button', { name: 'Page' }).click();
  await expect(page).toHaveURL(/now=clock/);
  await expect(note).toContainText('the current time');
  if (monthsOld)
    await expect
      .poll(async () => (await recencyScores(page)).every((s) => s === null || s === 0))
      .toBe(true);

  // A time set: an hour after the newest block.
  await form.getByRole('combobox', { name: 'Now', exact: true }).selectOption('at');
  const at = form.getByLabel('Now at');
  const hourLater = await page.evaluate((ms) => {
    const d = new Date(ms + 3_600_000);
    const pad = (v: number) => String(v).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }, newest);
  await at.fill(hourLater);
  await form.getByRole('button', { name: 'Page' }).click();
  await expect(note).toContainText(`Now: ${await appTime(page, newest + 3_600_000)}, the time set`);
}

test('demo store: chips explained, the request indented and copied, Esc keeps a search, Block text readable, replay from the Turn', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.url);
  const { turns } = await callApi<{ turns: { callId: string; omitted: number }[] }>(
    page.request,
    agentInspector,
    'turns.list',
    { session: 'research' },
  );
  const turn = turns.filter((t) => t.omitted > 0).pop();
  if (turn === undefined) throw new Error('the demo has no turn with omitted candidates');
  await readTurn(page, agentInspector, 'research', turn.callId);

  // Chips explained in the Blocks view too; Esc leaves its search and keeps the text.
  await page.goto(agentInspector.at('#/blocks?session=research'));
  await expect(page.getByLabel('Chip colours')).toContainText('coloured by its section');
  await page.keyboard.press('/');
  await page.keyboard.type('LMDB');
  await expect(page).toHaveURL(/q=LMDB/);
  await page.keyboard.press('Escape');
  const search = page.getByRole('searchbox', { name: 'Search blocks' });
  await expect(search).not.toBeFocused();
  await expect(search).toHaveValue('LMDB');
  await expect(page).toHaveURL(/q=LMDB/);
  await screenshot(page, 'reading-blocks-legend');
  expect(consoleErrors).toEqual([]);
});

test('demo store: the Page view counts recency from the newest block, or the current time, or a time set', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await pageNow(page, agentInspector, 'research', 'prompt cache', true);
  expect(consoleErrors).toEqual([]);
});

test('2,000 messages: the Turn view reads an OpenAI request and replays it; the Page view counts recency from the newest block', async ({
  page,
  requestLoop,
  consoleErrors,
}) => {
  test.setTimeout(90_000);
  const { inspector, callId } = requestLoop;
  await page.goto(inspector.url);
  await readTurn(page, inspector, LOOP_SESSION, callId);
  await pageNow(page, inspector, LOOP_SESSION, 'where is order 10499', false);
  expect(consoleErrors).toEqual([]);
});
