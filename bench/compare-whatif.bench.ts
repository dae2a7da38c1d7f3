/// <reference lib="dom" />
// `npm run bench:inspector-compare`: the Compare and What-if views in Chromium against web mode,
// on a cached 100k-block store (bench/inspector-store.ts) with two consecutive ~128k-token turns.
// Needs the built app (`npm run build:cli && npx electron-vite build`) and /usr/bin/chromium (or
// PLAYWRIGHT_CHROMIUM_EXECUTABLE). BENCH_INSPECTOR_N sets the store size (default 100k).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { createApiHandlers } from '../src-main/api/handlers';
import { DEFAULT_CONFIG, Store } from '../src-core/index';
import { BENCH_BUDGET, inspectorStore, SMALL_BUDGET, type InspectorStore } from './inspector-store';
import { printTable, quantile, type Row } from './table';
import { apiHeaders } from './web-api';

const ROOT = join(__dirname, '..');
const N = Number(process.env.BENCH_INSPECTOR_N ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

async function startInspector(dir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'llm386.cjs'), 'inspect', '--store', dir, '--web'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) =>
      reject(new Error(`llm386 inspect exited with ${code}: run npm run build first`)),
    );
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** From a hash change to the prompt diff's rows on screen (no loading overlay); ms in the page. */
function openCompare(page: Page, hash: string): Promise<{ table: number; diff: number }> {
  return page.evaluate(async (target) => {
    const t0 = performance.now();
    let table = 0;
    window.location.hash = target;
    await new Promise<void>((resolve) => {
      const check = () => {
        if (table === 0 && document.querySelector('.diff-blocks') !== null)
          table = performance.now() - t0;
        const viewer = document.querySelector('.diff-viewer');
        const rows = viewer?.querySelectorAll('tbody tr').length ?? 0;
        if (rows > 0 && viewer?.querySelector('[aria-busy="true"]') === null) resolve();
        else requestAnimationFrame(check);
      };
      check();
    });
    return { table, diff: performance.now() - t0 };
  }, hash);
}

/** Sweeps the viewer's scroll area top to bottom in 60 frames; then waits for its last line. */
function sweep(
  page: Page,
  lastLine: number,
): Promise<{ maxFrame: number; medianFrame: number; reachedEnd: boolean; endMs: number }> {
  return page.evaluate(async (last) => {
    const scroller = [...document.querySelectorAll<HTMLElement>('.diff-viewer div')].find(
      (d) => d.style.overflowY === 'scroll',
    );
    if (scroller === undefined)
      return {
        maxFrame: Number.NaN,
        medianFrame: Number.NaN,
        reachedEnd: false,
        endMs: Number.NaN,
      };
    const frames: number[] = [];
    let before = performance.now();
    for (let i = 1; i <= 60; i++) {
      scroller.scrollTop = ((scroller.scrollHeight - scroller.clientHeight) * i) / 60;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      frames.push(now - before);
      before = now;
    }
    const t0 = performance.now();
    // The line number of the last line of b, in the right-hand gutter.
    const hasLast = () => {
      const rows = scroller.querySelectorAll('tbody tr');
      const final = rows[rows.length - 1];
      return (
        final !== undefined &&
        [...final.querySelectorAll('td')].some((td) => td.textContent === String(last))
      );
    };
    while (!hasLast() && performance.now() - t0 < 5000) {
      scroller.scrollTop = scroller.scrollHeight;
      await new Promise((r) => requestAnimationFrame(r));
    }
    frames.sort((a, b) => a - b);
    return {
      maxFrame: frames[frames.length - 1] ?? 0,
      medianFrame: frames[Math.floor(frames.length / 2)] ?? 0,
      reachedEnd: hasLast(),
      endMs: performance.now() - t0,
    };
  }, lastLine);
}

/** From a click on a what-if control to its result on screen; ms in the page. */
function whatIfClick(page: Page, button: string): Promise<number> {
  return page.evaluate(async (name) => {
    const summary = () => document.querySelector('[aria-label="Diff summary"]')?.textContent ?? '';
    const before = summary();
    const target = [...document.querySelectorAll('button')].find((b) => b.textContent === name);
    const t0 = performance.now();
    target?.click();
    await new Promise<void>((resolve) => {
      const check = () =>
        document.querySelector('.whatif-results')?.getAttribute('aria-busy') === 'false' &&
        summary() !== before
          ? resolve()
          : requestAnimationFrame(check);
      check();
    });
    return performance.now() - t0;
  }, button);
}

/** What-if runs on one turn: click Halve / Double budget in turn, each a new re-page. */
async function whatIfRows(
  page: Page,
  call: string,
  label: string,
  handlerMs: Record<string, number[]>,
): Promise<Row[]> {
  await page.evaluate((id) => (window.location.hash = `#/whatif?call=${id}`), call);
  await page
    .getByLabel('Diff summary')
    .filter({ hasText: '+0 -0 ~0 (+0 tokens)' })
    .waitFor({ timeout: 60_000 });
  handlerMs['whatif.run'] = [];
  const shown: number[] = [];
  for (let i = 0; i < RUNS; i++)
    shown.push(await whatIfClick(page, i % 2 === 0 ? 'Halve budget' : 'Double budget'));
  const p50 = quantile(shown, 0.5);
  return [
    {
      bench: `what-if, ${label}: click -> result shown (median of ${RUNS}; p90 ${fmt(quantile(shown, 0.9))})`,
      value: fmt(p50),
      target: '< 200 ms',
      ok: p50 < 200,
    },
    {
      bench: `what-if, ${label}: whatif.run in the inspector (median)`,
      value: fmt(quantile(handlerMs['whatif.run'] ?? [], 0.5)),
      target: '',
      ok: undefined,
    },
  ];
}

