// The big store of the inspector benchmarks, built once and cached under /tmp (BENCH_INSPECTOR_DIR
// to move it): a 100k-block mixed session with every index, and two consecutive traced turns of a
// conversation (turn 2 adds a few messages and asks a follow-up) whose prompts fill a 128k budget.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, Store, type ModelProfile } from '../src-core/index';
import { DEFAULT_RETRIEVERS, indexesFor } from '../src-core/retrievers/index';
import { getTokenizer } from '../src-core/tokenizer/index';
import { recordedPolicy, tracedCall } from '../src-core/tracer/index';
import { ingestWithIndexes, mixedInputs, task } from './dataset';

export const BENCH_SESSION = 'bench';
export const BENCH_BUDGET = 128_000;
const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const STACK = DEFAULT_RETRIEVERS.filter(
  (r) => r.kind === 'recency' || r.kind === 'bm25' || r.kind === 'ann',
);
const VERSION = 2;
/** The input budget of the small turn (a what-if whose fill is cheap). */
export const SMALL_BUDGET = 8_192;

export interface InspectorStore {
  readonly dir: string;
  readonly blocks: number;
  /** Call ids of the two consecutive turns. */
  readonly calls: readonly [string, string];
  /** Call id of a third turn, like the second but with an {@link SMALL_BUDGET}-token budget. */
  readonly small: string;
  /** Tokens of each turn's prompt. */
  readonly tokens: readonly [number, number];
  /** Seconds spent building it (0 when it came from the cache). */
  readonly buildSeconds: number;
}

/** Opens the cached store of `n` blocks, building it first if it is missing or stale. */
export async function inspectorStore(n: number): Promise<InspectorStore> {
  const dir = join(process.env.BENCH_INSPECTOR_DIR ?? '/tmp/llm386-bench-inspector', `store-${n}`);
  const marker = join(dir, 'bench.json');
  if (existsSync(marker)) {
    const cached = JSON.parse(readFileSync(marker, 'utf8')) as InspectorStore & { version: number };
    if (cached.version === VERSION) return { ...cached, buildSeconds: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  getTokenizer('o200k_base');
  const store = Store.init(dir, { countTokensWith: ['o200k_base'] });
  try {
    const { inputs, words } = mixedInputs(n, BENCH_SESSION, 23);
    indexesFor(store, STACK);
    await ingestWithIndexes(store, inputs);
    const policy = { ...recordedPolicy(DEFAULT_CONFIG), retrievers: STACK };
    const now = Date.UTC(2030, 0, 1);
    const question = task(words, 8, 5);
    const first = await tracedCall(
      store,
      {
        session: BENCH_SESSION,
        task: question,
        model: MODEL,
        budget: BENCH_BUDGET,
        now,
        mode: 'string',
      },
      policy,
    );
    await first.recorded;
    // The conversation moves on: the assistant answers, the user follows up.
    const more = mixedInputs(6, BENCH_SESSION, 99).inputs.filter((x) => x.kind !== 'system');
    await ingestWithIndexes(store, more);
    const second = await tracedCall(
      store,
      {
        session: BENCH_SESSION,
        task: `${question} ${task(words, 3, 6)}`,
        model: MODEL,
        budget: BENCH_BUDGET,
        now: now + 60_000,
        mode: 'string',
      },
      policy,
    );
    await second.recorded;
    const small = await tracedCall(
      store,
      {
        session: BENCH_SESSION,
        task: `${question} ${task(words, 3, 6)}`,
        model: MODEL,
        budget: SMALL_BUDGET,
        now: now + 60_000,
        mode: 'string',
      },
      policy,
    );
    await small.recorded;
    const result: InspectorStore = {
      dir,
      blocks: store.blockCount(),
      calls: [first.record.callId, second.record.callId],
      small: small.record.callId,
      tokens: [first.tokens, second.tokens],
      buildSeconds: (performance.now() - t0) / 1000,
    };
    writeFileSync(marker, JSON.stringify({ ...result, version: VERSION }));
    return result;
  } finally {
    store.close();
  }
}
