// `npm run bench:inspector`: the inspector in web mode over a store of 100k blocks and 1,000 turns
// (built once into $LLM386_BENCH_DIR, default /tmp/llm386-inspector-bench, and reused), driven in
// Chromium. Needs `npm run build` first (the renderer and out/web/inspect.cjs). Prints a table.
// BENCH_BLOCKS and BENCH_TURNS change the store's size.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { BENCH_SESSION, inspectorData } from './inspector-data';
import { printTable, quantile, type Row } from './table';
import { apiHeaders } from './web-api';

const ROOT = resolve(__dirname, '..');
const DIR = process.env['LLM386_BENCH_DIR'] ?? '/tmp/llm386-inspector-bench';
const BLOCKS = Number(process.env['BENCH_BLOCKS'] ?? 100_000);
const TURNS = Number(process.env['BENCH_TURNS'] ?? 1000);
const CHROMIUM =
  process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ||
  (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

async function main(): Promise<void> {
  for (const built of [
    join(ROOT, 'out', 'renderer', 'index.html'),
    join(ROOT, 'out', 'web', 'inspect.cjs'),
  ]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const t0 = performance.now();
  const data = await inspectorData(DIR, BLOCKS, TURNS, (line) =>
    console.error(`bench data: ${line}`),
  );
  console.error(`bench data ready in ${Math.round(performance.now() - t0)} ms (${data.dir})`);
  const rows: Row[] = [];

  const browser = await chromium.launch({
    ...(CHROMIUM === undefined ? {} : { executablePath: CHROMIUM }),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Warm the browser's own caches (fonts, V8) on an empty page so launch measures the inspector.
  await page.goto('about:blank');

  const launched = performance.now();
  const server = await startServer(join(data.dir, 'store'));
  const serving = performance.now();
  try {
    await page.goto(`${server.url}#/blocks?session=${BENCH_SESSION}`);
    const listbox = page.getByRole('listbox', { name: 'Blocks' });
    await waitForDom(page, '[role=listbox][aria-label=Blocks] [role=option]', { text: '' });
    await waitForDom(page, '.count', {
      text: `${new Intl.NumberFormat('en-US').format(BLOCKS)} blocks`,
    });
    const interactive = performance.now();
    const tti = interactive - launched;
    rows.push({
      bench: `time to interactive: launch -> ${BLOCKS} block list rendered`,
      value: `${Math.round(tti)} ms (server up in ${Math.round(serving - launched)} ms)`,
      target: '< 1500 ms',
      ok: tti < 1500,
    });

    const domRows = await listbox.getByRole('option').count();
    rows.push({
      bench: `block list: DOM rows for ${BLOCKS} blocks`,
      value: `${domRows} rows`,
      target: 'only the visible rows (+ overscan)',
      ok: domRows < 100,
    });

    // Scrolling to the middle keeps the row count flat.
    await listbox.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await listbox.getByRole('option').filter({ hasText: /\S/ }).first().waitFor();
    const domRowsMid = await listbox.getByRole('option').count();
    rows.push({
      bench: 'block list: DOM rows after scrolling to the middle',
      value: `${domRowsMid} rows`,
      target: 'only the visible rows (+ overscan)',
      ok: domRowsMid < 100,
    });

    rows.push(...(await searchBench(page, data.word, apiHeaders(server.url))));
    rows.push(await turnsListBench(page, server.url));
    rows.push(...(await bigTurnBench(page, data.bigCall, data.bigCandidates)));
    rows.push(await blockTurnsBench(page, data.bigCall, apiHeaders(server.url)));
    rows.push(...(await whatIfStallBench(page, server, data.bigCall)));
    rows.push(...(await graphStallBench(page, data.bigCall)));

    const rss = memory(server.child.pid);
    rows.push({
      bench: 'server (main) process RSS after the above (peak)',
      value: `${rss.rss} MB (peak ${rss.peak} MB)`,
      target: '< 400 MB',
      ok: rss.peak < 400,
    });
    rows.push({
      bench: '  of which private memory (RssAnon) / mapped store pages (RssFile)',
      value: `${rss.anon} MB / ${rss.file} MB`,
      target: '',
      ok: undefined,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  printTable(`inspector, web mode (${BLOCKS} blocks, ${TURNS} turns)`, rows);
}

/** Search through the contract (what the Blocks view's search box calls), median and p95 over 20 queries. */
async function searchBench(
  page: Page,
  word: string,
  headers: Record<string, string>,
): Promise<Row[]> {
  const queries = [word, 'zz-no-such-word', `${word} the`, word.slice(0, 3)];
  const times: number[] = await page.evaluate(
    async ({ queries, session, headers }) => {
      const out: number[] = [];
      for (let i = 0; i < 24; i++) {
        const search = queries[i % queries.length] ?? '';
        const t = performance.now();
        const response = await fetch('/api/blocks.list', {
          method: 'POST',
          headers,
          body: JSON.stringify({ session, search, limit: 100 }),
        });
        const result = (await response.json()) as { ok: boolean };
        if (!result.ok) throw new Error(`search failed: ${JSON.stringify(result)}`);
        if (i >= 4) out.push(performance.now() - t);
      }
      return out;
    },
    { queries, session: BENCH_SESSION, headers },
  );
  const p50 = quantile(times, 0.5);
  const p95 = quantile(times, 0.95);
  return [
    {
      bench: `search (blocks.list with text, first 100 of ${BLOCKS}), round trip`,
      value: `p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
      target: '< 100 ms',
      ok: p95 < 100,
    },
  ];
}

async function turnsListBench(page: Page, url: string): Promise<Row> {
  const t = performance.now();
  await page.goto(`${url}#/turns?session=${BENCH_SESSION}`);
  await page.waitForFunction(TURNS_SHOWN, TURNS, { polling: 'raf', timeout: 30_000 });
  const ms = performance.now() - t;
  return {
    bench: `Turns: page load -> ${TURNS} turns listed (first screen rendered, count shown)`,
    value: `${Math.round(ms)} ms`,
    target: '',
    ok: undefined,
  };
}

/** Opens the big turn from inside the app (a hash change, as a click does) until its candidates show; then the prompt. */
async function bigTurnBench(page: Page, callId: string, candidates: number): Promise<Row[]> {
  const count = `of ${new Intl.NumberFormat('en-US').format(candidates)}`;
  const opens: number[] = [];
  const completes: number[] = [];
  const prompts: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate(setHash, '#/store');
    await page.getByRole('heading', { name: 'Store' }).waitFor();
    const t = performance.now();
    await page.evaluate(setHash, `#/turn?call=${callId}&session=${BENCH_SESSION}`);
    await waitForDom(page, 'section.budget');
    await waitForDom(page, 'table[aria-label=Candidates] tbody tr', { count: 5 });
    opens.push(performance.now() - t);
    await waitForDom(page, '.count', { text: count });
    completes.push(performance.now() - t);
    await waitForDom(page, '[role=tabpanel][aria-label="Chat messages"]');
    prompts.push(performance.now() - t);
  }
  const open = quantile(opens, 0.5);
  const domRows = await page.getByRole('table', { name: 'Candidates' }).getByRole('row').count();
  return [
    {
      bench: `Turn with ${candidates} candidates: open -> budget + selected candidates shown (median of 3)`,
      value: `${Math.round(open)} ms`,
      target: '< 500 ms',
      ok: open < 500,
    },
    {
      bench: `Turn: open -> all ${candidates} candidates (omitted loaded after) sortable`,
      value: `${Math.round(quantile(completes, 0.5))} ms`,
      target: '< 500 ms',
      ok: quantile(completes, 0.5) < 500,
    },
    {
      bench: 'Turn: open -> recorded prompt shown (loaded after the plan)',
      value: `${Math.round(quantile(prompts, 0.5))} ms`,
      target: '',
      ok: undefined,
    },
    {
      bench: 'Turn: candidate rows in the DOM',
      value: `${domRows} rows`,
      target: 'virtualised',
      ok: domRows < 100,
    },
  ];
}

/**
 * Waits until at least `count` elements match `selector` (each containing `text`, or any non-blank
 * text when `text` is ''), checking on every animation frame in the page. Playwright's own locator
 * waits re-check at growing intervals, up to a second apart after the first few hundred ms, which
 * added up to a second to what these rows measure.
 */
async function waitForDom(
  page: Page,
  selector: string,
  options: { text?: string; count?: number } = {},
): Promise<void> {
  await page.waitForFunction(
    // No named helpers inside: the bench runs through tsx, whose `__name` wrappers do not exist in the page.
    ({ selector, text, count }) => {
      const doc = (
        globalThis as unknown as {
          document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
        }
      ).document;
      const matching = Array.from(doc.querySelectorAll(selector)).filter(
        (e) =>
          text === undefined ||
          (text === ''
            ? (e.textContent ?? '').trim() !== ''
            : (e.textContent ?? '').includes(text)),
      );
      return matching.length >= count;
    },
    { selector, text: options.text, count: options.count ?? 1 },
    { polling: 'raf', timeout: 30_000 },
  );
}

/**
 * Runs in the page: the Turns view shows what a user sees of a list of `turns` turns (the table is
 * virtualised, so not every row is in the DOM): the count says `turns` turns and the rows rendered
 * reach the bottom of the table's scroll area. Written as a string: bench/ has no DOM types, and
 * tsx's `__name` wrappers do not exist in the page.
 */
const TURNS_SHOWN = `(turns) => {
  const count = document.querySelector('.turns-view .count')?.textContent ?? '';
  if (!count.startsWith(turns.toLocaleString('en-US') + ' turns')) return false;
  const scroll = document.querySelector('.turns-scroll');
  const rows = document.querySelectorAll('table[aria-label=Turns] tbody tr:not(.spacer)');
  const last = rows[rows.length - 1];
  if (scroll === null || last === undefined) return false;
  return last.getBoundingClientRect().bottom >= scroll.getBoundingClientRect().bottom;
}`;

/** Runs in the page (bench/ has no DOM types): a hash change, as a click on a link makes. */
function setHash(hash: string): void {
  (globalThis as unknown as { location: { hash: string } }).location.hash = hash;
}

/** The block pane's "turns that selected or omitted it": one page of turns.forBlock, round trip. */
async function blockTurnsBench(
  page: Page,
  callId: string,
  headers: Record<string, string>,
): Promise<Row> {
  // No named helpers inside: the bench runs through tsx, whose `__name` wrappers do not exist in the page.
  const result = await page.evaluate(
    async ({ callId, headers }) => {
      const detail = (await (
        await fetch('/api/turns.get', {
          method: 'POST',
          headers,
          body: JSON.stringify({ callId, omitted: false }),
        })
      ).json()) as { value: { plan: { selected: { id: string }[] } } };
      const id = detail.value.plan.selected[5]?.id ?? '';
      const times: number[] = [];
      let last = { scanned: 0, total: 0 };
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        last = (
          (await (
            await fetch('/api/turns.forBlock', {
              method: 'POST',
              headers,
              body: JSON.stringify({ id }),
            })
          ).json()) as { value: { scanned: number; total: number } }
        ).value;
        times.push(performance.now() - t);
      }
      return { times, scanned: last.scanned, total: last.total };
    },
    { callId, headers },
  );
  const p50 = quantile(result.times, 0.5);
  return {
    bench: `block pane: turns of a block, one page (${result.scanned} of ${result.total} records read)`,
    value: `p50 ${Math.round(p50)} ms`,
    target: '',
    ok: undefined,
  };
}

function memory(pid: number | undefined): {
  rss: number;
  peak: number;
  anon: number;
  file: number;
} {
  if (pid === undefined) return { rss: NaN, peak: NaN, anon: NaN, file: NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return {
    rss: Math.round(kb('VmRSS') / 1024),
    peak: Math.round(kb('VmHWM') / 1024),
    anon: Math.round(kb('RssAnon') / 1024),
    file: Math.round(kb('RssFile') / 1024),
  };
}

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  /** The server's worst event loop stall since the previous call (bench/loop-monitor.cjs). */
  readonly loopStall: () => Promise<{ delayMaxMs: number; timerLateMaxMs: number }>;
  readonly stop: () => Promise<void>;
}

async function startServer(store: string): Promise<Server> {
  const statsFile = join(tmpdir(), `llm386-loop-stats-${process.pid}.jsonl`);
  rmSync(statsFile, { force: true });
  const child = spawn(
    process.execPath,
    [
      '--require',
      join(ROOT, 'bench', 'loop-monitor.cjs'),
      join(ROOT, 'bin', 'llm386.cjs'),
      'inspect',
      '--store',
      store,
      '--web',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LLM386_LOOP_STATS: statsFile },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, rejectUrl) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolveUrl(line.trim()));
    child.once('exit', (code) =>
      rejectUrl(new Error(`llm386 inspect exited with ${code}: ${stderr}`)),
    );
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  let reports = 0;
  const loopStall = async () => {
    child.kill('SIGUSR2');
    reports++;
    const lines = () =>
      existsSync(statsFile) ? readFileSync(statsFile, 'utf8').trim().split('\n') : [];
    const deadline = performance.now() + 30_000;
    while (lines().length < reports) {
      if (performance.now() > deadline)
        throw new Error('the server did not report its event loop stall');
      await new Promise((done) => setTimeout(done, 20));
    }
    return JSON.parse(lines()[reports - 1] ?? '{}') as {
      delayMaxMs: number;
      timerLateMaxMs: number;
    };
  };
  return { url, child, loopStall, stop };
}

/**
 * What-ifs on the big turn from inside the app (a hash change, as the form makes): how long until
 * the diff shows, the server's worst event loop stall meanwhile (its request loop must keep
 * answering) and the page's longest task (PerformanceObserver 'longtask', Chromium).
 */
async function whatIfStallBench(page: Page, server: Server, callId: string): Promise<Row[]> {
  await page.evaluate(observeLongTasks);
  const cases = [
    { name: 'budget halved', params: 'budget=64000' },
    { name: 'model with another tokenizer (gpt-4-turbo, cl100k)', params: 'model=gpt-4-turbo' },
  ];
  const rows: Row[] = [];
  // What the machine alone costs the server's loop (a shared machine: other processes, GC).
  await server.loopStall();
  await page.evaluate(() => new Promise((done) => setTimeout(done, 1000)));
  const idle = await server.loopStall();
  rows.push({
    bench: 'server event loop: longest stall over 1 s idle (machine noise)',
    value: `${Math.round(idle.delayMaxMs)} / ${Math.round(idle.timerLateMaxMs)} ms`,
    target: '',
    ok: undefined,
  });
  for (const { name, params } of cases) {
    await page.evaluate(setHash, '#/store');
    await page.getByRole('heading', { name: 'Store' }).waitFor();
    await server.loopStall();
    const since = await page.evaluate(() => performance.now());
    const t = performance.now();
    await page.evaluate(setHash, `#/whatif?call=${callId}&session=${BENCH_SESSION}&${params}`);
    await waitForDom(page, '[aria-label="Diff summary"]');
    const ms = performance.now() - t;
    // Long tasks are reported after they end: give the page a moment to deliver the last one.
    await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
    const longest = await page.evaluate(longestTaskSince, since);
    const tasks = await page.evaluate(longTasksSince, since);
    const stall = await server.loopStall();
    const serverMs = Math.max(stall.delayMaxMs, stall.timerLateMaxMs);
    rows.push({
      bench: `what-if (${name}): open -> diff shown`,
      value: `${Math.round(ms)} ms`,
      target: '',
      ok: undefined,
    });
    rows.push({
      bench: '  server event loop: longest stall meanwhile (delay histogram / 10 ms timer)',
      value: `${Math.round(stall.delayMaxMs)} / ${Math.round(stall.timerLateMaxMs)} ms`,
      target: '< 50 ms',
      ok: serverMs < 50,
    });
    rows.push({
      bench: '  renderer: longest task meanwhile (long tasks: duration@start ms after the click)',
      value: `${Math.round(longest)} ms (${tasks || 'none'})`,
      target: '< 50 ms',
      ok: longest < 50,
    });
  }
  return rows;
}

/** The Graph view of the big turn (up to 2,000 blocks drawn): until laid out and drawn, and the page's longest task meanwhile. */
async function graphStallBench(page: Page, callId: string): Promise<Row[]> {
  await page.evaluate(observeLongTasks);
  await page.evaluate(setHash, '#/store');
  await page.getByRole('heading', { name: 'Store' }).waitFor();
  const since = await page.evaluate(() => performance.now());
  const t = performance.now();
  await page.evaluate(setHash, `#/graph?call=${callId}&session=${BENCH_SESSION}`);
  await waitForDom(page, 'span.muted', { text: '· layout' });
  const ms = performance.now() - t;
  const view = await page.evaluate(() => {
    type Node = { textContent: string | null; parentElement: Node | null };
    const doc = (globalThis as unknown as { document: { querySelector(s: string): Node | null } })
      .document;
    return (
      doc
        .querySelector('[role=status][aria-label="Graph size"]')
        ?.parentElement?.textContent?.replace(/^.*?(\d[\d,]* blocks)/, '$1') ?? ''
    );
  });
  await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
  const longest = await page.evaluate(longestTaskSince, since);
  const tasks = await page.evaluate(longTasksSince, since);
  return [
    {
      bench: `Graph of the big turn (${view}): open -> laid out and drawn`,
      value: `${Math.round(ms)} ms`,
      target: '',
      ok: undefined,
    },
    {
      bench: '  renderer: longest task meanwhile (duration@start)',
      value: `${Math.round(longest)} ms (${tasks || 'none'})`,
      target: '< 50 ms',
      ok: longest < 50,
    },
  ];
}

/** Runs in the page: records long tasks from now on (no named helpers inside, see waitForDom). */
function observeLongTasks(): void {
  const w = globalThis as unknown as {
    __longTasks?: { start: number; duration: number }[];
    PerformanceObserver: typeof PerformanceObserver;
  };
  if (w.__longTasks !== undefined) return;
  const tasks: { start: number; duration: number }[] = [];
  w.__longTasks = tasks;
  new w.PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask' });
}

/** Runs in the page: the long tasks since `since`, as `duration@start` in ms. */
function longTasksSince(since: number): string {
  const tasks =
    (globalThis as unknown as { __longTasks?: { start: number; duration: number }[] })
      .__longTasks ?? [];
  return tasks
    .filter((t) => t.start >= since)
    .map((t) => `${Math.round(t.duration)}@${Math.round(t.start - since)}`)
    .join(', ');
}

/** Runs in the page: the longest task that started at `since` or later (0 when none over 50 ms). */
function longestTaskSince(since: number): number {
  const tasks =
    (globalThis as unknown as { __longTasks?: { start: number; duration: number }[] })
      .__longTasks ?? [];
  return tasks.filter((t) => t.start >= since).reduce((max, t) => Math.max(max, t.duration), 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
