import { isLlm386Error, type BlockId } from '../base/index';
import type { Config } from '../config/index';
import { diffPlans, type PlanDiff } from '../diff/index';
import type { Plan } from '../pager/index';
import { Catalog } from '../retrievers/index';
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

/** Why a block a recording saw cannot be seen as it was: the only accepted cause of a differing replay. */
export interface GoneBlock {
  readonly id: BlockId;
  /**
   * `deleted` (no longer in the store), `quarantined` (moved aside by repair), `purged` (no longer
   * in any session of the call's pool), `corrupt` (its stored bytes no longer match their hash).
   */
  readonly cause: 'deleted' | 'quarantined' | 'purged' | 'corrupt';
}

/** The store as it was at a recorded call: its write-sequence watermark, or (older traces) its block id. */
export function watermarkOf(record: TraceRecord): {
  asOf: BlockId | null;
  asOfSeq?: number | undefined;
} {
  return { asOf: record.watermark, asOfSeq: record.plan.watermarkSeq };
}

/**
 * The recorded candidates (and required blocks) that cannot be seen as they were, each with its
 * cause, sorted by id.
 */
export function goneBlocks(store: Store, record: TraceRecord): GoneBlock[] {
  const pool = [
    record.session,
    ...((record.policy.pager as { globalSessions?: readonly string[] }).globalSessions ?? []),
  ];
  const catalog = Catalog.of(store);
  catalog.sync();
  const required = new Set(record.required);
  // Selected blocks' bodies are checked (replay packs them anyway: each body is hashed once per
  // open store); other candidates' only when already known to be damaged.
  const hashes = new Map<BlockId, string>(record.plan.selected.map((s) => [s.id, s.hash]));
  const ids = new Set<BlockId>([...record.plan.selected, ...record.plan.omitted].map((c) => c.id));
  for (const id of required) ids.add(id);
  const out: GoneBlock[] = [];
  for (const id of [...ids].sort()) {
    if (!store.hasBlock(id)) {
      out.push({ id, cause: store.isQuarantined(id) ? 'quarantined' : 'deleted' });
      continue;
    }
    if (!required.has(id) && !pool.some((s) => catalog.joinedIn(s, id) !== undefined)) {
      out.push({ id, cause: 'purged' });
      continue;
    }
    const hash = hashes.get(id) ?? catalog.record(id)?.hash;
    if (
      hash !== undefined &&
      (store.knownCorrupt(hash) || (hashes.has(id) && !store.bodyIntact(hash)))
    )
      out.push({ id, cause: 'corrupt' });
  }
  return out;
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
  /** Recorded candidates that cannot be seen as they were (deleted, quarantined, purged, corrupt), by id. */
  readonly gone: readonly GoneBlock[];
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
export async function replay(
  store: Store,
  callId: string,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  await flushTraces(store);
  const record = getTrace(store, callId);
  const missing = record.plan.selected.filter((s) => !store.hasBlock(s.id)).map((s) => s.id);
  const gone = goneBlocks(store, record);
  const failed = (
    stage: string,
    detail: string,
    configDifferences: readonly string[] = [],
  ): ReplayReport => ({
    callId: record.callId,
    identical: false,
    recordedHash: record.promptHash,
    replayedHash: null,
    missing,
    gone,
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
    result = await runCall(store, requestOf(record), policy.policy, {
      ...watermarkOf(record),
      configSource: options.config?.source,
    });
  } catch (error) {
    return failed(
      gone.length > 0 ? 'store' : 'page',
      `replay failed: ${(error as Error).message}`,
      policy.differences,
    );
  }
  const identical = result.promptHash === record.promptHash;
  const base = {
    callId: record.callId,
    identical,
    recordedHash: record.promptHash,
    replayedHash: result.promptHash,
    missing,
    gone,
    configDifferences: policy.differences,
  };
  if (identical) return base;
  const exists = (id: BlockId) => store.hasBlock(id);
  const configStage =
    policy.differences.length === 0
      ? undefined
      : {
          stage: 'config',
          detail: `the current config differs from the recording: ${policy.differences.join('; ')}`,
        };
  return {
    ...base,
    divergence: configStage ?? firstDivergence(record.plan, result.plan, gone),
    diff: diffPlans(record.plan, result.plan, { exists }),
  };
}

/**
 * The first stage at which a replay differs, naming a block that actually differs there: blocks
 * gone since, then each retriever's scores (a block scored differently, or scored only then or
 * only now), then the selection (a block selected only then or only now, or in another section
 * or place), else the rendering.
 */
export function firstDivergence(
  before: Plan,
  after: Plan,
  gone: readonly GoneBlock[] = [],
): Divergence {
  const first = gone[0];
  if (first !== undefined)
    return {
      stage: 'store',
      blockId: first.id,
      detail: `${gone.length} recorded block(s) cannot be seen as they were, first ${first.id} (${first.cause})`,
    };
  const scores = (plan: Plan) => {
    const byName = new Map<string, Map<BlockId, { raw: number; rank: number }>>();
    for (const c of [...plan.selected, ...plan.omitted]) {
      for (const [name, s] of Object.entries(c.retrievers)) {
        let m = byName.get(name);
        if (m === undefined) byName.set(name, (m = new Map()));
        m.set(c.id, s);
      }
    }
    return byName;
  };
  const then = scores(before);
  const now = scores(after);
  const show = (s: { raw: number; rank: number } | undefined) =>
    s === undefined ? 'not at all' : `${s.raw} (rank ${s.rank})`;
  for (const name of [...new Set([...then.keys(), ...now.keys()])].sort()) {
    const a = then.get(name) ?? new Map();
    const b = now.get(name) ?? new Map();
    for (const id of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const x = a.get(id);
      const y = b.get(id);
      if (x?.raw !== y?.raw || x?.rank !== y?.rank)
        return {
          stage: `retrieve:${name}`,
          blockId: id,
          detail: `${name} scored ${id} ${show(x)} then, ${show(y)} now`,
        };
    }
  }
  const place = (plan: Plan) =>
    new Map(plan.selected.map((s) => [s.id, `${s.section}, ${s.placement}`]));
  const was = place(before);
  const is = place(after);
  for (const id of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    if (was.get(id) !== is.get(id))
      return {
        stage: 'fill',
        blockId: id,
        detail: `${id} was ${was.get(id) ?? 'not selected'} then, ${is.get(id) ?? 'not selected'} now`,
      };
  }
  return {
    stage: 'pack',
    detail: 'same selection, different rendered bytes (runtime or tokenizer version changed?)',
  };
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
  const result = await runCall(store, requestOf(record, overrides), policy, {
    ...watermarkOf(record),
    configSource: options.config?.source,
  });
  const exists = (id: BlockId) => store.hasBlock(id);
  return {
    plan: result.plan,
    diff: diffPlans(record.plan, result.plan, { exists }),
    promptHash: result.promptHash,
    tokens: result.tokens,
    configDifferences: differences,
  };
}
