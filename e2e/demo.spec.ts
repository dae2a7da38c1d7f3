// Journey: first launch with no store opens the demo store, built by the example agent through the
// real runtime; every view has something real to show.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, startInspector, test } from './fixtures';

test('with no store, inspect --web opens the demo store and every view shows its data', async ({
  page,
  consoleErrors,
}) => {
  const dataHome = mkdtempSync(join(tmpdir(), 'llm386-e2e-demo-'));
  const { inspector, stop } = await startInspector(undefined, { XDG_CONFIG_HOME: dataHome });
  try {
    await page.goto(inspector.url);
    await expect(page.getByRole('region', { name: 'Store summary' })).toContainText('demo-store');
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await expect(sessions.getByRole('row')).toHaveCount(5); // a header and four sessions
    await expect(sessions.getByRole('row').filter({ hasText: 'support-ada' })).toContainText(
      /tool-result\s*\d/,
    );
    await screenshot(page, 'demo-store');

    await page.goto(inspector.at('#/blocks?session=support-ada&kinds=assistant-message'));
    const list = page.getByRole('listbox', { name: 'Blocks' });
    await list.getByRole('option').filter({ hasText: /./ }).first().click();
    await expect(
      page.getByRole('region', { name: 'Block' }).getByLabel('Block text'),
    ).not.toBeEmpty();
    await screenshot(page, 'demo-blocks');

    await page.goto(
      inspector.at(
        `#/page?session=support-ada&task=${encodeURIComponent('What plan is Ada on, and what does it cost?')}&budget=900`,
      ),
    );
    const candidates = page.getByRole('table', { name: 'Candidates' });
    await expect(candidates.getByRole('row').filter({ hasText: 'selected' }).first()).toBeVisible();
    await page
      .getByRole('group', { name: 'Decision' })
      .getByRole('button', { name: 'omitted' })
      .click();
    await candidates.getByRole('row').filter({ hasText: 'omitted' }).first().click();
    await expect(
      page
        .getByRole('region', { name: 'Why / why not' })
        .getByRole('heading', { name: 'Why omitted' }),
    ).toBeVisible();
    await screenshot(page, 'demo-page');
    expect(consoleErrors).toEqual([]);
  } finally {
    // Leave the app before its server stops: live refresh would otherwise log a refused poll.
    await page.goto('about:blank');
    await stop();
    rmSync(dataHome, { recursive: true, force: true });
  }
});