async function browserRows(built: InspectorStore): Promise<Row[]> {
  const { dir, calls } = built;
  const inspector = await startInspector(dir);
  const browser = await chromium.launch({
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const rows: Row[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx keeps function names with an `__name` helper that page.evaluate callbacks lack.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    const handlerMs: Record<string, number[]> = {};
    page.on('response', (response) => {
      const method = /\/api\/([\w.]+)$/.exec(response.url())?.[1];
      if (method === undefined) return;
      void response.json().then(
        (body: { value?: { ms?: number } }) => {
          if (typeof body.value?.ms === 'number') (handlerMs[method] ??= []).push(body.value.ms);
        },
        () => undefined,
      );
    });
    await page.goto(`${inspector.url}#/store`);
    await page.getByRole('heading', { name: 'Store' }).waitFor();
    const hash = `#/compare?a=${calls[0]}&b=${calls[1]}`;
    const info = (await page.evaluate(
      async ({ body, headers }) =>
        (await fetch('/api/compare.turns', { method: 'POST', headers, body })).json(),
      { body: JSON.stringify({ a: calls[0], b: calls[1] }), headers: apiHeaders(inspector.url) },
    )) as {
      value: {
        prompts: {
          a: { lines: number; chars: number; tokens: number };
          b: { lines: number; chars: number; tokens: number };
        };
        lines: { added: number; removed: number };
      };
    };
    const { a, b } = info.value.prompts;
    const cold = await openCompare(page, hash);
    const warm: { table: number; diff: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(() => (window.location.hash = '#/store'));
      await page.getByRole('heading', { name: 'Store' }).waitFor();
      warm.push(await openCompare(page, hash));
    }
    const scroll = await sweep(page, b.lines);
    const warmDiff = quantile(
      warm.map((w) => w.diff),
      0.5,
    );
    rows.push(
      {
        bench: `prompts compared: a ${a.tokens} / b ${b.tokens} tokens, ${a.lines} / ${b.lines} lines (−${info.value.lines.removed} +${info.value.lines.added})`,
        value: `${((a.chars + b.chars) / 1e6).toFixed(2)} MB of text`,
        target: '~128k tokens each',
        ok: undefined,
      },
      {
        bench: 'compare: hash change -> block diff table (first open)',
        value: fmt(cold.table),
        target: '',
        ok: undefined,
      },
      {
        bench:
          'compare: hash change -> prompt diff visible (first open in the page: the viewer chunk preloaded at idle, its worker cold)',
        value: fmt(cold.diff),
        target: '< 1000 ms',
        ok: cold.diff < 1000,
      },
      {
        bench: `compare: hash change -> prompt diff visible (median of ${RUNS} re-opens)`,
        value: fmt(warmDiff),
        target: '< 1000 ms',
        ok: warmDiff < 1000,
      },
      {
        bench: 'compare: compare.turns handler (median, main)',
        value: fmt(quantile(handlerMs['compare.turns'] ?? [], 0.5)),
        target: '',
        ok: undefined,
      },
      {
        bench: 'compare: scroll sweep top to bottom, 60 frames (median / worst frame)',
        value: `${fmt(scroll.medianFrame)} / ${fmt(scroll.maxFrame)}`,
        target: 'scrollable',
        ok: undefined,
      },
      {
        bench: 'compare: last line of b reached by scrolling',
        value: scroll.reachedEnd ? `yes (${fmt(scroll.endMs)} after the sweep)` : 'NO',
        target: 'every line reachable',
        ok: scroll.reachedEnd,
      },
    );

    rows.push(
      ...(await whatIfRows(page, calls[1], `${N} blocks, ${BENCH_BUDGET}-token turn`, handlerMs)),
    );
    rows.push(
      ...(await whatIfRows(
        page,
        built.small,
        `${N} blocks, ${SMALL_BUDGET}-token turn`,
        handlerMs,
      )),
    );
  } finally {
    await browser.close();
    inspector.stop();
  }
  return rows;
}

async function handlerRows(dir: string, call: string, budget: number): Promise<Row[]> {
  const store = Store.open(dir);
  try {
    const api = createApiHandlers({ store, config: DEFAULT_CONFIG });
    await api['whatif.run']({ callId: call });
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const result = await api['whatif.run']({
        callId: call,
        overrides: { budget: i % 2 === 0 ? budget / 2 : budget / 4 },
      });
      ms.push(performance.now() - t0);
      if (!result.ok) throw new Error(result.error.message);
    }
    const p50 = quantile(ms, 0.5);
    return [
      {
        bench: `what-if handler alone, in process, ${N} blocks, ${budget}-token turn (median of ${RUNS})`,
        value: fmt(p50),
        target: '< 200 ms',
        ok: p50 < 200,
      },
    ];
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const built = await inspectorStore(N);
  const setup: Row = {
    bench: `store: ${built.blocks} blocks, turns of ${built.tokens[0]} and ${built.tokens[1]} tokens`,
    value: built.buildSeconds === 0 ? 'cached' : `built in ${built.buildSeconds.toFixed(0)} s`,
    target: '',
    ok: undefined,
  };
  const rows = [
    setup,
    ...(await browserRows(built)),
    ...(await handlerRows(built.dir, built.calls[1], BENCH_BUDGET)),
    ...(await handlerRows(built.dir, built.small, SMALL_BUDGET)),
  ];
  // The machine's load matters on a shared box: every figure is wall time.
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  printTable(
    `inspector Compare and What-if (${N} blocks, Chromium, web mode; load average at the end ${load})`,
    rows,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
