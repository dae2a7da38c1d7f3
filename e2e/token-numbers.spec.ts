// Journey: one quantity, one number. A turn with a tool pair, spill and an approximate tokenizer
// (Anthropic, counted with cl100k_base): the Turn header, the budget bar, the candidates table,
// Compare and the block pane show the same number for the same quantity, and say what each counts;
// the provider's reported input tokens stand beside the count, flagged when they differ by > 2%.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime } from '../src-core/index';
import { expect, screenshot, startInspector, test, type Inspector } from './fixtures';

const SESSION = 'trains';
const MODEL = 'claude-sonnet-4-5';

interface Built {
  readonly dir: string;
  readonly first: string;
  readonly second: string;
  readonly toolResult: string;
  /** What the second call rendered and the plan's block tokens, as the runtime reports them. */
  readonly tokens: number;
  readonly resultTokens: number;
  readonly resultTextTokens: number;
  readonly resultPairTokens: number;
  readonly reported: number;
}

async function buildStore(): Promise<Built> {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-tokens-e2e-'));
  const rt = openRuntime(join(dir, 'store'), { countTokensWith: ['o200k_base', 'cl100k_base'] });
  let time = 1_760_000_000_000;
  rt.put({
    session: SESSION,
    kind: 'system',
    body: 'You plan train trips.',
    createdAt: (time += 1000),
  });
  for (let i = 0; i < 40; i++) {
    rt.put({
      session: SESSION,
      kind: i % 2 === 0 ? 'user-message' : 'assistant-message',
      body: `turn ${i}: the ${i}th train to Porto and the weather there`,
      createdAt: (time += 1000),
    });
  }
  for (let i = 0; i < 6; i++)
    rt.put({
      session: SESSION,
      kind: 'fact',
      body: `Fact ${i}: trains to Porto leave from Santa Apolonia.`,
      createdAt: (time += 1000),
    });
  const request = {
    session: SESSION,
    task: 'When does the next train to Porto leave?',
    model: MODEL,
    budget: 900,
  };
  const first = await rt.pack({ ...request, now: (time += 1000) }, { mode: 'anthropic' });
  const call = rt.put({
    session: SESSION,
    kind: 'assistant-message',
    body: 'Let me look at the timetable.',
    toolCalls: [{ id: 'toolu_01', name: 'timetable', arguments: '{"to":"Porto"}' }],
    createdAt: (time += 1000),
  }).block.id;
  const toolResult = rt.put({
    session: SESSION,
    kind: 'tool-result',
    body: 'Next departures: 08:15, 12:40 and 17:05.',
    toolCallId: 'toolu_01',
    createdAt: (time += 1000),
  }).block.id;
  rt.addEdge(call, 'tool-invocation', toolResult);
  const second = await rt.pack({ ...request, now: (time += 1000) }, { mode: 'anthropic' });
  // The provider counts its own way (another tokenizer, tool framing): 7% more here.
  const reported = Math.round(second.tokens * 1.07);
  await rt.recordOutput(second.callId as string, 'The next one leaves at 08:15.', {
    inputTokens: reported,
    outputTokens: 9,
  });
  const picked = second.plan.selected.find((s) => s.id === toolResult);
  if (picked === undefined)
    throw new Error('the tool result was not selected: raise the budget in the fixture');
  const resultTextTokens = rt.store.tokens(rt.store.requireRecord(toolResult), 'cl100k_base');
  await rt.close();
  return {
    dir,
    first: first.callId as string,
    second: second.callId as string,
    toolResult,
    tokens: second.tokens,
    resultTokens: picked.tokens,
    resultTextTokens,
    resultPairTokens: picked.pairTokens ?? 0,
    reported,
  };
}

let built: Built;
let inspector: Inspector;
let stop: () => Promise<void>;

test.beforeAll(async () => {
  built = await buildStore();
  ({ inspector, stop } = await startInspector({
    dir: join(built.dir, 'store'),
    sessions: [SESSION],
    ids: {},
    mainBlocks: 0,
  }));
});
test.afterAll(async () => {
  await stop();
  rmSync(built.dir, { recursive: true, force: true });
});

const int = (n: number) => n.toLocaleString('en-US');

test('the same quantity is the same number in the Turn header, budget bar, candidates, Compare and block pane', async ({
  page,
  consoleErrors,
}) => {
  await page.goto(inspector.at(`#/turn?call=${built.second}&session=${SESSION}`));
  await expect(page.getByRole('heading', { name: 'Turn', exact: true })).toBeVisible();

  // The prompt's total: the header (what was sent) and the budget bar (what the plan used) agree.
  await expect(page.getByTestId('turn-tokens')).toHaveText(int(built.tokens));
  await expect(page.getByTestId('budget-used')).toHaveText(int(built.tokens));
  const budget = page.getByRole('region', { name: 'Budget' });
  await expect(budget).toContainText('tokens used: the anthropic prompt, exactly (approximate)');

  // Spill is shown where it happened, with where it came from.
  const sections = page.getByRole('table', { name: 'Sections' });
  await expect(
    sections
      .getByRole('row')
      .filter({ hasText: /from (State|Plan|Retrieved|Tools|Background)/ })
      .first(),
  ).toBeVisible();

  // The tool result: what it adds to the prompt, and with its call (the pair), in the candidates table.
  await sections.getByRole('button', { name: 'Tools' }).click();
  const candidates = page.getByRole('table', { name: 'Candidates' });
  const row = candidates.getByRole('row').filter({ hasText: 'Next departures' });
  await expect(row.getByRole('cell').nth(-2)).toHaveText(
    `${int(built.resultTokens)} · pair ${int(built.resultPairTokens)}`,
  );

  // Counted against reported input tokens, flagged above 2%.
  const usage = page.getByRole('note', { name: 'Input tokens: counted and reported' });
  await expect(usage.getByTestId('usage-counted')).toHaveText(int(built.tokens));
  await expect(usage.getByTestId('usage-reported')).toHaveText(int(built.reported));
  await expect(usage.getByTestId('usage-diff')).toHaveText(
    `+${int(built.reported - built.tokens)}`,
  );
  await expect(usage).toContainText('more than 2%');
  await screenshot(page, 'token-numbers-turn');

  // Compare with the turn before the tool call: the tool result was added with the same tokens,
  // and the second prompt's total is the header's.
  await page.goto(inspector.at(`#/compare?a=${built.first}&b=${built.second}`));
  const changes = page.getByRole('table', { name: /block changes/ });
  await expect(changes.getByRole('row').filter({ hasText: 'Next departures' })).toContainText(
    `+${int(built.resultTokens)}`,
  );
  await expect(page.getByText(new RegExp(`→ ${int(built.tokens)} tokens`))).toBeVisible();
  await screenshot(page, 'token-numbers-compare');

  // The block pane shows another quantity (its text alone) and says so.
  await page.goto(inspector.at(`#/blocks?session=${SESSION}&block=${built.toolResult}`));
  const pane = page.locator('dl.meta');
  await expect(pane.getByText('Text tokens')).toBeVisible();
  await expect(pane).toContainText(`${int(built.resultTextTokens)} (cl100k_base)`);
  expect(built.resultTextTokens).toBeLessThan(built.resultTokens);
  expect(consoleErrors).toEqual([]);
});
