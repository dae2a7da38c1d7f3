import type { BlockId } from '../base/index';
import { diffPlans, type PlanDiff } from '../diff/index';
import type { Plan } from '../pager/index';
import type { Store } from '../store/index';
import { applyOverrides, runCall, type CallResult, type WhatIfOverrides } from './call';
import { flushTraces, getTrace, type TraceRecord } from './trace';

/** Where a replay first differed from its recording. */
export interface Divergence {
  /** `store` (recorded blocks are gone), `retrieve:NAME` (a retriever scored differently), `fill` (a different selection), or `pack` (same selection, other bytes). */
  readonly stage: string;
  readonly blockId?: BlockId | undefined;
  readonly detail: string;
}

/** The outcome of replaying a recorded call. */
export interface ReplayReport {
  readonly callId: BlockId;
  readonly identical: boolean;
  readonly recordedHash: string;
  readonly replayedHash: string | null;
  /** Blocks the recording selected that no longer exist. */
  readonly missing: readonly BlockId[];
  readonly divergence?: Divergence | undefined;
  readonly diff?: PlanDiff | undefined;
}

function requestOf(record: TraceRecord, overrides: WhatIfOverrides = {}) {
  return {
    session: record.session,
    task: record.task,
    model: overrides.model ?? record.model,
    budget: overrides.budget ?? record.budget ?? undefined,
    required: record.required,
    now: record.createdAt,
    mode: record.mode,
  };
}

/**
 * Re-runs a recorded call against the store as it was at its watermark and reports `identical`
 * (same prompt hash) or where it first diverged. Deleted blocks are reported, not fatal.
 */
export async function replay(store: Store, callId: string): Promise<ReplayReport> {
  await flushTraces(store);
  const record = getTrace(store, callId);
  const missing = record.plan.selected.filter((s) => !store.hasBlock(s.id)).map((s) => s.id);
  let result: CallResult;
  try {
    result = await runCall(store, requestOf(record), record.policy, { asOf: record.watermark });
  } catch (error) {
    return {
      callId: record.callId,
      identical: false,
      recordedHash: record.promptHash,
      replayedHash: null,
      missing,
      divergence: { stage: missing.length > 0 ? 'store' : 'page', detail: `replay failed: ${(error as Error).message}` },
    };
  }
  const identical = result.promptHash === record.promptHash;
  if (identical) return { callId: record.callId, identical, recordedHash: record.promptHash, replayedHash: result.promptHash, missing };
  const exists = (id: BlockId) => store.hasBlock(id);
  return {
    callId: record.callId,
    identical,
    recordedHash: record.promptHash,
    replayedHash: result.promptHash,
    missing,
    divergence: firstDivergence(record.plan, result.plan, missing),
    diff: diffPlans(record.plan, result.plan, { exists }),
  };
}

function firstDivergence(before: Plan, after: Plan, missing: readonly BlockId[]): Divergence {
  const gone = missing[0];
  if (gone !== undefined) return { stage: 'store', blockId: gone, detail: `${missing.length} recorded block(s) no longer exist, first ${gone}` };
  const afterScores = new Map([...after.selected, ...after.omitted].map((c) => [c.id, c.retrievers]));
  for (const c of [...before.selected, ...before.omitted].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const now = afterScores.get(c.id);
    for (const [name, s] of Object.entries(c.retrievers)) {
      const n = now?.[name];
      if (n === undefined || n.raw !== s.raw || n.rank !== s.rank) {
        return { stage: `retrieve:${name}`, blockId: c.id, detail: `${name} scored ${c.id} ${s.raw} (rank ${s.rank}) then, ${n === undefined ? 'not at all' : `${n.raw} (rank ${n.rank})`} now` };
      }
    }
  }
  const was = before.selected.map((s) => `${s.id}:${s.section}:${s.placement}`);
  const is = after.selected.map((s) => `${s.id}:${s.section}:${s.placement}`);
  for (let i = 0; i < Math.max(was.length, is.length); i++) {
    if (was[i] !== is[i]) {
      const id = (was[i] ?? is[i] ?? '').split(':')[0] as BlockId;
      return { stage: 'fill', blockId: id, detail: `selection differs at position ${i}: ${was[i] ?? 'nothing'} then, ${is[i] ?? 'nothing'} now` };
    }
  }
  return { stage: 'pack', detail: 'same selection, different rendered bytes (runtime or tokenizer version changed?)' };
}

/** The outcome of a what-if: the new plan and its diff against the recording. No model is called. */
export interface WhatIfResult {
  readonly plan: Plan;
  readonly diff: PlanDiff;
  readonly promptHash: string;
  readonly tokens: number;
}

/**
 * Re-runs a recorded call with overrides (model, budget, fractions, weights, switches) at its
 * watermark. `options.record`: the call's trace record when the caller has already read it.
 */
export async function whatIf(store: Store, callId: string, overrides: WhatIfOverrides, options: { record?: TraceRecord | undefined } = {}): Promise<WhatIfResult> {
  // A caller that already read the record passes it: a 128k-token turn's record decodes in ~7 ms.
  const record = options.record?.callId === callId ? options.record : getTrace(store, callId);
  const policy = applyOverrides(record.policy, overrides);
  const result = await runCall(store, requestOf(record, overrides), policy, { asOf: record.watermark });
  const exists = (id: BlockId) => store.hasBlock(id);
  return { plan: result.plan, diff: diffPlans(record.plan, result.plan, { exists }), promptHash: result.promptHash, tokens: result.tokens };
}
