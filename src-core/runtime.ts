import {
  DEFAULT_CONFIG,
  DEFAULT_MODEL,
  findProfile,
  loadConfigFile,
  type Config,
  type ModelProfile,
} from './config/index';
import type { Clock } from './base/index';
import { diffPlans, type PlanDiff } from './diff/index';
import { pageChecked, type Plan } from './pager/index';
import {
  commitReduction,
  reducerByName,
  type ReduceInput,
  type Reducer,
  type ReducerName,
} from './reducer/index';
import { IndexSet, indexesFor } from './retrievers/index';
import { Store, type PutInput, type PutResult } from './store/index';
import type { TokenizerId } from './tokenizer/index';
import { context } from '@opentelemetry/api';
import { CallSpans, type TelemetryOptions } from './tracer/telemetry';
import {
  flushTraces,
  getTrace,
  listTraces,
  livePolicy,
  recordOutput,
  recordedPolicy,
  replay,
  runCall,
  tracedCall,
  whatIf,
  type CallResult,
  type PackMode,
  type ReplayReport,
  type TraceRecord,
  type Usage,
  type WhatIfOverrides,
  type WhatIfResult,
} from './tracer/index';

/** Options of {@link openRuntime}. */
export interface RuntimeOptions {
  /** A validated config or the path of a TOML file; default: the built-in defaults. */
  readonly config?: Config | string | undefined;
  /** Create the store when the directory does not hold one (default true). */
  readonly create?: boolean | undefined;
  readonly clock?: Clock | undefined;
  /** Tokenizers counted at write time; default o200k_base. */
  readonly countTokensWith?: readonly TokenizerId[] | undefined;
  /**
   * OpenTelemetry spans of traced calls (see `CallSpans`): through the global tracer by default,
   * which records nothing unless the application registered a provider; `false` turns them off.
   */
  readonly telemetry?: TelemetryOptions | false | undefined;
}

/** What to page or pack. */
export interface TurnRequest {
  readonly session: string;
  readonly task: string;
  /** A model name (built-in or from config) or a profile; default gpt-4o. */
  readonly model?: string | ModelProfile | undefined;
  /** Overrides the model's input budget. */
  readonly budget?: number | undefined;
  readonly required?: readonly string[] | undefined;
  readonly now?: number | undefined;
  /** `page`: the prompt the plan is for (default string); its `used` is that rendering's exact count. `pack` plans for its mode. */
  readonly rendering?: PackMode | undefined;
}

/**
 * The library entry point for Node agents: one object over one store that puts blocks, pages and
 * packs turns (recording traces), records model output, reduces it back into blocks, and diffs,
 * replays and re-runs recorded turns.
 *
 * @example
 * const rt = openRuntime('./memory');
 * rt.put({ session: 'chat', kind: 'user-message', body: 'hi' });
 * const turn = await rt.pack({ session: 'chat', task: 'answer the user' }, { mode: 'chat' });
 */
export class Runtime {
  readonly store: Store;
  readonly config: Config;
  private readonly spans: CallSpans | undefined;

  constructor(store: Store, config: Config, telemetry: TelemetryOptions | false = {}) {
    this.store = store;
    this.config = config;
    this.spans = telemetry === false ? undefined : new CallSpans(store.dir, telemetry);
  }

  /** Stores blocks; see {@link Store.put}. Indexes catch up on the next page call. */
  put(input: PutInput): PutResult {
    return this.store.put(input);
  }

  /** Stores several blocks in one transaction. */
  putMany(inputs: readonly PutInput[]): PutResult[] {
    return this.store.putMany(inputs);
  }

  /** Adds a typed edge. */
  addEdge(from: string, kind: string, to: string): boolean {
    return this.store.addEdge(from, kind, to);
  }

  /** The model profile for a name or profile. */
  model(model: TurnRequest['model']): ModelProfile {
    return typeof model === 'object'
      ? model
      : findProfile(model ?? DEFAULT_MODEL, this.config.profiles);
  }

