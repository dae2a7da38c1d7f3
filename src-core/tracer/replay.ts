import { isLlm386Error, type BlockId } from '../base/index';
import type { Config } from '../config/index';
import { diffPlans, type PlanDiff } from '../diff/index';
import type { Plan } from '../pager/index';
import type { Store } from '../store/index';
import { applyOverrides, runCall, type CallResult, type WhatIfOverrides } from './call';
import { resolveExternal, type ResolvedPolicy } from './external';
import { flushTraces, getTrace, type RecordedPolicy, type TraceRecord } from './trace';

/**
 * The current config, as replay and what-if use it: embedders, endpoints, key variables and
 * custom modules come only from its retrievers (matched by name), and relative module paths
 * resolve against the folder of its `source`. Default: no config (built-in defaults), so a
 * recording whose retrievers send data anywhere cannot run.
 */
export interface ReplayOptions {
  readonly config?: Pick<Config, 'retrievers' | 'source'> | undefined;
}

function resolved(policy: RecordedPolicy, options: ReplayOptions): ResolvedPolicy {
  return resolveExternal(policy, options.config?.retrievers);
}

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
  /** Recorded endpoints, key variables, embedders or modules the current config replaced. */
  readonly configDifferences: readonly string[];
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
export async function replay(store: Store, callId: string, options: ReplayOptions = {}): Promise<ReplayReport> {
  await flushTraces(store);
  const record = getTrace(store, callId);
  const missing = record.plan.selected.filter((s) => !store.hasBlock(s.id)).map((s) => s.id);
  const failed = (stage: string, detail: string, configDifferences: readonly string[] = []): ReplayReport => ({
    callId: record.callId,
    identical: false,
    recordedHash: record.promptHash,
    replayedHash: null,
    missing,
    configDifferences,
    divergence: { stage, detail },
  });
  let policy: ResolvedPolicy;
  try {
    policy = resolved(record.policy, options);
  } catch (error) {
    if (isLlm386Error(error, 'config-invalid')) return failed('config', error.message);
    throw error;
  }
  let result: CallResult;
  try {
    result = await runCall(store, requestOf(record), policy.policy, { asOf: record.watermark, configSource: options.config?.source });
  } catch (error) {
    return failed(missing.length > 0 ? 'store' : 'page', `replay failed: ${(error as Error).message}`, policy.differences);
  }
  const identical = result.promptHash === record.promptHash;
  const base = { callId: record.callId, identical, recordedHash: record.promptHash, replayedHash: result.promptHash, missing, configDifferences: policy.differences };
  if (identical) return base;
  const exists = (id: BlockId) => store.hasBlock(id);
  const configStage = policy.differences.length === 0 ? undefined : { stage: 'config', detail: `the current config differs from the recording: ${policy.differences.join('; ')}` };
  return {
    ...base,
    divergence: configStage ?? firstDivergence(record.plan, result.plan, missing),
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
  /** Recorded endpoints, key variables, embedders or modules the current config replaced. */
  readonly configDifferences: readonly string[];
}

/**
 * Re-runs a recorded call with overrides (model, budget, fractions, weights, switches) at its
 * watermark. `options.record`: the call's trace record when the caller has already read it;
 * `options.config`: as for {@link replay} (a recording needing an endpoint it lacks is a
 * `config-invalid` error).
 */
export async function whatIf(
  store: Store,
  callId: string,
  overrides: WhatIfOverrides,
  options: ReplayOptions & { record?: TraceRecord | undefined } = {},
): Promise<WhatIfResult> {
  // A caller that already read the record passes it: a 128k-token turn's record decodes in ~7 ms.
  const record = options.record?.callId === callId ? options.record : getTrace(store, callId);
  const { policy, differences } = resolved(applyOverrides(record.policy, overrides), options);
  const result = await runCall(store, requestOf(record, overrides), policy, { asOf: record.watermark, configSource: options.config?.source });
  const exists = (id: BlockId) => store.hasBlock(id);
  return { plan: result.plan, diff: diffPlans(record.plan, result.plan, { exists }), promptHash: result.promptHash, tokens: result.tokens, configDifferences: differences };
}
