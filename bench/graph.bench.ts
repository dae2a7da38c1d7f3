// `npm run bench:graph`: the Graph view at 500 and 2,000 nodes, in Chromium against web mode.
// Builds a store whose typed-edge graph is a tree (4 children per block, plus some cross edges),
// serves it with the real inspector server, opens `#/graph?block=ROOT&depth=6&max=N` and reads:
// the API time of graph.around; the time the view reports from building the cytoscape graph to a
// laid-out, drawn canvas, split into building, fcose and drawing; the view's fcose settings timed
// alone in a headless cytoscape; the time from navigation to a laid-out graph; and frame times
// while zooming with the mouse wheel (is it still responsive?). Needs `npm run build`. On a shared
// machine the load average printed with each table says how far to trust the figures.
// BENCH_GRAPH_SIZES (default 500,2000), BENCH_GRAPH_RUNS (default 3), PLAYWRIGHT_CHROMIUM_EXECUTABLE.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { layoutGraph, layoutOptions } from '../src-renderer/lib/graph-layout';
import { Store, type PutInput } from '../src-core/index';
import { startInspectServer } from '../src-main/web/inspect-server';
import { printTable, quantile, type Row } from './table';
import { apiHeaders } from './web-api';

const ROOT = join(__dirname, '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const LAYOUT_TARGET_MS = 1000;
const LARGE_GRAPH = 600; // src-renderer/lib/graph-style.ts

/** The view's fcose settings timed in a headless cytoscape (no drawing): the layout's own cost. */
function headlessLayout(n: number, runs: number): number[] {
  const elements: cytoscape.ElementDefinition[] = Array.from({ length: n }, (_, i) => ({
    group: 'nodes' as const,
    data: { id: `n${i}` },
  }));
  for (let i = 1; i < n; i++)
    elements.push({
      group: 'edges',
      data: { id: `e${i}`, source: `n${i}`, target: `n${Math.floor((i - 1) / 4)}` },
    });
  for (let i = 10; i < n; i += 10)
    if ((i * 7919) % n !== i)
      elements.push({
        group: 'edges',
        data: { id: `s${i}`, source: `n${i}`, target: `n${(i * 7919) % n}` },
      });
  const times: number[] = [];
  for (let run = 0; run < runs + 1; run++) {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      elements,
      style: [{ selector: 'node', style: { width: 14, height: 14 } }],
    });
    const t = performance.now();
    cy.layout(layoutOptions(n, n > LARGE_GRAPH) as cytoscape.LayoutOptions).run();
    // The first run warms the JIT up.
    if (run > 0) times.push(performance.now() - t);
    cy.destroy();
  }
  return times;
}

/**
 * The view's whole layout (fcose on the blocks with edges, a grid for the rest) timed headless on
 * a big turn's shape: `n` candidates of which about 3% have edges (a few stars, as tool pairs and
 * dependencies make), the rest unconnected in three sections.
 */
function headlessTurnLayout(n: number, runs: number): { times: number[]; edges: number } {
  const sections = ['recent', 'retrieved', 'background'];
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `n${i}`,
    section: sections[i % 3] as string,
  }));
  const elements: cytoscape.ElementDefinition[] = nodes.map((node) => ({
    group: 'nodes' as const,
    data: { id: node.id },
  }));
  const linked = Math.round(n * 0.03);
  for (let i = 1; i < linked; i++)
    elements.push({ group: 'edges', data: { id: `e${i}`, source: `n${i}`, target: `n${i % 6}` } });
  const times: number[] = [];
  for (let run = 0; run < runs + 1; run++) {
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      elements,
      style: [{ selector: 'node', style: { width: 14, height: 14 } }],
    });
    const t = performance.now();
    layoutGraph(cy, nodes, n > LARGE_GRAPH);
    if (run > 0) times.push(performance.now() - t);
    cy.destroy();
  }
  return { times, edges: linked - 1 };
}

/** A store of `n` facts linked as a 4-ary tree by `derived-from`, with every 10th block also `supports` another. */
function buildStore(dir: string, n: number): string {
  const store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  const inputs: PutInput[] = Array.from({ length: n }, (_, i) => ({
    session: 'graph',
    kind: i % 7 === 0 ? 'summary' : 'fact',
    body: `block ${i}: a node of the benchmark graph`,
    createdAt: t0 + i,
  }));
  const ids = store.putMany(inputs).map((r) => r.block.id);
  const edges: { from: string; kind: string; to: string }[] = [];
  for (let i = 1; i < n; i++)
    edges.push({
      from: ids[i] as string,
      kind: 'derived-from',
      to: ids[Math.floor((i - 1) / 4)] as string,
    });
  for (let i = 10; i < n; i += 10)
    edges.push({ from: ids[i] as string, kind: 'supports', to: ids[(i * 7919) % n] as string });
  store.commit(
    [],
    edges.filter((e) => e.from !== e.to),
  );
  const root = ids[0] as string;
  store.close();
  return root;
}

