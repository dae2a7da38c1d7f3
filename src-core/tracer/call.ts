import { dirname } from 'node:path';
import {
  encodeUtf8,
  isLlm386Error,
  Llm386Error,
  RUNTIME_VERSION,
  randomIdSource,
  sha256Hex,
  type BlockId,
  type Section,
} from '../base/index';
import type { Config, ModelProfile, PagerConfig, SectionBudgets } from '../config/index';
import {
  canonicalJson,
  packChat,
  packString,
  storeSource,
  toAnthropicRequest,
  toOpenAiRequest,
  type PackedChat,
  type PackedPrompt,
} from '../packer/index';
import { page, type PagePolicy, type Plan } from '../pager/index';
import { buildRetrievers, DEFAULT_RETRIEVERS, type BuiltRetriever } from '../retrievers/index';
import type { Store, StoreSlot } from '../store/index';
import { TOKENIZER_VERSION } from '../tokenizer/index';
import {
  saveTraceBehind,
  TRACE_FORMAT_VERSION,
  type PackMode,
  type RecordedPolicy,
  type TraceRecord,
} from './trace';

/** One page+pack call. */
export interface CallRequest {
  readonly session: string;
  readonly task: string;
  readonly model: ModelProfile;
  readonly budget?: number | undefined;
  readonly required?: readonly string[] | undefined;
  readonly now?: number | undefined;
  readonly mode?: PackMode | undefined;
}

/** What a call rendered: the plan, the rendering, and the exact bytes hashed. */
export interface CallResult {
  readonly plan: Plan;
  readonly mode: PackMode;
  readonly prompt?: PackedPrompt | undefined;
  readonly chat?: PackedChat | undefined;
  /** The provider request body (openai/anthropic modes). */
  readonly request?: unknown;
  readonly bytes: Uint8Array;
  readonly promptHash: string;
  readonly tokens: number;
  readonly timings: Record<string, number>;
  /** Set when the call was traced. */
  readonly callId?: BlockId | undefined;
}

/** The policy a config describes, in the recordable form. */
export function recordedPolicy(config: Config): RecordedPolicy {
  return {
    retrievers: config.retrievers ?? DEFAULT_RETRIEVERS,
    sectionBudgets: config.sectionBudgets,
    pager: config.pager,
    includeTimestamps: config.packer.includeTimestamps,
    stableSections: config.cache.stableSections,
  };
}

/** Retriever stacks built per store, by {@link stackKey}; a few per store, the oldest dropped first. */
const LIVE_STACKS_SLOT: StoreSlot<Map<string, Promise<BuiltRetriever[]>>> = {
  name: 'retriever-stacks',
  create: () => new Map(),
};
const LIVE_STACKS = 8;

/**
 * What identifies a built stack: the retriever entries without their weights (a weight is applied
 * by the pager, not held by the instance) and the directory custom modules load from.
 */
function stackKey(policy: RecordedPolicy, baseDir: string | undefined): string {
  return JSON.stringify([
    baseDir ?? null,
    policy.retrievers.map((r) => ({ ...r, weight: undefined })),
  ]);
}

/**
 * The built retrievers of a policy's stack, reused across calls on the same open store: what-if,
 * replay and the runtime's turns then share the instances (and their caches, e.g. the task
 * embeddings) instead of rebuilding them per call. Retrievers are pure functions of the query and
 * the store plus memoisation, so reuse changes no result.
 */
async function liveStack(
  policy: RecordedPolicy,
  store: Store,
  baseDir: string | undefined,
): Promise<BuiltRetriever[]> {
  const stacks = store.slot(LIVE_STACKS_SLOT);
  const key = stackKey(policy, baseDir);
  let built = stacks.get(key);
  if (built === undefined) {
    built = buildRetrievers(policy.retrievers, { store, baseDir });
    if (stacks.size >= LIVE_STACKS) stacks.delete(stacks.keys().next().value as string);
    stacks.set(key, built);
    // A stack that fails to build (e.g. a custom module that does not load) is not kept.
    built.catch(() => {
      if (stacks.get(key) === built) stacks.delete(key);
    });
  }
  return built;
}

/** Builds the live paging policy (retriever instances, reused per store and stack) from a recorded one. */
export async function livePolicy(
  policy: RecordedPolicy,
  store: Store,
  configSource?: string,
): Promise<PagePolicy> {
  const baseDir =
    configSource === undefined || configSource === 'config' ? undefined : dirname(configSource);
  const built = await liveStack(policy, store, baseDir);
  // Weights come from this policy (what-if changes them): the instances are shared, the weights not.
  const retrievers = built.map((r, i) => ({
    ...r,
    weight: policy.retrievers[i]?.weight ?? r.weight,
  }));
  return {
    retrievers: retrievers.map((r) => ({
      retriever: r.retriever,
      weight: r.weight,
      limit: r.limit,
    })),
    sectionBudgets: policy.sectionBudgets,
    pager: policy.pager,
    includeTimestamps: policy.includeTimestamps,
    stableSections: policy.stableSections as Section[],
  };
}

