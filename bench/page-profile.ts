// Where page + pack at 100k blocks spends its time (a diagnostic, not part of `npm run bench`):
// opens (or builds once) the store of bench/replay-profile.ts in BENCH_DIR, warms up, then
// samples the CPU over PROFILE_RUNS calls and prints the functions with the most self time and
// the pager's own stage timings.
import { existsSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, Store, type ModelProfile } from '../src-core/index';
import { packString, storeSource } from '../src-core/packer/index';
import { page } from '../src-core/pager/index';
import { DEFAULT_RETRIEVERS, indexesFor } from '../src-core/retrievers/index';
import { livePolicy, recordedPolicy } from '../src-core/tracer/index';
import { ingestWithIndexes, mixedInputs, task } from './dataset';

const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const STACK = DEFAULT_RETRIEVERS.filter(
  (r) => r.kind === 'recency' || r.kind === 'bm25' || r.kind === 'ann',
);
const n = Number(process.env.BENCH_N ?? 100_000);
const dir = process.env.BENCH_DIR ?? `/tmp/llm386-replay-${n}`;
const runs = Number(process.env.PROFILE_RUNS ?? 40);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

async function main(): Promise<void> {
  const fresh = !existsSync(dir);
  const store = fresh ? Store.init(dir, { countTokensWith: ['o200k_base'] }) : Store.open(dir);
  const { inputs, words } = mixedInputs(n, 'bench', 11);
  indexesFor(store, STACK);
  if (fresh) await ingestWithIndexes(store, inputs);
  const policy = await livePolicy({ ...recordedPolicy(DEFAULT_CONFIG), retrievers: STACK }, store);
  const call = async (i: number) => {
    const t0 = performance.now();
    const plan = await page(
      store,
      { session: 'bench', task: task(words, 5, i), model: MODEL, budget: 128_000 },
      policy,
    );
    const t1 = performance.now();
    packString(plan, storeSource(store, plan));
    return { total: performance.now() - t0, pack: performance.now() - t1, timings: plan.timings };
  };
  for (let i = 0; i < 5; i++) await call(i);
  const totals: number[] = [];
  const stages = new Map<string, number[]>();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  for (let i = 0; i < runs; i++) {
    const r = await call(100 + i);
    totals.push(r.total);
    for (const [k, v] of Object.entries({ ...r.timings, pack: r.pack }))
      stages.set(k, [...(stages.get(k) ?? []), v]);
  }
  const { profile } = (await session.post('Profiler.stop')) as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  console.log(
    `page+pack ${n} blocks, ${runs} calls under the profiler: p50 ${median(totals).toFixed(1)} ms`,
  );
  console.log(
    'stage medians:',
    [...stages].map(([k, v]) => `${k} ${median(v).toFixed(2)}`).join(', '),
  );
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src-core|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`self time per call (ms), top 40 of ${total.toFixed(0)} ms sampled:`);
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${(ms / runs).toFixed(2).padStart(7)}  ${key}`);
  // Natives and anonymous functions: who calls them (PROFILE_CALLERS=1).
  if (process.env.PROFILE_CALLERS !== undefined) {
    const parent = new Map<number, number>();
    for (const node of profile.nodes as (ProfileNode & { children?: number[] })[])
      for (const child of node.children ?? []) parent.set(child, node.id);
    const callers = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      if (node === undefined || node.callFrame.url !== '') return;
      let up = parent.get(id);
      const chain: string[] = [node.callFrame.functionName || '(anonymous)'];
      while (up !== undefined && chain.length < 4) {
        const f = (byId.get(up) as ProfileNode).callFrame;
        chain.push(`${f.functionName || '(anon)'}@${f.url.replace(/^.*\//, '')}`);
        up = parent.get(up);
      }
      const key = chain.join(' < ');
      callers.set(key, (callers.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [key, ms] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`${(ms / runs).toFixed(2).padStart(7)}  ${key}`);
  }
  // Inclusive time (PROFILE_INCLUSIVE=1): each function counted once per sample it is on the stack of.
  if (process.env.PROFILE_INCLUSIVE !== undefined) {
    const parent = new Map<number, number>();
    for (const node of profile.nodes as (ProfileNode & { children?: number[] })[])
      for (const child of node.children ?? []) parent.set(child, node.id);
    const inclusive = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = (byId.get(at) as ProfileNode).callFrame;
        if (f.url === '') continue;
        seen.add(
          `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src-core|node_modules)\//, '$1/')}`,
        );
      }
      for (const key of seen)
        inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    console.log('inclusive time per call (ms), top 100:');
    for (const [key, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 100))
      console.log(`${(ms / runs).toFixed(2).padStart(7)}  ${key}`);
  }
  store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
