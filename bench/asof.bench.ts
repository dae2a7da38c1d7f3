// `npx tsx bench/asof.bench.ts STORE [SESSION]`: the "store as of a turn" API on an existing
// store (build a 100k-block one with `llm386 ingest` and a few `pack --trace`, see bench/RESULTS.md).
// Times, in one process as the inspector runs them: the sessions at the session's first turn, the
// first page of its blocks cold and warm, a page deep in the list, a kind filter, the filter of
// src-core's sessionBlocksAt alone (what each page would pay without the cache), a block with its
// edges, the graph around the turn's selection, and what was written between the first turn and now.
import { loadavg } from 'node:os';
import { createApiHandlers } from '../src-main/api/handlers';
import type { ApiResult } from '../src-main/api/contract';
import {
  asOfTrace,
  DEFAULT_CONFIG,
  getTrace,
  listTraceSummaries,
  sessionBlocksAt,
  Store,
} from '../src-core/index';

const [dir, sessionArg] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: tsx bench/asof.bench.ts STORE [SESSION]');
const store = Store.open(dir);
const session =
  sessionArg ?? store.sessions().sort((a, b) => b.blocks - a.blocks)[0]?.session ?? '';
const [turn] = listTraceSummaries(store, session);
if (turn === undefined)
  throw new Error(`session ${session} has no recorded turn: run llm386 pack --trace`);
const callId = turn.callId;
const api = createApiHandlers({ store, config: DEFAULT_CONFIG });

async function time<T>(label: string, run: () => Promise<ApiResult<T>> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const r = result as ApiResult<T>;
    if (!r.ok) throw new Error(`${label}: ${r.error.message}`);
    console.log(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms`);
    return r.value;
  }
  console.log(`${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms`);
  return result as T;
}

async function main(): Promise<void> {
  console.log(
    `store ${dir}, session ${session} (${store.sessionSize(session)} blocks now), turn ${callId}; load ${loadavg()[0]?.toFixed(2)}`,
  );
  const at = asOfTrace(getTrace(store, callId));
  await time('sessionBlocksAt alone (no cache)', () => sessionBlocksAt(store, session, at).length);
  await time('sessionBlocksAt alone, again', () => sessionBlocksAt(store, session, at).length);
  const sessions = await time('asof.sessions (lists every session, cold)', () =>
    api['asof.sessions']({ callId }),
  );
  await time('asof.sessions again', () => api['asof.sessions']({ callId }));
  const first = await time('asof.blocks first page (cached list)', () =>
    api['asof.blocks']({ callId, session, limit: 200 }),
  );
  for (let i = 0; i < 3; i++)
    await time('asof.blocks page at offset 50,000', () =>
      api['asof.blocks']({ callId, session, offset: 50_000 + i * 200, limit: 200 }),
    );
  await time('asof.blocks kinds=tool-result (cold)', () =>
    api['asof.blocks']({ callId, session, kinds: ['tool-result'], limit: 200 }),
  );
  await time('asof.blocks kinds=tool-result, next page', () =>
    api['asof.blocks']({ callId, session, kinds: ['tool-result'], offset: 200, limit: 200 }),
  );
  const id = first.items[2]?.id ?? '';
  await time('asof.block (edges at the turn)', () => api['asof.block']({ callId, id }));
  const graph = await time('asof.graph (the turn selection, 1 hop)', () =>
    api['asof.graph']({ callId }),
  );
  const between = await time('asof.between first turn .. now (500)', () =>
    api['asof.between']({ from: callId }),
  );
  console.log(
    `then ${sessions.sessions.map((s) => `${s.session} ${s.blocks}/${s.now}`).join(', ')}; ${first.total} blocks at the turn; graph ${graph.nodes.length} nodes; between ${between.added.length} added, ${between.edges.length} edges, truncated ${between.truncated}`,
  );
  store.close();
}

void main();
