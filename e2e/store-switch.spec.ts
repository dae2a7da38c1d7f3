// Journey: one inspector, several stores. `llm386 inspect --web --store A --store B` opens A and
// its store menu offers B; switching names the store in the URL (Back returns), a deep link names
// its store and opens it in a new page, a turn bundle makes a store of its own once (opened again,
// from the file or the menu, it is reopened, not copied), and the next inspector offers the stores
// it opened as recent ones. The page only ever names a store by id. Its own inspector runs on the
// agent demo store (shared, read-only here) and a trip-planner store of its own.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { buildDemoStore, MAIN_SESSION, OTHER_SESSION } from './demo-store';
import { AGENT_SESSION, callApi, expect, screenshot, startInspector, test } from './fixtures';

test('switch between the stores named on the command line, go back, follow deep links in new pages, reopen a bundle’s store', async ({
  page,
  context,
  agentInspector,
  consoleErrors,
}) => {
  test.setTimeout(90_000);
  const scratch = mkdtempSync(join(tmpdir(), 'llm386-e2e-stores-'));
  const data = join(scratch, 'data');
  const trips = buildDemoStore(join(scratch, 'trips'));
  const env = { XDG_CONFIG_HOME: data };
  let { inspector, stop } = await startInspector(agentInspector.store, env, [trips.dir]);
  try {
    const storeMenu = page.getByRole('combobox', { name: 'Store' });
    await page.goto(inspector.url);
    await expect(page).toHaveURL(/\?store=[0-9a-f]{16}$/);
    const agent = storeOf(page.url());
    // Both stores named on the command line, the open one checked; no way to type a path.
    await expect(storeMenu.locator('option')).toHaveText(['store', 'trips']);
    await expect(storeMenu.locator('option:checked')).toHaveText('store');
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await expect(sessionRow(page, AGENT_SESSION)).toBeVisible();

    // A turn of the agent store: the link made here names its store.
    const { turns } = await callApi<{ turns: { callId: string }[] }>(
      page.request,
      inspector,
      'turns.list',
      { session: AGENT_SESSION },
    );
    const callId = turns[0]?.callId ?? '';
    await page.goto(inspector.at(`#/turn?call=${callId}&session=${AGENT_SESSION}`));
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`\\?store=${agent}#/turn\\?call=${callId}`));
    const turnLink = page.url();

    // Switch: the URL names the other store, whose Store view shows its own sessions.
    await storeMenu.selectOption({ label: 'trips' });
    await expect(page).toHaveURL(/\?store=[0-9a-f]{16}#\/store$/);
    const tripsId = storeOf(page.url());
    expect(tripsId).not.toBe(agent);
    await expect(sessionRow(page, MAIN_SESSION)).toBeVisible();
    await expect(sessionRow(page, OTHER_SESSION)).toBeVisible();
    await expect(sessionRow(page, AGENT_SESSION)).toHaveCount(0);
    await expect(storeMenu.locator('option:checked')).toHaveText('trips');
    await expect(storeMenu).toHaveAttribute('title', trips.dir);
    await screenshot(page, 'stores-switched');
    await sessionRow(page, MAIN_SESSION).getByRole('link', { name: 'Blocks' }).click();
    await expect(page).toHaveURL(
      new RegExp(`\\?store=${tripsId}#/blocks\\?session=${MAIN_SESSION}`),
    );
    const blocksLink = page.url();

    // Back returns through the other store's views to the first store's turn.
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`\\?store=${tripsId}#/store(\\?|$)`));
    await expect(sessionRow(page, MAIN_SESSION)).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(turnLink);
    await expect(storeMenu.locator('option:checked')).toHaveText('store');
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);

    // A deep link opened in a new page (no token in it) opens its store there; the page that
    // showed the other store follows to the new store's Store view rather than showing a turn
    // that store does not have.
    const other = await context.newPage();
    await other.goto(blocksLink.replace(/[?&]token=[^&#]*/, ''));
    expect(other.url()).not.toContain('token=');
    await expect(other.getByRole('listbox', { name: 'Blocks' })).toBeVisible();
    await expect(
      other.getByRole('combobox', { name: 'Store' }).locator('option:checked'),
    ).toHaveText('trips');
    await expect(page).toHaveURL(new RegExp(`\\?store=${tripsId}#/store$`));
    await screenshot(other, 'stores-deep-link-new-page');
    // And a link into the first store opens it again.
    await other.goto(turnLink);
    await expect(other.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(
      other.getByRole('combobox', { name: 'Store' }).locator('option:checked'),
    ).toHaveText('store');
    await other.close();

    // A bundle of the turn makes a store of its own, once.
    await page.goto(turnLink);
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const bundleFile = join(scratch, (await downloading).suggestedFilename());
    await (await downloading).saveAs(bundleFile);
    const dialog = page.getByRole('dialog', { name: 'Open bundle' });
    await page.getByLabel('Bundle file').setInputFiles(bundleFile);
    await expect(dialog).toContainText('in a new store at');
    await dialog.getByRole('button', { name: 'Show the turn' }).click();
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    const bundleId = storeOf(page.url());
    expect([agent, tripsId]).not.toContain(bundleId);
    const bundles = join(data, 'llm386-inspector', 'bundles');
    expect(readdirSync(bundles)).toHaveLength(1);
    await expect(storeMenu.locator('option')).toHaveText([
      /^turn-[0-9a-f-]+ \(bundle\)$/,
      'store',
      'trips',
    ]);
    await screenshot(page, 'stores-menu-with-bundle');

    // Back to the agent store, then the same bundle again: its store is reopened, not copied.
    await storeMenu.selectOption({ label: 'store' });
    await expect(page).toHaveURL(new RegExp(`\\?store=${agent}#/store$`));
    await page.getByLabel('Bundle file').setInputFiles(bundleFile);
    await expect(dialog).toContainText('in the store made from this bundle before, reopened at');
    await expect(dialog.getByRole('status')).toContainText('Replay: identical');
    await dialog.getByRole('button', { name: 'Show the turn' }).click();
    await expect(page).toHaveURL(new RegExp(`\\?store=${bundleId}#/turn\\?call=${callId}`));
    expect(readdirSync(bundles)).toHaveLength(1);
    // From the menu too.
    await storeMenu.selectOption({ label: 'trips' });
    await expect(sessionRow(page, MAIN_SESSION)).toBeVisible();
    await storeMenu.selectOption({ index: (await optionIndex(page, /\(bundle\)$/)) ?? -1 });
    await expect(page).toHaveURL(new RegExp(`\\?store=${bundleId}#/store$`));
    await expect(sessionRow(page, AGENT_SESSION)).toBeVisible();
    expect(readdirSync(bundles)).toHaveLength(1);

    // The page can name a store only by an id this inspector knows, never by a path.
    const byPath = await page.request.post(`${inspector.origin}/api/stores.open`, {
      headers: { 'X-LLM386-Token': inspector.token },
      data: { path: trips.dir },
    });
    expect(((await byPath.json()) as { error: { code: string } }).error.code).toBe('invalid-input');
    expect(consoleErrors).toEqual([]);

    // The next inspector, on the trips store alone, offers the stores opened before as recent.
    await page.goto('about:blank');
    await stop();
    ({ inspector, stop } = await startInspector(trips, env));
    await page.goto(inspector.url);
    await expect(storeMenu.locator('option:checked')).toHaveText('trips');
    await expect(storeMenu.locator('option')).toHaveText([
      'trips',
      /^turn-[0-9a-f-]+ \(bundle\)$/,
      'store (recent)',
    ]);
    await storeMenu.selectOption({ label: 'store (recent)' });
    await expect(page).toHaveURL(new RegExp(`\\?store=${agent}#/store$`));
    await expect(sessionRow(page, AGENT_SESSION)).toBeVisible();
    await screenshot(page, 'stores-recent');
  } finally {
    await page.goto('about:blank');
    await stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});

/** The store id in a page URL (`?store=`). */
function storeOf(url: string): string {
  const id = new URL(url).searchParams.get('store');
  if (id === null || !/^[0-9a-f]{16}$/.test(id))
    throw new Error(`no ?store=<16 hex digits> in ${url}`);
  return id;
}

function sessionRow(page: Page, session: string) {
  return page
    .getByRole('table', { name: 'Sessions' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: session, exact: true }) });
}

async function optionIndex(page: Page, label: RegExp): Promise<number | undefined> {
  const labels = await page
    .getByRole('combobox', { name: 'Store' })
    .locator('option')
    .allTextContents();
  const i = labels.findIndex((l) => label.test(l));
  return i === -1 ? undefined : i;
}
