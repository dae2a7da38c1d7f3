// Journey: the What-if as a workbench. On a recorded turn: the same candidates table, why / why not
// and prompt as the Turn view; a candidate that can never fit its section said plainly, with the
// fraction that lets it in (tried with one click); a refused setting leaves no stale result on
// screen; the settings exported as a config TOML and as CLI flags, each of which, run through
// `llm386 trace what-if`, gives the prompt hash the view shows. On the demo agent and on a store of
// 2,000 messages and 5 documents built in the test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import {
  callApi,
  CLI,
  expect,
  idFromUrl,
  ROOT,
  screenshot,
  startInspector,
  test,
  type Inspector,
} from './fixtures';
import {
  buildWorkbenchStore,
  WORKBENCH_BUDGET,
  WORKBENCH_SESSION,
  type WorkbenchStore,
} from './workbench-store';

let built: WorkbenchStore;
let big: Inspector;
let stop: () => Promise<void>;
let dir: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-e2e-workbench-'));
  built = await buildWorkbenchStore(join(dir, 'store'));
  ({ inspector: big, stop } = await startInspector({
    dir: built.dir,
    sessions: [WORKBENCH_SESSION],
    ids: {},
    mainBlocks: 0,
  }));
});

test.afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `llm386 ...args --store DIR --json` through the real binary; its prompt hash. */
function cliPromptHash(args: readonly string[], store: string): string {
  const out = execFileSync(process.execPath, [CLI, ...args, '--store', store, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { promptHash: string }).promptHash;
}

/** The shown command's arguments after `llm386` (the words are plain: call ids, names, numbers). */
async function commandArgs(page: Page, name: string): Promise<string[]> {
  const text = (await page.getByLabel(name).textContent()) ?? '';
  const words = text.trim().split(/\s+/);
  expect(words[0]).toBe('llm386');
  return words.slice(1);
}

/**
 * Downloads the exported TOML and runs both shown commands (the config file's, with the download
 * in place of the file name, and the flags') through the CLI: each gives the view's prompt hash.
 */
async function expectExportReproduces(page: Page, store: string): Promise<void> {
  const hash = (await page.getByLabel('What-if prompt hash').textContent())?.trim() ?? '';
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await page.getByText('Reproduce outside the inspector').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download TOML' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^llm386-whatif-[0-9a-f]{32}\.toml$/);
  const toml = (await download.path())!;
  const withConfig = await commandArgs(page, 'Command with the config file');
  const file = withConfig.indexOf('--config') + 1;
  expect(withConfig[file]).toBe(download.suggestedFilename());
  withConfig[file] = toml;
  expect(cliPromptHash(withConfig, store)).toBe(hash);
  expect(cliPromptHash(await commandArgs(page, 'Command with flags'), store)).toBe(hash);
}

/** Waits until the what-if on screen is the one for the settings in the URL, candidates included. */
async function settled(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 're-paging' })).toHaveCount(0);
  await expect(page.locator('.whatif-workbench:not(.stale)')).toBeVisible();
}

const candidateRow = (page: Page, id: string) =>
  page.getByRole('table', { name: 'Candidates', exact: true }).locator(`tr[data-id="${id}"]`);

test('on the demo agent: a chunk Background can never hold, the fraction that lets it in, and the export reproduces the prompt hash', async ({
  page,
  agentInspector,
  consoleErrors,
}) => {
  const { turns } = await callApi<{ turns: { callId: string; inputBudget: number }[] }>(
    page.request,
    agentInspector,
    'turns.list',
    { session: 'research' },
  );
  const call = turns.find((t) => t.inputBudget === 650)?.callId ?? '';
  await page.goto(agentInspector.at(`#/whatif?call=${call}`));
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  await settled(page);

  // The Turn view's candidates table, why panel and prompt, for the re-paged plan.
  await expect(
    page.getByRole('table', { name: 'Candidates', exact: true }).getByRole('row'),
  ).not.toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Why / why not' })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Prompt' }).getByRole('tab', { name: 'Chat (sent)' }),
  ).toHaveAttribute('aria-selected', 'true');

  // The most relevant candidate that can never fit: a document chunk in Background.
  const never = page.getByRole('table', { name: 'Candidates that can never fit' });
  const first = never.getByRole('row').nth(1);
  await expect(first).toContainText('Background');
  await first.getByRole('button').click();
  const chunk = idFromUrl(page.url(), 'block');
  const note = page.getByRole('note', { name: 'Can never fit' });
  await expect(note).toContainText(
    /Can never fit Background at these settings: it needs \d+ tokens and Background can hold at most 22 \(its 0\.05 of the 444 tokens/,
  );
  await expect(page.getByRole('region', { name: 'Why / why not' })).toContainText('Why omitted');
  await screenshot(page, 'whatif-workbench-never-fits');

  // bm25 x 3 changes nothing for it: no weight can make room.
  await page.getByRole('slider', { name: 'bm25 weight' }).fill('3');
  await expect(page).toHaveURL(/w\.bm25=3/);
  await settled(page);
  await expect(candidateRow(page, chunk)).toContainText('omitted');
  await expect(note).toContainText('No weight or score changes that.');

  // The fraction it names lets it in.
  await note.getByRole('button', { name: /^Try Background 0\.\d\d/ }).click();
  await expect(page).toHaveURL(/s\.background=0\.\d+/);
  await settled(page);
  await expect(candidateRow(page, chunk)).toContainText('selected');
  await expect(note).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Why / why not' })).toContainText('Why selected');
  await expect(
    page.getByRole('region', { name: 'Prompt' }).locator(`[data-block="${chunk}"]`).first(),
  ).toBeVisible();
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+[1-9]/);
  await screenshot(page, 'whatif-workbench-let-in');

  await expectExportReproduces(page, agentInspector.store.dir);
  await screenshot(page, 'whatif-workbench-export');

  // Fractions over 1 are refused: the last result goes, not left on screen as if it were these.
  const lastGood = page.url();
  await page.getByRole('slider', { name: 'Retrieved fraction' }).fill('0.95');
  await expect(page.getByRole('alert')).toContainText('section fractions sum to');
  await expect(page.getByRole('alert')).toContainText('invalid-input');
  await expect(page.getByLabel('Diff summary')).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Candidates', exact: true })).toHaveCount(0);
  await expect(page.getByRole('note').filter({ hasText: 'No result is shown' })).toBeVisible();
  await screenshot(page, 'whatif-workbench-rejected');
  await page.getByRole('button', { name: 'go back to the last settings that paged' }).click();
  await expect(page).toHaveURL(lastGood);
  await expect(page.getByLabel('Diff summary')).toHaveText(/^\+[1-9]/);
  await settled(page);
  expect(consoleErrors).toEqual([]);
});

