// Journey: what if this turn had run with other settings? Re-page a recorded turn with half its
// budget (removals each with a cause), then replay it (identical), on a store built for the test
// through the runtime; then the demo agent.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, startInspector, test, type Inspector } from './fixtures';
import { buildTurnsStore, TURN_BUDGET, TURNS_SESSION, type TurnsStore } from './turns-store';

const CAUSES =
  /block-deleted|duplicate|replaced-by-summary|pair-incomplete|budget-shrank|displaced|score-fell|dependency-dropped/;

let built: TurnsStore;
let inspector: Inspector;
let stop: () => Promise<void>;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-whatif-'));
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

test('with half the budget, the new split is within it and every removal has a cause', async ({
  page,
  consoleErrors,
}) => {
  await page.goto(inspector.at(`#/whatif?call=${built.calls[1]}`));
  // No overrides: the re-page is the recording.
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  await expect(page.getByText('same prompt bytes as the recording')).toBeVisible();

  await page.getByRole('button', { name: 'Halve budget' }).click();
  await expect(page).toHaveURL(new RegExp(`budget=${TURN_BUDGET / 2}`));
  await expect(page.getByLabel('Input budget')).toHaveValue(String(TURN_BUDGET / 2));
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+0 -[1-9]\d* ~\d+ \(-\d+ tokens\)$/);
  await expect(page.getByRole('region', { name: 'Budget' })).toContainText(
    new RegExp(`\\d+ of ${TURN_BUDGET / 2} tokens used`),
  );

  const changes = page.getByRole('table', { name: 'Changes against the recording: block changes' });
  const removed = changes.getByRole('row').filter({ hasText: 'removed' });
  const n = Number(/-(\d+)/.exec((await page.getByLabel('Diff summary').textContent()) ?? '')?.[1]);
  await expect(removed).toHaveCount(n);
  for (const row of await removed.all())
    await expect(row.getByRole('cell').last()).toContainText(CAUSES);
  await expect(removed.first()).toContainText('budget-shrank');
  await expect(page.getByRole('region', { name: 'Tokens per section' })).toContainText(
    `budget ${TURN_BUDGET} → ${TURN_BUDGET / 2}`,
  );
  await screenshot(page, 'whatif-halved');

  // A section of the budget bar narrows the changes to the blocks in it, before or after: the
  // facts left out of Retrieved go, rows that start or end in Recent stay.
  const rows = changes.getByRole('row').filter({ has: page.getByRole('cell') });
  const sectionCell = (text: string | RegExp) => ({
    has: page.locator('td:nth-child(3)', { hasText: text }),
  });
  const retrievedOnly = rows.filter(sectionCell(/^Retrieved$/));
  await expect(retrievedOnly).not.toHaveCount(0);
  const inRecent = await rows.filter(sectionCell('Recent')).count();
  await page
    .getByRole('region', { name: 'Budget' })
    .getByRole('button', { name: 'Recent' })
    .click();
  await expect(page).toHaveURL(/section=recent/);
  await expect(page.getByRole('region', { name: 'Changes against the recording' })).toContainText(
    'Recent only',
  );
  await expect(retrievedOnly).toHaveCount(0);
  await expect(rows).toHaveCount(inRecent);
  await expect(rows.filter(sectionCell('Recent'))).toHaveCount(inRecent);

  // Back to the recording.
  await page.getByRole('button', { name: 'Reset to the recording' }).click();
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  expect(consoleErrors).toEqual([]);
});

test('switches and weights re-page too, and settings that cannot be paged fail as data', async ({
  page,
}) => {
  await page.goto(inspector.at(`#/whatif?call=${built.calls[1]}`));
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  await page.getByRole('checkbox', { name: 'Spill unused tokens' }).uncheck();
  await expect(page).toHaveURL(/sw\.spill=false/);
  await page.getByRole('slider', { name: 'recency weight' }).fill('0');
  await expect(page).toHaveURL(/w\.recency=0/);
  await expect(page.getByRole('status').filter({ hasText: 're-paging' })).toHaveCount(0);
  // Fractions summing over 1 are refused by the runtime: the error shows, and the last result
  // (paged with other settings) is not left on screen as if it were these.
  await page.goto(inspector.at(`#/whatif?call=${built.calls[1]}&s.retrieved=0.9&s.recent=0.9`));
  await expect(page.getByRole('alert')).toContainText('invalid-input');
  await expect(page.getByLabel('Diff summary')).toHaveCount(0);
});

test('replay says the recording reproduces byte for byte; the what-if exports as JSON', async ({
  page,
}) => {
  await page.goto(inspector.at(`#/whatif?call=${built.calls[1]}&budget=${TURN_BUDGET / 2}`));
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+0 -[1-9]/);
  await page.getByRole('button', { name: 'Replay' }).click();
  const replay = page.getByRole('region', { name: 'Replay' });
  await expect(replay.getByRole('status')).toContainText(
    'Identical: the recording reproduces byte for byte',
  );
  await screenshot(page, 'whatif-replay');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
    kind: string;
    overrides: { budget: number };
    diff: { removed: { cause: string }[] };
  };
  expect(exported.kind).toBe('llm386.whatif');
  expect(exported.overrides.budget).toBe(TURN_BUDGET / 2);
  expect(exported.diff.removed.length).toBeGreaterThan(0);
});

test('replay says where a recording no longer reproduces: a block it selected was deleted', async ({
  page,
}) => {
  await page.goto(inspector.at(`#/whatif?call=${built.calls[0]}`));
  await page.getByRole('button', { name: 'Replay' }).click();
  const replay = page.getByRole('region', { name: 'Replay' });
  const status = replay.getByRole('status');
  await expect(status).toContainText('Diverged at stage store on block');
  await expect(status).toContainText(`${built.ids.cat} (deleted)`);
  await expect(status).toContainText('1 recorded block(s) no longer exist');
  const changes = page.getByRole('table', { name: 'Replay changes: block changes' });
  await expect(changes.getByRole('row').filter({ hasText: 'removed' })).toContainText(
    'block-deleted',
  );
  await screenshot(page, 'whatif-replay-diverged');
});

test('on the demo agent: a what-if from Compare, and replay', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  await page.goto(agentInspector.at('#/compare?session=support-ada'));
  await page.getByRole('link', { name: 'What-if on turn b' }).click();
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  await page.getByLabel('Input budget').fill('600');
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+\d+ -[1-9]\d* /);
  await page.getByRole('button', { name: 'Replay' }).click();
  await expect(page.getByRole('region', { name: 'Replay' }).getByRole('status')).toContainText(
    'Identical',
  );
  await screenshot(page, 'whatif-demo');
  expect(consoleErrors).toEqual([]);
});
