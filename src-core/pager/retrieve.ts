import type { BlockId } from '../base/index';
import type { Catalog } from '../retrievers/index';
import type { Store } from '../store/index';
import type { RetrieverRun } from './plan';
import type { PagePolicy, PageRequest } from './request';
import {
  mergeUnordered,
  type FusionMode,
  type FusionScale,
  type MergedScore,
  type RetrieverOutput,
} from './scores';
import type { Snapshot } from './snapshot';

/** What the retrievers are asked: the call's session, pool, time and snapshot. */
export interface RetrievalCall {
  readonly session: string;
  readonly pool: readonly string[];
  readonly now: number;
  readonly snapshot: Snapshot;
}

/**
 * Runs the policy's retrievers concurrently, each timed into `timings` (`retrieve:NAME`); their
 * results without blocks the call cannot see, and their runs in the policy's order.
 */
export async function runRetrievers(
  store: Store,
  catalog: Catalog,
  request: PageRequest,
  policy: PagePolicy,
  call: RetrievalCall,
  timings: Record<string, number>,
): Promise<{ runs: RetrieverRun[]; outputs: RetrieverOutput[] }> {
  const { session, pool, now, snapshot } = call;
  const visible = snapshot.visible;
  // Custom retrievers written before write sequences read the block-id watermark.
  const asOf = snapshot.live
    ? undefined
    : request.asOfSeq === undefined
      ? (request.asOf ?? '')
      : undefined;
  const runs: RetrieverRun[] = [];
  const outputs: RetrieverOutput[] = await Promise.all(
    policy.retrievers.map(async ({ retriever, weight, limit }) => {
      const s = performance.now();
      const results = await retriever.retrieve(
        {
          session,
          sessions: pool,
          task: request.task,
          now,
          limit: limit ?? policy.retrieverLimit ?? 1000,
          ...(asOf === undefined ? {} : { asOf: asOf as BlockId }),
          ...(snapshot.live ? {} : { visible, hiddenIn: snapshot.hiddenIn }),
        },
        { store, catalog },
      );
      const ms = performance.now() - s;
      timings[`retrieve:${retriever.name}`] = ms;
      // Blocks newer than the watermark did not exist for the call: they must not set a
      // retriever's top score or ranks either (a retriever may return them).
      const seen = snapshot.live ? results : results.filter((r) => visible(r.id));
      runs.push({ name: retriever.name, weight, candidates: seen.length, ms });
      return { name: retriever.name, weight, role: retriever.role, results: seen };
    }),
  );
  runs.sort(
    (a, b) =>
      policy.retrievers.findIndex((r) => r.retriever.name === a.name) -
      policy.retrievers.findIndex((r) => r.retriever.name === b.name),
  );
  return { runs, outputs };
}

/**
 * Fuses the retrievers' normalised scores (see scores.ts), unordered, and records in each run
 * how fusion read it (role, top, flat).
 */
export function fuse(
  outputs: readonly RetrieverOutput[],
  runs: RetrieverRun[],
  fusion: FusionMode,
  poolSize: number,
): Map<BlockId, MergedScore> {
  const { merged, scales } = mergeUnordered(outputs, fusion, poolSize);
  for (let i = 0; i < runs.length; i++)
    runs[i] = withScale(runs[i] as RetrieverRun, scales.get((runs[i] as RetrieverRun).name));
  return merged;
}

function withScale(run: RetrieverRun, scale: FusionScale | undefined): RetrieverRun {
  if (scale === undefined) return run;
  return { ...run, role: scale.role, top: scale.top, flat: scale.flat };
}
