// `npm run bench:inspector`: the inspector in web mode over a store of 100k blocks and 1,000 turns
// (built once into $LLM386_BENCH_DIR, default /tmp/llm386-inspector-bench, and reused), driven in
// Chromium. Needs `npm run build` first (the renderer and out/web/inspect.cjs). Prints a table.
// BENCH_BLOCKS and BENCH_TURNS change the store's size.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
const CHROMIUM = process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

async function main(): Promise<void> {
  for (const built of [join(ROOT, 'out', 'renderer', 'index.html'), join(ROOT, 'out', 'web', 'inspect.cjs')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const t0 = performance.now();
  const data = await inspectorData(DIR, BLOCKS, TURNS, (line) => console.error(`bench data: ${line}`));
  console.error(`bench data ready in ${Math.round(performance.now() - t0)} ms (${data.dir})`);
  const rows: Row[] = [];

  const browser = await chromium.launch({
    ...(CHROMIUM === undefined ? {} : { executablePath: CHROMIUM }),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
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
    await waitForDom(page, '.count', { text: `${new Intl.NumberFormat('en-US').format(BLOCKS)} blocks` });
    const interactive = performance.now();
    const tti = interactive - launched;
    rows.push({ bench: `time to interactive: launch -> ${BLOCKS} block list rendered`, value: `${Math.round(tti)} ms (server up in ${Math.round(serving - launched)} ms)`, target: '< 1500 ms', ok: tti < 1500 });

    const domRows = await listbox.getByRole('option').count();
    rows.push({ bench: `block list: DOM rows for ${BLOCKS} blocks`, value: `${domRows} rows`, target: 'only the visible rows (+ overscan)', ok: domRows < 100 });

    // Scrolling to the middle keeps the row count flat.
    await listbox.evaluate((el) => el.scrollTo(0, el.scrollHeight / 2));
    await listbox.getByRole('option').filter({ hasText: /\S/ }).first().waitFor();
    const domRowsMid = await listbox.getByRole('option').count();
    rows.push({ bench: 'block list: DOM rows after scrolling to the middle', value: `${domRowsMid} rows`, target: 'only the visible rows (+ overscan)', ok: domRowsMid < 100 });

    rows.push(...(await searchBench(page, data.word, apiHeaders(server.url))));
    rows.push(await turnsListBench(page, server.url));
    rows.push(...(await bigTurnBench(page, data.bigCall, data.bigCandidates)));
    rows.push(await blockTurnsBench(page, data.bigCall, apiHeaders(server.url)));

    const rss = memory(server.child.pid);
    rows.push({ bench: 'server (main) process RSS after the above (peak)', value: `${rss.rss} MB (peak ${rss.peak} MB)`, target: '< 400 MB', ok: rss.peak < 400 });
    rows.push({ bench: '  of which private memory (RssAnon) / mapped store pages (RssFile)', value: `${rss.anon} MB / ${rss.file} MB`, target: '', ok: undefined });
  } finally {
    await browser.close();
    await server.stop();
  }
  printTable(`inspector, web mode (${BLOCKS} blocks, ${TURNS} turns)`, rows);
}

/** Search through the contract (what the Blocks view's search box calls), median and p95 over 20 queries. */
async function searchBench(page: Page, word: string, headers: Record<string, string>): Promise<Row[]> {
  const queries = [word, 'zz-no-such-word', `${word} the`, word.slice(0, 3)];
  const times: number[] = await page.evaluate(
    async ({ queries, session, headers }) => {
      const out: number[] = [];
      for (let i = 0; i < 24; i++) {
        const search = queries[i % queries.length] ?? '';
        const t = performance.now();
        const response = await fetch('/api/blocks.list', { method: 'POST', headers, body: JSON.stringify({ session, search, limit: 100 }) });
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
  return [{ bench: `search (blocks.list with text, first 100 of ${BLOCKS}), round trip`, value: `p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`, target: '< 100 ms', ok: p95 < 100 }];
}

async function turnsListBench(page: Page, url: string): Promise<Row> {
  const t = performance.now();
  await page.goto(`${url}#/turns?session=${BENCH_SESSION}`);
  await waitForDom(page, 'table[aria-label=Turns] tbody tr', { count: TURNS });
  const ms = performance.now() - t;
  return { bench: `Turns: page load -> ${TURNS} turns listed`, value: `${Math.round(ms)} ms`, target: '', ok: undefined };
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
    { bench: `Turn with ${candidates} candidates: open -> budget + selected candidates shown (median of 3)`, value: `${Math.round(open)} ms`, target: '< 500 ms', ok: open < 500 },
    { bench: `Turn: open -> all ${candidates} candidates (omitted loaded after) sortable`, value: `${Math.round(quantile(completes, 0.5))} ms`, target: '< 500 ms', ok: quantile(completes, 0.5) < 500 },
    { bench: 'Turn: open -> recorded prompt shown (loaded after the plan)', value: `${Math.round(quantile(prompts, 0.5))} ms`, target: '', ok: undefined },
    { bench: 'Turn: candidate rows in the DOM', value: `${domRows} rows`, target: 'virtualised', ok: domRows < 100 },
  ];
}

/**
 * Waits until at least `count` elements match `selector` (each containing `text`, or any non-blank
 * text when `text` is ''), checking on every animation frame in the page. Playwright's own locator
 * waits re-check at growing intervals, up to a second apart after the first few hundred ms, which
 * added up to a second to what these rows measure.
 */
async function waitForDom(page: Page, selector: string, options: { text?: string; count?: number } = {}): Promise<void> {
  await page.waitForFunction(
    // No named helpers inside: the bench runs through tsx, whose `__name` wrappers do not exist in the page.
    ({ selector, text, count }) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document;
      const matching = Array.from(doc.querySelectorAll(selector)).filter((e) => text === undefined || (text === '' ? (e.textContent ?? '').trim() !== '' : (e.textContent ?? '').includes(text)));
      return matching.length >= count;
    },
    { selector, text: options.text, count: options.count ?? 1 },
    { polling: 'raf', timeout: 30_000 },
  );
}

/** Runs in the page (bench/ has no DOM types): a hash change, as a click on a link makes. */
function setHash(hash: string): void {
  (globalThis as unknown as { location: { hash: string } }).location.hash = hash;
}

/** The block pane's "turns that selected or omitted it": one page of turns.forBlock, round trip. */
async function blockTurnsBench(page: Page, callId: string, headers: Record<string, string>): Promise<Row> {
  // No named helpers inside: the bench runs through tsx, whose `__name` wrappers do not exist in the page.
  const result = await page.evaluate(async ({ callId, headers }) => {
    const detail = (await (await fetch('/api/turns.get', { method: 'POST', headers, body: JSON.stringify({ callId, omitted: false }) })).json()) as { value: { plan: { selected: { id: string }[] } } };
    const id = detail.value.plan.selected[5]?.id ?? '';
    const times: number[] = [];
    let last = { scanned: 0, total: 0 };
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      last = ((await (await fetch('/api/turns.forBlock', { method: 'POST', headers, body: JSON.stringify({ id }) })).json()) as { value: { scanned: number; total: number } }).value;
      times.push(performance.now() - t);
    }
    return { times, scanned: last.scanned, total: last.total };
  }, { callId, headers });
  const p50 = quantile(result.times, 0.5);
  return { bench: `block pane: turns of a block, one page (${result.scanned} of ${result.total} records read)`, value: `p50 ${Math.round(p50)} ms`, target: '', ok: undefined };
}

function memory(pid: number | undefined): { rss: number; peak: number; anon: number; file: number } {
  if (pid === undefined) return { rss: NaN, peak: NaN, anon: NaN, file: NaN };
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024), anon: Math.round(kb('RssAnon') / 1024), file: Math.round(kb('RssFile') / 1024) };
}

async function startServer(store: string): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'llm386.cjs'), 'inspect', '--store', store, '--web'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolveUrl, rejectUrl) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolveUrl(line.trim()));
    child.once('exit', (code) => rejectUrl(new Error(`llm386 inspect exited with ${code}: ${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { url, child, stop };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
