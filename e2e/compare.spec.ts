// Journey: what changed between these two turns? Compare two consecutive recorded turns of a store
// built for the test through the runtime (turn 2 after a delete and two puts), then the demo agent.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, startInspector, test, type Inspector } from './fixtures';
import { settledScreenshot } from './settled-screenshot';
import { buildTurnsStore, TEXT, TURNS_SESSION, type TurnsStore } from './turns-store';

let built: TurnsStore;
let inspector: Inspector;
let stop: () => Promise<void>;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-compare-'));
  built = await buildTurnsStore(join(dir, 'store'));
  ({ inspector, stop } = await startInspector({
    dir: built.dir,
    sessions: [TURNS_SESSION],
    ids: built.ids,
    mainBlocks: 0,
  }));
});

test.afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

test('compares a turn with the one before: exactly the blocks added and removed, with causes', async ({
  page,
  consoleErrors,
}) => {
  // The diff viewer computes in a blob: worker; the CSP (worker-src blob:) must let it start.
  const workers: string[] = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  // Only the session named: its last turn against the one before.
  await page.goto(inspector.at(`#/compare?session=${TURNS_SESSION}`));
  await expect(page).toHaveURL(new RegExp(`b=${built.calls[1]}`));
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+2 -1 ~0 \(\+\d+ tokens\)$/);
  await expect(page.getByLabel('Before (a)')).toHaveValue(built.calls[0]);

  const changes = page.getByRole('table', { name: 'Blocks: block changes' });
  const added = changes.getByRole('row').filter({ hasText: 'added' });
  const removed = changes.getByRole('row').filter({ hasText: 'removed' });
  await expect(added).toHaveCount(2);
  await expect(added.filter({ hasText: TEXT.moved })).toHaveCount(1);
  await expect(added.filter({ hasText: TEXT.question2 })).toHaveCount(1);
  await expect(removed).toHaveCount(1);
  await expect(removed).toContainText('block-deleted');
  await expect(removed).toContainText('(deleted)');
  await expect(removed).toContainText(built.ids.cat!.slice(0, 8));
  // The first question stays in the conversation window in both turns: no tokens are charged for
  // empty sections, so the window has room for it beside the second question.
  await expect(changes.getByRole('row').filter({ hasText: 'changed' })).toHaveCount(0);

  // A block links to the Blocks view.
  await expect(added.filter({ hasText: TEXT.moved }).getByRole('link')).toHaveAttribute(
    'href',
    new RegExp(`#/blocks\\?block=${built.ids.moved}&session=${TURNS_SESSION}`),
  );

  const sections = page.getByRole('table', { name: 'Section tokens' });
  await expect(sections.getByRole('row', { name: /Retrieved/ })).toBeVisible();

  // Both prompts, side by side, then unified; the new fact is in the right-hand prompt.
  const prompts = page.getByRole('region', { name: 'Prompt diff' });
  await expect(prompts).toContainText(TEXT.moved);
  await expect(prompts).toContainText(TEXT.cat);
  await settledScreenshot(page, 'compare');
  expect(workers.some((url) => url.startsWith('blob:'))).toBe(true);
  await page
    .getByRole('group', { name: 'Layout' })
    .getByRole('button', { name: 'Unified' })
    .click();
  await expect(page).toHaveURL(/layout=unified/);
  await expect(prompts).toContainText(TEXT.moved);
  await page.getByRole('checkbox', { name: 'Changed lines only' }).check();
  await expect(page).toHaveURL(/changed=only/);
  await expect(prompts).toContainText(TEXT.moved);
  await settledScreenshot(page, 'compare-unified-changed');
  expect(consoleErrors).toEqual([]);
});

test('exports the comparison as JSON, as a download', async ({ page }) => {
  await page.goto(inspector.at(`#/compare?a=${built.calls[0]}&b=${built.calls[1]}`));
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+2 -1/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(
    `llm386-compare-${built.calls[0]}-${built.calls[1]}.json`,
  );
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    kind: string;
    diff: { added: { id: string }[]; removed: { id: string; cause: string }[] };
  };
  expect(exported.kind).toBe('llm386.compare');
  expect(exported.diff.added.map((x) => x.id).sort()).toEqual(
    [built.ids.moved, built.ids.question2].sort(),
  );
  expect(exported.diff.removed).toEqual([
    expect.objectContaining({ id: built.ids.cat, cause: 'block-deleted' }),
  ]);
});

test('picks any two turns of the session, and says when there is no turn before', async ({
  page,
}) => {
  await page.goto(inspector.at(`#/compare?b=${built.calls[0]}`));
  await expect(page.getByRole('heading', { name: 'The first turn of its session' })).toBeVisible();
  await page.getByLabel('Before (a)').selectOption(built.calls[1]);
  await expect(page).toHaveURL(new RegExp(`a=${built.calls[1]}`));
  // Backwards: turn 1 against turn 2 removes what turn 2 added.
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+1 -2 ~0/);
});

test('says why a comparison failed, as data', async ({ page }) => {
  await page.goto(inspector.at(`#/compare?b=${'0'.repeat(32)}`));
  const alert = page.getByRole('alert');
  await expect(
    alert.getByRole('heading', { name: 'The turns could not be compared' }),
  ).toBeVisible();
  await expect(alert).toContainText('trace-not-found');
});

test('compares the demo agent’s last two turns', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.at('#/compare?session=support-ada'));
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+\d+ -\d+ ~\d+ \([+-]\d+ tokens\)$/);
  await expect(page.getByRole('region', { name: 'Prompt diff' })).toContainText('=== system ===');
  await settledScreenshot(page, 'compare-demo');
  expect(consoleErrors).toEqual([]);
});

test('side by side wraps long prompt lines between words, never inside one', async ({
  page,
  agentInspector,
}) => {
  await page.goto(agentInspector.at('#/compare?session=support-ada&layout=split'));
  const prompts = page.getByRole('region', { name: 'Prompt diff' });
  await expect(prompts).toContainText('=== system ===');
  await expect(page.getByRole('status').filter({ hasText: 'Diffing…' })).toHaveCount(0);
  // Every word of the shown lines sits on one line box: a word split by a wrap has rects at two heights.
  const report = await prompts.evaluate((root) => {
    const broken: string[] = [];
    let wrapped = 0;
    for (const cell of root.querySelectorAll('td [class*="content-text"]')) {
      if (cell.getClientRects().length > 0 && cell.getBoundingClientRect().height > 30) wrapped++;
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/[A-Za-z]{4,}/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set(
            [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)),
          );
          if (tops.size > 1) broken.push(match[0]);
        }
      }
    }
    return { broken, wrapped };
  });
  // The demo's prompts have lines longer than half the window: the check means something only if some wrap.
  expect(report.wrapped).toBeGreaterThan(0);
  expect(report.broken).toEqual([]);
  await settledScreenshot(page, 'compare-split-wrapped');
});

test('the Turns view of a store with one session lists its turns at once', async ({ page }) => {
  await page.goto(inspector.at('#/turns'));
  await expect(page.getByRole('table', { name: 'Turns' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Choose a session' })).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`#/turns\\?session=${TURNS_SESSION}$`));
  await expect(page.getByRole('combobox', { name: 'Session' })).toHaveValue(TURNS_SESSION);
  await screenshot(page, 'turns-one-session');
});
