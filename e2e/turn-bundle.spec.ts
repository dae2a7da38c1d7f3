// Journey: export a recorded turn as a bundle (a download), open it again (a file the user picks):
// the inspector makes a new store from it, replays the turn there (identical), switches to it and
// shows the turn. The header names the new store at once, the store menu and deep links made
// before lead back, and the same bundle opened twice reuses its store. It runs its own inspector
// on the agent demo store: switching stores must not touch the shared one.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_SESSION, callApi, expect, screenshot, startInspector, test } from './fixtures';

test('export a turn bundle, open it: replay in the new store is identical, Show the turn opens the Turn, and the way back is kept', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  const scratch = mkdtempSync(join(tmpdir(), 'llm386-e2e-bundle-'));
  const { inspector, stop } = await startInspector(agentInspector.store, {
    XDG_CONFIG_HOME: scratch,
  });
  try {
    await page.goto(inspector.url);
    // The page names the open store in its URL.
    await expect(page).toHaveURL(/\?store=[0-9a-f]{16}(#|$)/);
    const firstStore = storeOf(page.url());
    const { turns } = await callApi<{ turns: { callId: string; omitted: number }[] }>(
      page.request,
      inspector,
      'turns.list',
      { session: AGENT_SESSION },
    );
    const callId = (turns.find((t) => t.omitted > 0) ?? turns[0])?.callId ?? '';
    await page.goto(inspector.at(`#/turn?call=${callId}&session=${AGENT_SESSION}`));
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`\\?store=${firstStore}#/turn`));
    const olderLink = page.url();
    await page.goto(inspector.at(`#/graph?call=${callId}`));

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`llm386-turn-${callId}.json`);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      format: 'llm386-turn-bundle',
      callId,
      trace: { callId, session: AGENT_SESSION },
    });
    await expect(page.getByRole('status').filter({ hasText: /^Saved llm386-turn-/ })).toBeVisible();

    // A file that is not a bundle is refused with a reason, and nothing changes.
    const bogus = join(scratch, 'bogus.json');
    writeFileSync(bogus, '{"format":"something-else"}');
    await page.getByLabel('Bundle file').setInputFiles(bogus);
    const dialog = page.getByRole('dialog', { name: 'Open bundle' });
    await expect(dialog.getByRole('alert')).toContainText('not a valid turn bundle');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Bundle file').setInputFiles(file);
    await expect(dialog.getByRole('heading', { name: 'Bundle opened' })).toBeVisible();
    await expect(dialog.getByRole('status')).toContainText('Replay: identical');
    await expect(dialog).toContainText(join(scratch, 'llm386-inspector', 'bundles'));
    await screenshot(page, 'bundle-opened');

    // The server shows the bundle's store now: the header says so before anything else is clicked.
    const storeMenu = page.getByRole('combobox', { name: 'Store' });
    await expect(storeMenu.locator('option:checked')).toHaveText(
      /^turn-[0-9a-f]{8}-[0-9a-f]{12} \(bundle\)$/,
    );
    await expect(storeMenu).toHaveAttribute('title', /bundles[\\/]turn-/);

    await dialog.getByRole('button', { name: 'Show the turn' }).click();
    await expect(page).toHaveURL(new RegExp(`#/turn\\?call=${callId}&session=${AGENT_SESSION}$`));
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(dialog).toBeHidden();
    const bundleStore = storeOf(page.url());
    expect(bundleStore).not.toBe(firstStore);
    await screenshot(page, 'bundle-turn');
    // The new store holds just this turn's blocks: one session, this call.
    await page.goto(`${inspector.origin}/?store=${bundleStore}#/graph?call=${callId}`);
    await expect(page.getByRole('status', { name: 'Graph size' })).toHaveText(
      /^\d+ blocks, \d+ edges$/,
    );
    await screenshot(page, 'bundle-graph');

    // A deep link made before the switch names its store: it opens there again.
    await page.goto(olderLink);
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();
    await expect(storeMenu.locator('option:checked')).toHaveText('store');
    await expect(page.getByRole('alert')).toHaveCount(0);
    expect(storeOf(page.url())).toBe(firstStore);

    // The store menu switches between them, and Back returns.
    await storeMenu.selectOption({
      label: storeLabel(await storeMenu.locator('option').allTextContents()),
    });
    await expect(page).toHaveURL(new RegExp(`\\?store=${bundleStore}#/store$`));
    await expect(
      page
        .getByRole('table', { name: 'Sessions' })
        .getByRole('row')
        .filter({ hasText: AGENT_SESSION }),
    ).toBeVisible();
    await expect(page.getByText(/bundles[\\/]turn-/).first()).toBeVisible();
    await screenshot(page, 'bundle-store-menu');
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`\\?store=${firstStore}#/turn`));
    await expect(storeMenu.locator('option:checked')).toHaveText('store');
    await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();

    // The same bundle opened again reopens its store: one folder, not two.
    await page.getByLabel('Bundle file').setInputFiles(file);
    await expect(dialog.getByRole('heading', { name: 'Bundle opened' })).toBeVisible();
    await expect(dialog).toContainText('in the store made from this bundle before, reopened at');
    await expect(dialog.getByRole('status')).toContainText('Replay: identical');
    expect(readdirSync(join(scratch, 'llm386-inspector', 'bundles'))).toHaveLength(1);
    await dialog.getByRole('button', { name: 'Show the turn' }).click();
    await expect(page).toHaveURL(
      new RegExp(`\\?store=${bundleStore}#/turn\\?call=${callId}&session=${AGENT_SESSION}$`),
    );
    expect(consoleErrors).toEqual([]);
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

/** The store menu's label of the bundle's store. */
function storeLabel(labels: readonly string[]): string {
  const label = labels.find((l) => l.endsWith('(bundle)'));
  if (label === undefined) throw new Error(`no bundle store in the menu: ${labels.join(', ')}`);
  return label;
}
