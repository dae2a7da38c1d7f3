// Journey: export a recorded turn as a bundle (a download), open it again (a file the user picks):
// the inspector makes a new store from it, replays the turn there (identical) and switches to it.
// It runs its own inspector on the agent demo store: switching stores must not touch the shared one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_SESSION, callApi, expect, screenshot, startInspector, test } from './fixtures';

test('export a turn bundle, open it: replay in the new store is identical and the app shows it', async ({ page, agentInspector, consoleErrors }) => {
  const scratch = mkdtempSync(join(tmpdir(), 'llm386-e2e-bundle-'));
  const { inspector, stop } = await startInspector(agentInspector.store, { XDG_CONFIG_HOME: scratch });
  try {
    await page.goto(inspector.url);
    const { turns } = await callApi<{ turns: { callId: string; omitted: number }[] }>(page.request, inspector, 'turns.list', { session: AGENT_SESSION });
    const callId = (turns.find((t) => t.omitted > 0) ?? turns[0])?.callId ?? '';
    await page.goto(inspector.at(`#/graph?call=${callId}`));

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`llm386-turn-${callId}.json`);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'llm386-turn-bundle', callId, trace: { callId, session: AGENT_SESSION } });
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

    await dialog.getByRole('button', { name: 'Show the turn' }).click();
    await expect(page).toHaveURL(new RegExp(`#/graph\\?call=${callId}$`));
    await expect(page.getByRole('heading', { name: `Graph of turn ${callId.slice(0, 8)}` })).toBeVisible();
    await expect(page.getByTitle(/bundles[\\/]turn-/)).toHaveText(/^turn-/);
    // The new store holds just this turn's blocks: one session, this call.
    await page.goto(inspector.at(`#/graph?call=${callId}`));
    await expect(page.getByRole('status', { name: 'Graph size' })).toHaveText(/^\d+ blocks, \d+ edges$/);
    await screenshot(page, 'bundle-graph');
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.goto('about:blank');
    await stop();
    rmSync(scratch, { recursive: true, force: true });
  }
});