/** Pages and packs one call under a recorded policy; with `asOf`, against the store as it was then. */
export async function runCall(
  store: Store,
  request: CallRequest,
  policy: RecordedPolicy,
  options: {
    asOf?: BlockId | null | undefined;
    asOfSeq?: number | undefined;
    configSource?: string | undefined;
  } = {},
): Promise<CallResult> {
  const live = await livePolicy(policy, store, options.configSource);
  // The plan is made for the rendering packed below, so its `used` is the prompt's exact count.
  const pageRequest = {
    session: request.session,
    task: request.task,
    model: request.model,
    budget: request.budget,
    required: request.required,
    now: request.now,
    asOf: options.asOf,
    asOfSeq: options.asOfSeq,
    rendering: request.mode ?? 'string',
  };
  // The packer checks each body against its hash as it reads it: one that fails is remembered by
  // the store, and paging again leaves it out (omitted as body-corrupt). Rare, so it costs nothing.
  for (let attempt = 0; ; attempt++) {
    const plan = await page(store, pageRequest, live);
    try {
      return packCall(store, request, policy, plan);
    } catch (error) {
      if (
        attempt >= 16 ||
        !isLlm386Error(error, 'store-corrupt') ||
        error.details?.hash === undefined
      )
        throw error;
    }
  }
}

function packCall(
  store: Store,
  request: CallRequest,
  policy: RecordedPolicy,
  plan: Plan,
): CallResult {
  const t = performance.now();
  const mode = request.mode ?? 'string';
  const source = storeSource(store, plan);
  const packOptions = {
    includeTimestamps: policy.includeTimestamps,
    stableSections: policy.stableSections as Section[],
  };
  let result: CallResult;
  if (mode === 'string') {
    const prompt = packString(plan, source, packOptions);
    // The hash of the bytes about to be stored: the prompt is encoded once, not again to hash it.
    const bytes = encodeUtf8(prompt.prompt);
    result = {
      plan,
      mode,
      prompt,
      bytes,
      promptHash: sha256Hex(bytes),
      tokens: prompt.tokens,
      timings: {},
    };
  } else {
    const chat = packChat(plan, source, packOptions);
    const body =
      mode === 'openai'
        ? toOpenAiRequest(chat, plan.model)
        : mode === 'anthropic'
          ? toAnthropicRequest(chat, plan.model)
          : undefined;
    const bytes = encodeUtf8(canonicalJson(body ?? chat.messages));
    result = {
      plan,
      mode,
      chat,
      request: body,
      bytes,
      promptHash: sha256Hex(bytes),
      tokens: chat.tokens,
      timings: {},
    };
  }
  return { ...result, timings: { ...plan.timings, pack: performance.now() - t } };
}

const callIds = randomIdSource();

/** Runs a call and records its trace: everything needed to replay it byte for byte. */
export async function tracedCall(
  store: Store,
  request: CallRequest,
  policy: RecordedPolicy,
  options: { configSource?: string } = {},
): Promise<CallResult & { record: TraceRecord; recorded: Promise<void> }> {
  const changeSeq = store.changeSeq();
  const result = await runCall(store, request, policy, options);
  const t = performance.now();
  const record: TraceRecord = {
    formatVersion: TRACE_FORMAT_VERSION,
    // Call ids sort by when the call was recorded (the plan's `now` may be a fixed replay time).
    callId: callIds.next(Date.now()),
    session: request.session,
    createdAt: result.plan.now,
    runtimeVersion: RUNTIME_VERSION,
    tokenizerVersion: TOKENIZER_VERSION,
    model: request.model,
    policy,
    task: request.task,
    required: (request.required ?? []) as BlockId[],
    budget: request.budget ?? null,
    watermark: result.plan.watermark,
    changeSeq,
    mode: result.mode,
    plan: result.plan,
    promptHash: result.promptHash,
    tokens: result.tokens,
    timings: result.timings,
  };
  const timings = { ...result.timings, trace: performance.now() - t };
  const final = { ...record, timings };
  const recorded = saveTraceBehind(store, final, result.bytes);
  return { ...result, timings, callId: record.callId, record: final, recorded };
}

/** Changes a what-if applies to a recorded call. */
export interface WhatIfOverrides {
  readonly model?: ModelProfile | undefined;
  readonly budget?: number | undefined;
  readonly sectionBudgets?: Partial<SectionBudgets> | undefined;
  /** Retriever name -> new weight. */
  readonly weights?: Readonly<Record<string, number>> | undefined;
  readonly switches?: Partial<PagerConfig> | undefined;
}

/** A recorded policy with what-if overrides applied; unknown retriever names and bad fractions are errors. */
export function applyOverrides(policy: RecordedPolicy, overrides: WhatIfOverrides): RecordedPolicy {
  const names = new Set(policy.retrievers.map((r) => r.name));
  for (const [name, weight] of Object.entries(overrides.weights ?? {})) {
    if (!names.has(name))
      throw new Llm386Error(
        'invalid-input',
        `no retriever "${name}" in the recorded stack: use one of ${[...names].join(', ')}`,
      );
    if (!Number.isFinite(weight) || weight < 0)
      throw new Llm386Error('invalid-input', `weight ${weight} for ${name} must be a number >= 0`);
  }
  const sectionBudgets = { ...policy.sectionBudgets, ...overrides.sectionBudgets };
  for (const [section, f] of Object.entries(sectionBudgets)) {
    if (!Number.isFinite(f) || f < 0 || f > 1)
      throw new Llm386Error(
        'invalid-input',
        `section fraction ${section}=${f} must be between 0 and 1`,
      );
  }
  const sum = Object.values(sectionBudgets).reduce((a, b) => a + b, 0);
  if (sum > 1 + 1e-9)
    throw new Llm386Error(
      'invalid-input',
      `section fractions sum to ${sum.toFixed(3)}: they must sum to at most 1`,
    );
  return {
    ...policy,
    retrievers: policy.retrievers.map((r) =>
      overrides.weights?.[r.name] === undefined
        ? r
        : { ...r, weight: overrides.weights[r.name] as number },
    ),
    sectionBudgets,
    pager: { ...policy.pager, ...overrides.switches },
  };
}