  /** Pages a turn: the plan, with a decision and reason for every candidate. */
  async page(request: TurnRequest): Promise<Plan> {
    const policy = await livePolicy(recordedPolicy(this.config), this.store, this.config.source);
    return pageChecked(this.store, { ...request, model: this.model(request.model) }, policy);
  }

  /** Pages and packs a turn (string, chat or a provider request), recording a trace unless `trace: false`. */
  async pack(
    request: TurnRequest,
    options: { mode?: PackMode; trace?: boolean } = {},
  ): Promise<CallResult> {
    const call = { ...request, model: this.model(request.model), mode: options.mode ?? 'string' };
    const policy = recordedPolicy(this.config);
    if (options.trace === false)
      return runCall(this.store, call, policy, { configSource: this.config.source });
    const spans = this.spans;
    if (spans === undefined)
      return tracedCall(this.store, call, policy, { configSource: this.config.source });
    // One span per model call: from paging to the recorded output (see CallSpans).
    const { span, context: ctx } = spans.start(call.model, call.session);
    try {
      const result = await context.with(ctx, () =>
        tracedCall(this.store, call, policy, { configSource: this.config.source }),
      );
      spans.packed(span, result, call.session);
      return result;
    } catch (error) {
      spans.failed(span, error);
      throw error;
    }
  }

  /** Patches the model's output and usage into a recorded turn (and ends the call's span). */
  async recordOutput(callId: string, output: string, usage?: Usage): Promise<TraceRecord> {
    const record = await recordOutput(this.store, callId, output, usage, Date.now());
    this.spans?.output(callId, usage);
    return record;
  }

  /** Turns model output into stored blocks through a reducer, in one transaction. */
  reduce(reducer: Reducer | ReducerName, input: ReduceInput): PutResult[] {
    const fn = typeof reducer === 'string' ? reducerByName(reducer) : reducer;
    return commitReduction(this.store, fn(input));
  }

  /** What changed between two plans or recorded turns. */
  diff(a: Plan | string, b: Plan | string): PlanDiff {
    const plan = (x: Plan | string) => (typeof x === 'string' ? getTrace(this.store, x).plan : x);
    return diffPlans(plan(a), plan(b), { exists: (id) => this.store.hasBlock(id) });
  }

  /**
   * Re-runs a recorded turn at its watermark: identical, or where it diverged. Embedders,
   * endpoints, key variables and custom modules come from this runtime's config, not the record.
   */
  replay(callId: string): Promise<ReplayReport> {
    return replay(this.store, callId, { config: this.config });
  }

  /** Re-runs a recorded turn with overrides; no model is called. */
  whatIf(callId: string, overrides: WhatIfOverrides): Promise<WhatIfResult> {
    return whatIf(this.store, callId, overrides, { config: this.config });
  }

  /** Recorded turns of a session, oldest first. */
  traces(session: string): TraceRecord[] {
    return listTraces(this.store, session);
  }

  /** Brings the persisted retriever indexes up to date and saves them (after bulk writes). */
  async flushIndexes(): Promise<void> {
    indexesFor(this.store, this.config.retrievers);
    const set = IndexSet.of(this.store);
    await set.sync();
    await set.save();
  }

  private closed = false;

  /** Saves indexes and closes the store; a second call does nothing. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.spans?.close();
    await flushTraces(this.store);
    if (!this.store.readOnly) await this.flushIndexes();
    this.store.close();
  }
}

/** Opens (or creates) a store as a {@link Runtime}. */
export function openRuntime(dir: string, options: RuntimeOptions = {}): Runtime {
  const config =
    typeof options.config === 'string'
      ? loadConfigFile(options.config)
      : (options.config ?? DEFAULT_CONFIG);
  const storeOptions = {
    clock: options.clock,
    countTokensWith: options.countTokensWith ?? ['o200k_base' as const],
  };
  const store =
    options.create === false ? Store.open(dir, storeOptions) : Store.init(dir, storeOptions);
  return new Runtime(store, config, options.telemetry ?? {});
}