async function main(): Promise<void> {
  cytoscape.use(fcose);
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('the renderer is not built: run `npm run build` first');
  const sizes = (process.env.BENCH_GRAPH_SIZES ?? '500,2000').split(',').map(Number);
  const runs = Number(process.env.BENCH_GRAPH_RUNS ?? 3);
  const executablePath =
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ||
    (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    ...(executablePath === undefined ? {} : { executablePath }),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const scratch = mkdtempSync(join(tmpdir(), 'llm386-bench-graph-'));
  try {
    for (const n of sizes) {
      const dir = join(scratch, `store-${n}`);
      const root = buildStore(dir, n);
      const server = await startInspectServer({
        storeDir: dir,
        rendererDir: RENDERER,
        bundlesDir: join(scratch, 'bundles'),
      });
      const layouts: number[] = [];
      const apiTimes: number[] = [];
      const toGraph: number[] = [];
      const frames: number[] = [];
      const creates: number[] = [];
      const fcoses: number[] = [];
      const mounts: number[] = [];
      let shown = '';
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        await page.goto(server.url);
        await page
          .getByRole('heading', { name: 'Sessions' })
          .waitFor()
          .catch(() => undefined);
        for (let run = 0; run < runs; run++) {
          // The API call on its own.
          apiTimes.push(
            await page.evaluate(
              async ([block, max, headers]) => {
                const t = performance.now();
                await (
                  await fetch('/api/graph.around', {
                    method: 'POST',
                    headers,
                    body: JSON.stringify({ block, depth: 6, maxNodes: max }),
                  })
                ).json();
                return performance.now() - t;
              },
              [root, n, apiHeaders(server.url)] as const,
            ),
          );
          await page.goto('about:blank');
          const started = Date.now();
          await page.goto(`${server.url}#/graph?block=${root}&depth=6&max=${n}`);
          // Checked on every animation frame: a locator's waitFor re-checks up to a second apart.
          await page.waitForFunction(
            () =>
              Array.from(document.querySelectorAll('span[title^="creating the graph"]')).some((e) =>
                /layout [\d,]+ ms/.test(e.textContent ?? ''),
              ),
            undefined,
            { polling: 'raf', timeout: 60_000 },
          );
          toGraph.push(Date.now() - started);
          const layout = page.getByText(/layout [\d,]+ ms/);
          layouts.push(Number(((await layout.textContent()) ?? '').replace(/[^\d]/g, '')));
          const parts = /creating the graph (\d+) ms, fcose (\d+) ms, drawing (\d+) ms/.exec(
            (await layout.getAttribute('title')) ?? '',
          );
          creates.push(Number(parts?.[1]));
          fcoses.push(Number(parts?.[2]));
          mounts.push(Number(parts?.[3]));
          shown = (await page.getByRole('status', { name: 'Graph size' }).textContent()) ?? '';
          // Responsiveness: frame intervals while the wheel zooms in and out.
          const canvas = page.getByRole('img', { name: /^Graph of/ });
          const box = await canvas.boundingBox();
          if (box !== null) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
          // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
          await page.evaluate(`(() => {
            window.frames_ = [];
            let last = performance.now();
            const tick = (now) => {
              window.frames_.push(now - last);
              last = now;
              if (window.frames_.length < 400) requestAnimationFrame(tick);
            };
            requestAnimationFrame(tick);
          })()`);
          for (let i = 0; i < 20; i++) await page.mouse.wheel(0, i < 10 ? -120 : 120);
          frames.push(...((await page.evaluate('window.frames_.slice(1)')) as number[]));
        }
        await page.close();
      } finally {
        await server.close();
      }
      const median = (v: number[]) => quantile(v, 0.5);
      const headless = headlessLayout(n, runs);
      const turn = headlessTurnLayout(n, runs);
      const rows: Row[] = [
        { bench: 'graph shown', value: shown, target: `${n} blocks`, ok: undefined },
        {
          bench: 'graph.around API (median)',
          value: `${median(apiTimes).toFixed(0)} ms`,
          target: '',
          ok: undefined,
        },
        {
          bench: 'laid out and drawn: build + fcose + draw (median)',
          value: `${median(layouts).toFixed(0)} ms`,
          target: `< ${LAYOUT_TARGET_MS} ms`,
          ok: median(layouts) < LAYOUT_TARGET_MS,
        },
        {
          bench: 'laid out and drawn (max)',
          value: `${Math.max(...layouts).toFixed(0)} ms`,
          target: `< ${LAYOUT_TARGET_MS} ms`,
          ok: Math.max(...layouts) < LAYOUT_TARGET_MS,
        },
        {
          bench: '  of which building the graph (median)',
          value: `${median(creates).toFixed(0)} ms`,
          target: '',
          ok: undefined,
        },
        {
          bench: '  of which fcose (median)',
          value: `${median(fcoses).toFixed(0)} ms`,
          target: '',
          ok: undefined,
        },
        {
          bench: '  of which drawing (median)',
          value: `${median(mounts).toFixed(0)} ms`,
          target: '',
          ok: undefined,
        },
        {
          bench: 'fcose alone, headless Node (median / min)',
          value: `${median(headless).toFixed(0)} / ${Math.min(...headless).toFixed(0)} ms`,
          target: `< ${LAYOUT_TARGET_MS} ms`,
          ok: median(headless) < LAYOUT_TARGET_MS,
        },
        {
          bench: `turn shape (${n} nodes, ${turn.edges} edges, rest unconnected): whole layout headless (median / min)`,
          value: `${median(turn.times).toFixed(0)} / ${Math.min(...turn.times).toFixed(0)} ms`,
          target: `< ${LAYOUT_TARGET_MS} ms`,
          ok: median(turn.times) < LAYOUT_TARGET_MS,
        },
        {
          bench: 'navigation to laid-out graph (median)',
          value: `${median(toGraph).toFixed(0)} ms`,
          target: '',
          ok: undefined,
        },
        {
          bench: 'frame interval while zooming (p50 / p95)',
          value: `${quantile(frames, 0.5).toFixed(0)} / ${quantile(frames, 0.95).toFixed(0)} ms`,
          target: 'p95 < 100 ms',
          ok: quantile(frames, 0.95) < 100,
        },
      ];
      printTable(
        `graph view, ${n} nodes (${runs} runs, Chromium, web mode; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} on ${cpus().length} cores)`,
        rows,
      );
    }
  } finally {
    await browser.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
