// `npx tsx bench/turns-view.bench.ts [DIR]`: the Turns view's user turns, per-call facts and
// search, and the Store view's turns and tokens per session, in Chromium over web mode, on the
// inspector bench store (100k blocks, 1,000 turns; built by `npm run bench:inspector` into DIR,
// default $LLM386_BENCH_DIR or /tmp/llm386-inspector-bench). Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { BENCH_SESSION, type InspectorData } from './inspector-data';
import { printTable, type Row } from './table';

const ROOT = resolve(__dirname, '..');
const DIR = process.argv[2] ?? process.env['LLM386_BENCH_DIR'] ?? '/tmp/llm386-inspector-bench';
const CHROMIUM =
  process.env['PLAYWRIGHT_CHROMIUM_EXECUTABLE'] ||
  (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const RUNS = 3;

async function main(): Promise<void> {
  const marker = join(DIR, 'bench-data.json');
  if (!existsSync(marker))
    throw new Error(
      `${marker} is missing: run \`npm run bench:inspector\` once to build the bench store`,
    );
  const data = JSON.parse(readFileSync(marker, 'utf8')) as InspectorData;
  const server = await startServer(join(DIR, 'store'));
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
  const rows: Row[] = [];
  try {
    const times = {
      listed: [] as number[],
      facts: [] as number[],
      search: [] as number[],
      store: [] as number[],
      tokens: [] as number[],
    };
    for (let run = 0; run < RUNS; run++) {
      // A fresh page per run; the server keeps what it decoded (the second and later runs are warm).
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto('about:blank');
      let t = performance.now();
      await page.goto(`${server.url}#/turns?session=${BENCH_SESSION}`);
      // The table is virtualised (only the rows on screen are in the DOM): listed is what a user
      // sees, the count of all the turns and rows down to the bottom of the table's scroll area.
      await waitFor(
        page,
        (n) => {
          const count = document.querySelector('.turns-view .count')?.textContent ?? '';
          const scroll = document.querySelector('.turns-scroll');
          const rows = document.querySelectorAll('table[aria-label=Turns] tbody tr:not(.spacer)');
          const last = rows[rows.length - 1];
          return (
            count.startsWith(`${n.toLocaleString('en-US')} turns`) &&
            scroll !== null &&
            last !== undefined &&
            last.getBoundingClientRect().bottom >= scroll.getBoundingClientRect().bottom
          );
        },
        data.turns,
      );
      times.listed.push(performance.now() - t);
      // Every call's facts arrived (the table is no longer busy) and the rows on screen show their
      // output, latency, usage and cost (no cell still says '…').
      await waitFor(
        page,
        () =>
          document.querySelector('table[aria-label=Turns]')?.getAttribute('aria-busy') ===
            'false' &&
          document.querySelectorAll('table[aria-label=Turns] td').length > 0 &&
          ![...document.querySelectorAll('table[aria-label=Turns] td')].some(
            (td) => td.textContent === '…',
          ),
        0,
      );
      times.facts.push(performance.now() - t);
      t = performance.now();
      await page.goto(
        `${server.url}#/turns?session=${BENCH_SESSION}&q=${encodeURIComponent(`${data.word} ${run}`)}`,
      );
      await waitFor(
        page,
        () =>
          /match/.test(document.querySelector('.count')?.textContent ?? '') ||
          document.body.textContent?.includes('No turn matches') === true,
        0,
      );
      times.search.push(performance.now() - t);
      t = performance.now();
      await page.goto(`${server.url}#/store`);
      await waitFor(
        page,
        (n) =>
          (document.querySelector('table[aria-label=Sessions]')?.textContent ?? '').includes(
            `${n.toLocaleString('en-US')} turns`,
          ),
        data.turns,
      );
      times.store.push(performance.now() - t);
      // The Tokens column (second cell of the row) holds a number once the blocks' tokens are counted.
      await waitFor(
        page,
        () =>
          /^[\d,]+$/.test(
            document.querySelector('table[aria-label=Sessions] tbody tr td:nth-of-type(2)')
              ?.textContent ?? '',
          ),
        0,
      );
      times.tokens.push(performance.now() - t);
      await page.close();
    }
    const fmt = (xs: number[]) => `${xs.map((x) => Math.round(x)).join(' / ')} ms`;
    rows.push({
      bench: `Turns: page load -> ${data.turns} turns listed in their user turns (first screen rendered, count shown; cold, then warm)`,
      value: fmt(times.listed),
      target: 'README figure 201-252 ms',
      ok: undefined,
    });
    rows.push({
      bench: `Turns: page load -> output, latency, usage and cost of all ${data.turns} calls`,
      value: fmt(times.facts),
      target: '< 1000 ms warm',
      ok: (times.facts[RUNS - 1] ?? Infinity) < 1000,
    });
    rows.push({
      bench: 'Turns: search across tasks, outputs and blocks (URL -> result)',
      value: fmt(times.search),
      target: '< 1000 ms',
      ok: Math.max(...times.search) < 1000,
    });
    rows.push({
      bench: 'Store: page load -> turns per session',
      value: fmt(times.store),
      target: '< 1000 ms',
      ok: Math.max(...times.store) < 1000,
    });
    rows.push({
      bench: `Store: page load -> tokens per session (${data.blocks} blocks; cold, then kept)`,
      value: fmt(times.tokens),
      target: '< 1000 ms warm',
      ok: (times.tokens[RUNS - 1] ?? Infinity) < 1000,
    });
  } finally {
    await browser.close();
    await server.stop();
  }
  printTable(`Turns and Store views, web mode (${DIR})`, rows);
}

async function waitFor(page: Page, predicate: (n: number) => boolean, arg: number): Promise<void> {
  await page.waitForFunction(predicate, arg, { polling: 'raf', timeout: 120_000 });
}

async function startServer(store: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'llm386.cjs'), 'inspect', '--store', store, '--web'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', (line) => done(line.trim()));
    child.once('exit', (code) => fail(new Error(`llm386 inspect exited with ${code}: ${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
