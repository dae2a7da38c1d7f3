// The inspector benchmark's store: one session of 100k mixed blocks and 1,000 recorded turns, one
// of them with about 10k candidates. Built once into a cached folder (slow: ingest plus real page
// calls) and reused while its marker file exists.
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, Store, type ModelProfile } from '../src-core/index';
import { randomIdSource } from '../src-core/base/index';
import { DEFAULT_RETRIEVERS, indexesFor } from '../src-core/retrievers/index';
import {
  recordedPolicy,
  saveTrace,
  tracedCall,
  tracePrompt,
  type TraceRecord,
} from '../src-core/tracer/index';
import { getTokenizer } from '../src-core/tokenizer/index';
import { ingestWithIndexes, mixedInputs, task } from './dataset';

export const BENCH_SESSION = 'bench';
const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;

/** Bumped when the data or the store format it relies on changes: the cached store is rebuilt. */
const DATA_VERSION = 3;

export interface InspectorData {
  readonly version: number;
  readonly dir: string;
  readonly blocks: number;
  readonly turns: number;
  /** The call id of the turn with about 10k candidates. */
  readonly bigCall: string;
  readonly bigCandidates: number;
  /** A word that occurs in the session, for the search benchmark. */
  readonly word: string;
}

/** Builds (or reuses) the store in `dir`; `log` reports progress. */
export async function inspectorData(
  dir: string,
  blocks: number,
  turns: number,
  log: (line: string) => void,
): Promise<InspectorData> {
  const marker = join(dir, 'bench-data.json');
  if (existsSync(marker)) {
    const data = JSON.parse(readFileSync(marker, 'utf8')) as InspectorData;
    if (data.version === DATA_VERSION && data.blocks === blocks && data.turns === turns)
      return data;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  getTokenizer('o200k_base');
  const store = Store.init(join(dir, 'store'), { countTokensWith: ['o200k_base'] });
  try {
    const stack = DEFAULT_RETRIEVERS.filter(
      (r) => r.kind === 'recency' || r.kind === 'bm25' || r.kind === 'ann',
    );
    indexesFor(store, stack);
    const { inputs, words } = mixedInputs(blocks, BENCH_SESSION, 7);
    const t0 = performance.now();
    await ingestWithIndexes(store, inputs);
    log(`ingested ${blocks} blocks in ${Math.round(performance.now() - t0)} ms`);

    // The big turn: retriever limits raised so about 10k blocks become candidates.
    const wide = {
      ...recordedPolicy(DEFAULT_CONFIG),
      retrievers: stack.map((r) => ({ ...r, limit: r.kind === 'recency' ? 9000 : 2000 })),
    };
    const big = await tracedCall(
      store,
      {
        session: BENCH_SESSION,
        task: task(words, 12, 1),
        model: MODEL,
        budget: 128_000,
        mode: 'chat',
      },
      wide,
    );
    await big.recorded;
    const bigCandidates = big.plan.selected.length + big.plan.omitted.length;
    log(`big turn: ${bigCandidates} candidates`);

    // Real page calls under the default stack for a few turns; the rest of the 1,000 are copies
    // of them under new call ids (a page call at 100k blocks takes ~150 ms, so 1,000 real ones
    // would take minutes; the Turns list reads records, it does not care how they were made).
    const normal = { ...recordedPolicy(DEFAULT_CONFIG), retrievers: stack };
    const real: TraceRecord[] = [];
    for (let i = 0; i < 20 && real.length < turns - 1; i++) {
      const budget = [4_000, 16_000, 64_000, 128_000][i % 4] as number;
      const result = await tracedCall(
        store,
        {
          session: BENCH_SESSION,
          task: task(words, 8, 100 + i),
          model: MODEL,
          budget,
          mode: i % 2 === 0 ? 'chat' : 'string',
        },
        normal,
      );
      await result.recorded;
      real.push(result.record);
    }
    const ids = randomIdSource();
    const start = Date.now();
    for (let i = real.length + 1; i < turns; i++) {
      const from = real[i % real.length] as TraceRecord;
      const bytes = tracePrompt(store, from) ?? Buffer.alloc(0);
      saveTrace(store, { ...from, callId: ids.next(start + i) }, bytes);
    }
    log(`recorded ${turns} turns`);
    const data: InspectorData = {
      version: DATA_VERSION,
      dir,
      blocks,
      turns,
      bigCall: big.record.callId,
      bigCandidates,
      word: words[40] ?? 'the',
    };
    writeFileSync(marker, JSON.stringify(data));
    return data;
  } finally {
    store.close();
  }
}
