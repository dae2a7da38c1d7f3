// Where a replay of a 100k-block turn spends its time (a diagnostic, not part of `npm run bench`):
// builds the store once in BENCH_DIR (kept), then times replay, its snapshot and its checks.
import { existsSync } from 'node:fs';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, Store, type ModelProfile } from '../src-core/index';
import { page } from '../src-core/pager/index';
import { snapshotOf } from '../src-core/pager/snapshot';
import { Catalog, DEFAULT_RETRIEVERS, indexesFor } from '../src-core/retrievers/index';
import {
  goneBlocks,
  getTrace,
  livePolicy,
  recordedPolicy,
  replay,
  tracedCall,
} from '../src-core/tracer/index';
import { ingestWithIndexes, mixedInputs, task } from './dataset';

const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const STACK = DEFAULT_RETRIEVERS.filter(
  (r) => r.kind === 'recency' || r.kind === 'bm25' || r.kind === 'ann',
);
const n = Number(process.env.BENCH_N ?? 100_000);
const dir = process.env.BENCH_DIR ?? `/tmp/llm386-replay-${n}`;

async function main(): Promise<void> {
  const fresh = !existsSync(dir);
  const store = fresh ? Store.init(dir, { countTokensWith: ['o200k_base'] }) : Store.open(dir);
  const { inputs, words } = mixedInputs(n, 'bench', 11);
  if (fresh) {
    indexesFor(store, STACK);
    await ingestWithIndexes(store, inputs);
  }
  const recorded = { ...recordedPolicy(DEFAULT_CONFIG), retrievers: STACK };
  const request = {
    session: 'bench',
    task: task(words, 5, 99),
    model: MODEL,
    budget: 128_000,
    now: 1_900_000_000_000,
  };
  const call = await tracedCall(store, request, recorded);
  await call.recorded;
  const record = getTrace(store, call.record.callId);
  const time = async (label: string, fn: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    console.log(label.padEnd(40), ms.map((x) => x.toFixed(1)).join(' '));
  };
  const policy = await livePolicy(recorded, store);
  await time('replay', () => replay(store, record.callId));
  if (process.env.REPLAY_ONLY !== undefined) {
    for (let i = 0; i < 3; i++) await time('replay', () => replay(store, record.callId));
    store.close();
    return;
  }
  await time('goneBlocks', () => goneBlocks(store, record));
  await time('snapshotOf', () =>
    snapshotOf(store, Catalog.of(store), ['bench'], { asOfSeq: record.plan.watermarkSeq }),
  );
  await time('page live', () => page(store, { ...request }, policy));
  const p = await page(store, { ...request, asOfSeq: record.plan.watermarkSeq }, policy);
  console.log(
    'timings at seq',
    JSON.stringify(
      Object.fromEntries(Object.entries(p.timings).map(([k, v]) => [k, Number(v.toFixed(1))])),
    ),
  );
  await time('page at seq', () =>
    page(store, { ...request, asOfSeq: record.plan.watermarkSeq }, policy),
  );
  store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