test('on 2,000 messages and 5 documents: the billing chunk needs Background beside what it holds, Retrieved gives way; TOML and flags reproduce the hash', async ({
  page,
  consoleErrors,
}) => {
  await page.goto(big.at(`#/whatif?call=${built.call}&block=${built.billingChunk}`));
  await expect(page.getByLabel('Diff summary')).toHaveText('+0 -0 ~0 (+0 tokens)');
  await settled(page);
  // Thousands of candidates: the table is virtualised, the count says how many.
  await expect(page.getByRole('region', { name: 'Candidates', exact: true })).toContainText(
    /of [1-9],\d{3}/,
  );
  await expect(candidateRow(page, built.billingChunk)).toContainText('omitted');
  const note = page.getByRole('note', { name: 'Can never fit' });
  await expect(note).toContainText(/it needs 1\d\d tokens and Background can hold at most 73/);
  await expect(note).toContainText(
    /beside the \d+ tokens Background took before its turn \(the fractions would sum to 1\.\d\d: Retrieved down to 0\.\d\d makes room\)/,
  );
  await expect(page.getByRole('table', { name: 'Candidates that can never fit' })).toContainText(
    'Billing policy, section 4',
  );
  await screenshot(page, 'whatif-workbench-2000-never-fits');

  // j/k move through the candidates as in the Turn view; arrows on a focused slider move the slider.
  const blockParam = new RegExp(`block=${built.billingChunk}`);
  await page.keyboard.press('j');
  await expect(page).not.toHaveURL(blockParam);
  await page.keyboard.press('k');
  await expect(page).toHaveURL(blockParam);
  await page.getByRole('slider', { name: 'ann weight' }).press('ArrowRight');
  await expect(page).toHaveURL(/w\.ann=0\.3/);
  await expect(page).toHaveURL(blockParam);
  await settled(page);
  await page.getByRole('slider', { name: 'ann weight' }).press('ArrowLeft');
  await expect(page).not.toHaveURL(/w\.ann/);
  await settled(page);

  await note.getByRole('button', { name: /^Try Background 0\.\d\d, Retrieved 0\.\d\d$/ }).click();
  await expect(page).toHaveURL(
    /s\.background=0\.\d+.*s\.retrieved=0\.\d+|s\.retrieved=0\.\d+.*s\.background=0\.\d+/,
  );
  await settled(page);
  await expect(candidateRow(page, built.billingChunk)).toContainText('selected');
  await expect(
    page
      .getByRole('region', { name: 'Prompt' })
      .locator(`[data-block="${built.billingChunk}"]`)
      .first(),
  ).toBeVisible();

  // A budget is a flag beside the config file: both commands carry it.
  await page.getByLabel('Input budget').fill(String(WORKBENCH_BUDGET + 100));
  await expect(page).toHaveURL(new RegExp(`budget=${WORKBENCH_BUDGET + 100}`));
  await settled(page);
  await expectExportReproduces(page, built.dir);
  await expect(page.getByLabel('Command with the config file')).toContainText(
    `--budget ${WORKBENCH_BUDGET + 100}`,
  );
  await screenshot(page, 'whatif-workbench-2000-export');
  expect(consoleErrors).toEqual([]);
});
