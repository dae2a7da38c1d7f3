import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEncoding } from 'js-tiktoken';
import MiniSearch from 'minisearch';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, Store, type ModelProfile } from '../src-core/index';
import { packString, storeSource } from '../src-core/packer/index';
import { page } from '../src-core/pager/index';
import { recordedPolicy, livePolicy, runCall, tracedCall, replay } from '../src-core/tracer/index';
import { indexesFor, DEFAULT_RETRIEVERS } from '../src-core/retrievers/index';
import { getTokenizer } from '../src-core/tokenizer/index';
import { ingestWithIndexes, mixedInputs, task } from './dataset';
import { quantile, type Row } from './table';

const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const BUDGET = 128_000;
const STACK = DEFAULT_RETRIEVERS.filter(
  (r) => r.kind === 'recency' || r.kind === 'bm25' || r.kind === 'ann',
);

/** Page+pack benchmarks of issue 3 (and trace/replay costs of issue 4) at one session size. */
export async function pageBench(n: number, runs: number): Promise<{ rows: Row[]; stages: Row[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-page-bench-'));
  const rows: Row[] = [];
  const stages: Row[] = [];
  getTokenizer('o200k_base');
  try {
    let store = Store.init(dir, { countTokensWith: ['o200k_base'] });
    const { inputs, words } = mixedInputs(n, 'bench', 11);
    indexesFor(store, STACK);
    const rate = await ingestWithIndexes(store, inputs);
    rows.push({
      bench: `ingest ${n} mixed blocks, all indexes on`,
      value: `${Math.round(rate)} blocks/s`,
      target: n >= 1_000_000 ? '>= 10000 blocks/s' : '>= 5000 blocks/s',
      ok: rate >= (n >= 1_000_000 ? 10_000 : 5000),
    });

    const recorded = { ...recordedPolicy(DEFAULT_CONFIG), retrievers: STACK };
    const measure = async (target: Store, label: string) => {
      const policy = await livePolicy(recorded, target);
      for (const words_ of [5, 30]) {
        const totals: number[] = [];
        const perStage = new Map<string, number[]>();
        for (let i = 0; i < runs + 3; i++) {
          const t0 = performance.now();
          const plan = await page(
            target,
            { session: 'bench', task: task(words, words_, i), model: MODEL, budget: BUDGET },
            policy,
          );
          const t1 = performance.now();
          const packed = packString(plan, storeSource(target, plan));
          const t2 = performance.now();
          if (packed.tokens > BUDGET) throw new Error('over budget');
          if (i < 3) continue; // warm-up: first calls load indexes and token counts
          totals.push(t2 - t0);
          for (const [k, v] of Object.entries({ ...plan.timings, pack: t2 - t1 })) {
            if (k === 'total') continue;
            const list = perStage.get(k) ?? [];
            list.push(v);
            perStage.set(k, list);
          }
        }
        const p50 = quantile(totals, 0.5);
        const p95 = quantile(totals, 0.95);
        // Issue 16's targets: 100k blocks p50 <= 12 ms and p95 <= 25 ms; 1M blocks p50 <= 25 ms.
        const goal =
          n >= 1_000_000
            ? { text: 'p50 <= 25 ms', ok: p50 <= 25 }
            : n >= 100_000
              ? { text: 'p50 <= 12 ms, p95 <= 25 ms', ok: p50 <= 12 && p95 <= 25 }
              : undefined;
        rows.push({
          bench: `page+pack ${n} blocks, ${words_}-word task (recency+bm25+ann, 128k)${label}`,
          // The fastest call shows the cost without the shared machine's scheduling noise.
          value: `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (fastest ${Math.min(...totals).toFixed(1)} ms)`,
          target: goal?.text ?? '',
          ok: goal?.ok,
        });
        for (const [k, v] of perStage)
          stages.push({
            bench: `${n} blocks, ${words_}-word${label}: ${k}`,
            value: `${quantile(v, 0.5).toFixed(2)} ms`,
            target: '',
            ok: undefined,
          });
      }
    };
    // In the process that just ingested the session (its in-memory catalog and caches grew by
    // appends), then in a new process's view of the same store (as `llm386 page`, a restarted agent
    // or the inspector see it): the store is closed and opened again, every in-memory cache cold.
    await measure(store, '');
    store.close();
    store = Store.open(dir);
    indexesFor(store, STACK);
    await measure(store, ', reopened store');
    // What the open store costs in memory once it has paged (catalog, indexes, caches, mapped pages).
    globalThis.gc?.();
    const mem = process.memoryUsage();
    rows.push({
      bench: `memory after paging the reopened ${n}-block store (run with --expose-gc for a settled heap)`,
      value: `rss ${(mem.rss / 2 ** 20).toFixed(0)} MB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, external ${(mem.external / 2 ** 20).toFixed(0)} MB: ${Math.round(mem.rss / n)} bytes/block (rss), ${Math.round(mem.heapUsed / n)} (heap)`,
      target: '',
      ok: undefined,
    });

    // Baseline: what a developer would write instead of LLM386. One persistent minisearch index
    // (built once, outside the timing, and kept), queried per call; its top hits, then the newest
    // messages, each counted with js-tiktoken until the budget is full; concatenated.
    const ids = store.listIds('bench');
    const texts = new Map<string, string>(
      ids.map((id) => [id, store.text(store.requireRecord(id))]),
    );
    const index = new MiniSearch<{ id: string; text: string }>({ fields: ['text'] });
    index.addAll(ids.map((id) => ({ id, text: texts.get(id) as string })));
    const enc = getEncoding('o200k_base');
    const baseline: number[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(runs / 3)); i++) {
      const t0 = performance.now();
      const taken = new Set<string>();
      const parts: string[] = [];
      let used = 0;
      const take = (id: string, limit: number): boolean => {
        if (taken.has(id)) return true;
        const text = texts.get(id) as string;
        const t = enc.encode(text).length;
        if (used + t > limit) return false;
        used += t;
        taken.add(id);
        parts.push(text);
        return true;
      };
      for (const hit of index.search(task(words, 5, i)))
        if (!take(hit.id as string, BUDGET / 2)) break;
      for (let j = ids.length - 1; j >= 0; j--) if (!take(ids[j] as string, BUDGET)) break;
      const prompt = parts.join('\n');
      if (prompt.length === 0) throw new Error('empty baseline prompt');
      baseline.push(performance.now() - t0);
    }
    const baseMed = quantile(baseline, 0.5);
    const ours = Number.parseFloat((rows[1]?.value ?? '').split(' ')[1] ?? 'NaN');
    rows.push({
      bench: `baseline ${n} blocks: persistent minisearch top hits + newest messages, js-tiktoken counts, concatenated`,
      value: `p50 ${baseMed.toFixed(1)} ms (LLM386 page+pack is ${(ours / baseMed).toFixed(2)}x its time)`,
      target: '',
      ok: undefined,
    });

    // Trace cost and replay.
    const request = {
      session: 'bench',
      task: task(words, 5, 99),
      model: MODEL,
      budget: BUDGET,
      now: 1_900_000_000_000,
    };
    const plain: number[] = [];
    const traced: number[] = [];
    const writes: number[] = [];
    const recording: number[] = [];
    let callId = '';
    // Interleaved, and enough pairs that the difference of medians is not the machine's noise.
    for (let i = 0; i < 20; i++) {
      let t = performance.now();
      await runCall(store, request, recorded);
      plain.push(performance.now() - t);
      t = performance.now();
      const call = await tracedCall(store, request, recorded);
      traced.push(performance.now() - t);
      recording.push(call.timings.trace ?? Number.NaN);
      // The record is written behind the call (while a model would be answering): timed apart.
      t = performance.now();
      await call.recorded;
      writes.push(performance.now() - t);
      callId = call.record.callId;
    }
    const extra = quantile(traced, 0.5) - quantile(plain, 0.5);
    if (n === 10_000) {
      rows.push({
        bench: `trace recording: added to the page+pack at ${n} blocks`,
        value: `${extra.toFixed(2)} ms`,
        target: '<= 2 ms',
        ok: extra <= 2,
      });
      rows.push({
        bench: `trace recording: building the record inside the call`,
        value: `${quantile(recording, 0.5).toFixed(3)} ms`,
        target: '',
        ok: undefined,
      });
      rows.push({
        bench: `trace recording: the write behind the call`,
        value: `${quantile(writes, 0.5).toFixed(1)} ms`,
        target: '',
        ok: undefined,
      });
    }
    const replays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const report = await replay(store, callId);
      replays.push(performance.now() - t);
      if (!report.identical) throw new Error('replay not identical');
    }
    const rep = quantile(replays, 0.5);
    rows.push({
      bench: `replay of a ${n}-block turn (identical)`,
      value: `${rep.toFixed(1)} ms`,
      target: n >= 100_000 ? '< 200 ms' : '',
      ok: n >= 100_000 ? rep < 200 : undefined,
    });
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, stages };
}
