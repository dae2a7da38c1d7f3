// page + pack of two versions in one process, call by call (a diagnostic, not part of `npm run
// bench`): on this shared 2-core machine the same commit moves 20-30% between bench runs, so a
// before/after comparison alternates the two versions over the same tasks instead. Each version
// runs its own modules on its own copy of the same 100k-block store (bench/page-profile.ts builds
// one: BENCH_DIR=DIR npx tsx bench/page-profile.ts, run from each checkout).
//   AB_ROOT=/path/to/other/checkout AB_DIR=its-store [B_DIR=this-store] [RUNS=80] npx tsx bench/page-ab.ts
// Prints per-stage medians (A / B), wall and CPU p50, and the median of the paired differences.
import { mixedInputs, task } from './dataset';

interface Call {
  wall: number;
  cpu: number;
  stages: Record<string, number>;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

async function load(root: string, dir: string): Promise<(task: string) => Promise<Call>> {
  const core = await import(`${root}/src-core/index`);
  const packer = await import(`${root}/src-core/packer/index`);
  const pager = await import(`${root}/src-core/pager/index`);
  const retrievers = await import(`${root}/src-core/retrievers/index`);
  const tracer = await import(`${root}/src-core/tracer/index`);
  const model = core.BUILTIN_PROFILES.find((p: { name: string }) => p.name === 'gpt-4o');
  const stack = retrievers.DEFAULT_RETRIEVERS.filter((r: { kind: string }) =>
    ['recency', 'bm25', 'ann'].includes(r.kind),
  );
  const store = core.Store.open(dir);
  retrievers.indexesFor(store, stack);
  const policy = await tracer.livePolicy(
    { ...tracer.recordedPolicy(core.DEFAULT_CONFIG), retrievers: stack },
    store,
  );
  return async (text) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const plan = await pager.page(
      store,
      { session: 'bench', task: text, model, budget: 128_000 },
      policy,
    );
    const t1 = performance.now();
    packer.packString(plan, packer.storeSource(store, plan));
    const c = process.cpuUsage(c0);
    return {
      wall: performance.now() - t0,
      cpu: (c.user + c.system) / 1000,
      stages: { ...plan.timings, pack: performance.now() - t1 },
    };
  };
}

async function main(): Promise<void> {
  const other = process.env['AB_ROOT'];
  const otherDir = process.env['AB_DIR'];
  if (other === undefined || otherDir === undefined)
    throw new Error('set AB_ROOT (the other checkout) and AB_DIR (its copy of the store)');
  const { words } = mixedInputs(100_000, 'bench', 11);
  const a = await load(other, otherDir);
  const b = await load(`${__dirname}/..`, process.env['B_DIR'] ?? '/tmp/llm386-replay-100000');
  for (let i = 0; i < 6; i++) {
    await a(task(words, 5, i));
    await b(task(words, 5, i));
  }
  const runs = Number(process.env['RUNS'] ?? 80);
  for (const n of [5, 30]) {
    const calls: { a: Call; b: Call }[] = [];
    for (let i = 0; i < runs; i++) {
      const text = task(words, n, 1000 + i);
      // Alternate which goes first, so neither always runs on a cache the other warmed.
      if (i % 2 === 0) {
        const ra = await a(text);
        calls.push({ a: ra, b: await b(text) });
      } else {
        const rb = await b(text);
        calls.push({ a: await a(text), b: rb });
      }
    }
    const stages = [
      ...new Set(calls.flatMap((c) => [...Object.keys(c.a.stages), ...Object.keys(c.b.stages)])),
    ];
    const of = (side: 'a' | 'b', k: string) => {
      const xs = calls.map((c) => c[side].stages[k]).filter((x): x is number => x !== undefined);
      return xs.length === 0 ? '-' : median(xs).toFixed(2);
    };
    console.log(
      `${n}-word stages (A / B): ${stages.map((k) => `${k} ${of('a', k)} / ${of('b', k)}`).join(', ')}`,
    );
    console.log(
      `${n}-word, ${runs} calls each: wall p50 A ${median(calls.map((c) => c.a.wall)).toFixed(1)} B ${median(calls.map((c) => c.b.wall)).toFixed(1)}; ` +
        `CPU p50 A ${median(calls.map((c) => c.a.cpu)).toFixed(1)} B ${median(calls.map((c) => c.b.cpu)).toFixed(1)}; ` +
        `paired B - A median ${median(calls.map((c) => c.b.wall - c.a.wall)).toFixed(1)} ms`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
