// Measures index maintenance and retrieval at scale (not a test: timings depend on the machine).
//
//   npx tsx src-core/retrievers/measure-indexes.ts [blocks=100000] [batch=2000]
//
// Ingests `blocks` synthetic blocks of mixed kinds into one session (putMany + IndexSet.sync per
// batch, save at the end), reopens the store, then times snapshot loads and 50 retrieve calls per
// retriever for 5- and 30-word tasks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../store/index';
import { annRetriever } from './ann';
import { indexesFor } from './build';
import { Catalog } from './catalog';
import { bm25Retriever } from './bm25';
import { featureHashingEmbedder } from './embedders';
import { IndexSet } from './index-set';
import { lexicalRetriever } from './lexical';
import { recencyRetriever } from './recency';
import type { Retriever } from './retriever';

const BLOCKS = Number(process.argv[2] ?? 100_000);
const BATCH = Number(process.argv[3] ?? 2000);
const T0 = 1_700_000_000_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(7);
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'ta',
  'vo',
  'shi',
  'gen',
  'dar',
  'pel',
  'qu',
  'zon',
  'bri',
  'fet',
  'hal',
  'jor',
  'wix',
];
const words = Array.from({ length: 30_000 }, () => {
  let w = '';
  for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++)
    w += SYLLABLES[Math.floor(random() * SYLLABLES.length)] as string;
  return w;
});
/** Zipf-like text of about `chars` characters. */
function text(chars: number): string {
  let out = '';
  while (out.length < chars)
    out += `${out === '' ? '' : ' '}${words[Math.floor(Math.pow(random(), 2.2) * words.length)] as string}`;
  return out;
}
const KINDS = [
  'user-message',
  'assistant-message',
  'tool-result',
  'document-chunk',
  'fact',
] as const;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-measure-'));
  try {
    let store = Store.init(dir);
    const indexes = indexesFor(store, undefined);
    let storeMs = 0;
    let indexMs = 0;
    let storeCpu = 0;
    let indexCpu = 0;
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    for (let start = 0; start < BLOCKS; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, BLOCKS - start) }, (_, i) => {
        const kind = KINDS[Math.floor(random() * KINDS.length)] as (typeof KINDS)[number];
        const chars =
          kind === 'document-chunk'
            ? 1500
            : kind === 'tool-result'
              ? 600
              : 60 + Math.floor(random() * 400);
        return {
          session: 's',
          kind,
          body: `${text(chars)} #${start + i}`,
          createdAt: T0 + (start + i) * 1000,
        };
      });
      let t = performance.now();
      let c = process.cpuUsage();
      store.putMany(batch);
      storeMs += performance.now() - t;
      storeCpu += cpuMs(c);
      t = performance.now();
      c = process.cpuUsage();
      await indexes.sync();
      indexMs += performance.now() - t;
      indexCpu += cpuMs(c);
    }
    let t = performance.now();
    await indexes.save();
    const saveMs = performance.now() - t;
    const rate = (ms: number) => Math.round(BLOCKS / (ms / 1000));
    console.log(
      `ingest ${BLOCKS} blocks: store ${rate(storeMs)}/s, index maintenance ${rate(indexMs)}/s, save ${saveMs.toFixed(0)} ms, all together ${rate(storeMs + indexMs + saveMs)}/s`,
    );
    console.log(
      `  by CPU time (less sensitive to other load): store ${rate(storeCpu)}/s, index maintenance ${rate(indexCpu)}/s`,
    );
    store.close();

    store = Store.open(dir);
    const context = { store, catalog: Catalog.of(store) };
    t = performance.now();
    context.catalog.sync();
    context.catalog.ids(['s']);
    console.log(`load: catalog ${(performance.now() - t).toFixed(0)} ms`);
    const set = IndexSet.of(store);
    t = performance.now();
    await set.text.sync(['s']);
    console.log(`load: text snapshot ${(performance.now() - t).toFixed(0)} ms`);
    t = performance.now();
    await set.vectors(featureHashingEmbedder()).sync(['s']);
    console.log(`load: ann snapshot ${(performance.now() - t).toFixed(0)} ms`);
    console.log(
      `builds after reopen: ${JSON.stringify(Object.fromEntries(Object.entries(set.stats()).map(([k, v]) => [k, v.builds])))}`,
    );

    const tasks = (n: number) =>
      Array.from({ length: 55 }, () =>
        text(n * 8)
          .split(' ')
          .slice(0, n)
          .join(' '),
      );
    const retrievers: Retriever[] = [
      bm25Retriever(),
      annRetriever(),
      lexicalRetriever(),
      recencyRetriever(),
    ];
    for (const [label, list] of [
      ['5-word', tasks(5)],
      ['30-word', tasks(30)],
    ] as const) {
      for (const retriever of retrievers) {
        const times: number[] = [];
        let cpu = 0;
        for (const [i, task] of list.entries()) {
          const s = performance.now();
          const c = process.cpuUsage();
          await retriever.retrieve(
            { session: 's', sessions: ['s'], task, now: T0 + BLOCKS * 1000, limit: 1000 },
            context,
          );
          if (i < 5) continue; // the first few warm up the JIT
          times.push(performance.now() - s);
          cpu += cpuMs(c);
        }
        times.sort((a, b) => a - b);
        console.log(
          `retrieve ${retriever.name} ${label}: p50 ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, mean CPU ${(cpu / times.length).toFixed(2)} ms`,
        );
      }
    }
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
