import { Llm386Error, parseSession, type BlockId } from '../base/index';
import {
  profilePrices,
  type ModelPrices,
  type ModelProfile,
  type PagerConfig,
  type RetrieverConfig,
  type SectionBudgets,
} from '../config/index';
import type { Plan } from '../pager/index';
import type { Store, StoreSlot } from '../store/index';

/** The trace record format this build writes. */
export const TRACE_FORMAT_VERSION = 1;

/** How the prompt was rendered (decides the bytes hashed). */
export type PackMode = 'string' | 'chat' | 'openai' | 'anthropic';

/** The policy in force for a call, in a form that can rebuild it for replay. */
export interface RecordedPolicy {
  /** The effective retriever stack (the config's, or the default one). */
  readonly retrievers: readonly RetrieverConfig[];
  readonly sectionBudgets: SectionBudgets;
  readonly pager: PagerConfig;
  readonly includeTimestamps: boolean;
  readonly stableSections: readonly string[];
}

/** Provider token usage, as reported after the call. */
export interface Usage {
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly cachedInputTokens?: number | undefined;
}

/** What the model saw on one call, and why: enough to replay it byte for byte. */
export interface TraceRecord {
  readonly formatVersion: number;
  readonly callId: BlockId;
  readonly session: string;
  /** The call's time (ms); replay uses it as `now`. */
  readonly createdAt: number;
  readonly runtimeVersion: string;
  readonly tokenizerVersion: string;
  readonly model: ModelProfile;
  readonly policy: RecordedPolicy;
  readonly task: string;
  readonly required: readonly BlockId[];
  /** The input budget override, if the call had one. */
  readonly budget: number | null;
  /** The newest block id visible to the call. */
  readonly watermark: BlockId | null;
  /** The store's change sequence number at the call. */
  readonly changeSeq: number;
  readonly mode: PackMode;
  readonly plan: Plan;
  /** SHA-256 of the exact bytes sent (chat and provider modes: canonical JSON); the bytes are kept under it. */
  readonly promptHash: string;
  readonly tokens: number;
  /** Milliseconds per stage, page and pack. */
  readonly timings: Readonly<Record<string, number>>;
  readonly output?:
    | { readonly text: string; readonly recordedAt: number; readonly usage?: Usage | undefined }
    | undefined;
}

/**
 * What a list of trace records shows of one: kept beside the session index, so listing a session's
 * calls never decodes their plans (a 128k-token plan is about 1 MB).
 */
export interface TraceSummary {
  readonly callId: BlockId;
  readonly session: string;
  readonly createdAt: number;
  /** Model profile name. */
  readonly model: string;
  /** The plan's input budget (after any override). */
  readonly inputBudget: number;
  readonly tokens: number;
  /** The plan's overhead (task and framing). */
  readonly overhead: number;
  readonly selected: number;
  readonly omitted: number;
  /** The task, cut at {@link SUMMARY_TASK_LENGTH} characters. */
  readonly task: string;
  readonly mode: PackMode;
  readonly promptHash: string;
  readonly hasOutput: boolean;
  /** The newest block id visible to the call: a block with a larger id cannot be among its candidates. */
  readonly watermark: BlockId | null;
  // The fields below were added later: a summary written before them lacks them (undefined), and
  // a reader that needs one decodes the record instead.
  /** The store's write sequence number the call saw (the plan's `watermarkSeq`), if it recorded one. */
  readonly watermarkSeq?: number | undefined;
  /** Milliseconds spent paging and packing (timings `total`, or `page` in older records, plus `pack`); null when untimed. */
  readonly runtimeMs?: number | null | undefined;
  /** The recorded model profile's list prices; null when it had none. */
  readonly prices?: ModelPrices | null | undefined;
  /** The model's recorded output; null while none is recorded. */
  readonly output?: OutputSummary | null | undefined;
}

/** What a {@link TraceSummary} keeps of a recorded output. */
export interface OutputSummary {
  /** The output with every run of white space as one space, cut at {@link SUMMARY_OUTPUT_LENGTH} characters. */
  readonly line: string;
  /** True when `line` is the whole output (nothing was cut). */
  readonly whole: boolean;
  /** Characters of the whole output. */
  readonly chars: number;
  /** When the output was recorded (ms). */
  readonly recordedAt: number;
  readonly usage?: Usage | undefined;
}

/** Longest task kept in a {@link TraceSummary}. */
export const SUMMARY_TASK_LENGTH = 500;

/** Longest output line kept in a {@link TraceSummary}. */
export const SUMMARY_OUTPUT_LENGTH = 500;

/** The summary of a trace record. */
export function traceSummary(record: TraceRecord): TraceSummary {
  return {
    callId: record.callId,
    session: record.session,
    createdAt: record.createdAt,
    model: record.model.name,
    inputBudget: record.plan.budget.input,
    tokens: record.tokens,
    overhead: record.plan.budget.overhead,
    selected: record.plan.selected.length,
    omitted: record.plan.omitted.length,
    task: record.task.slice(0, SUMMARY_TASK_LENGTH),
    mode: record.mode,
    promptHash: record.promptHash,
    hasOutput: record.output !== undefined,
    watermark: record.watermark,
    ...(record.plan.watermarkSeq === undefined ? {} : { watermarkSeq: record.plan.watermarkSeq }),
    runtimeMs: runtimeMs(record.timings),
    prices: profilePrices(record.model) ?? null,
    output: record.output === undefined ? null : outputSummary(record.output),
  };
}

/** Paging (its `total`; older records: `page`) plus packing, or null when neither was timed. */
function runtimeMs(timings: TraceRecord['timings']): number | null {
  const page = timings['total'] ?? timings['page'];
  const pack = timings['pack'];
  return page === undefined && pack === undefined ? null : (page ?? 0) + (pack ?? 0);
}

function outputSummary(output: NonNullable<TraceRecord['output']>): OutputSummary {
  const line = output.text.replace(/\s+/g, ' ');
  return {
    line: line.slice(0, SUMMARY_OUTPUT_LENGTH),
    whole: line.length <= SUMMARY_OUTPUT_LENGTH,
    chars: output.text.length,
    recordedAt: output.recordedAt,
    ...(output.usage === undefined ? {} : { usage: output.usage }),
  };
}

/** Writes a trace record, its summary and its prompt bytes in one transaction. */
export function saveTrace(store: Store, record: TraceRecord, promptBytes: Uint8Array): void {
  store.transaction(() => {
    store.traceLog.put(record.callId, record.session, record, traceSummary(record), {
      hash: record.promptHash,
      bytes: promptBytes,
    });
    store.logChange({ op: 'trace', id: record.callId, session: record.session });
  });
}

interface Pending {
  readonly record: TraceRecord;
  readonly done: Promise<void>;
  readonly store: Store;
  readonly promptBytes: Uint8Array;
  written: boolean;
  settle: (error?: unknown) => void;
}

/** Writes a pending record now (once), settling its promise. */
function writePending(p: Pending): void {
  if (p.written) return;
  p.written = true;
  try {
    saveTrace(p.store, p.record, p.promptBytes);
    p.settle();
  } catch (error) {
    p.settle(error);
  }
}

/**
 * Trace records written behind their calls, by call id, per open store. When the store closes,
 * what is still pending is written first: a caller that closes without `flushTraces` loses nothing.
 */
const PENDING: StoreSlot<Map<string, Pending>> = {
  name: 'pending-traces',
  create: () => new Map(),
  close: (pending) => {
    for (const p of [...pending.values()]) if (!p.written) writePending(p);
  },
};

/**
 * Records a trace behind the call: encoding the plan and committing it (about 10-30 ms for a 128k
 * turn) happens on the next turn of the event loop, typically while the model is answering, so it
 * adds nothing to the page+pack the caller waits for. Until it is written, `getTrace` and
 * `listTraces` serve it from memory; {@link flushTraces} waits for every pending write (the CLI
 * and `Runtime.close` do before closing the store). Returns the write's promise.
 */
export function saveTraceBehind(
  store: Store,
  record: TraceRecord,
  promptBytes: Uint8Array,
): Promise<void> {
  const map = store.slot(PENDING);
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => {
      map.delete(record.callId);
      if (error === undefined) resolve();
      else reject(error);
    };
  });
  const pending: Pending = { record, done, store, promptBytes, written: false, settle };
  map.set(record.callId, pending);
  setImmediate(() => writePending(pending));
  return done;
}

/** Waits until every trace recorded behind a call on this store is written. */
export async function flushTraces(store: Store): Promise<void> {
  await Promise.all([...store.slot(PENDING).values()].map((p) => p.done));
}

function pendingTrace(store: Store, callId: string): TraceRecord | undefined {
  return store.slot(PENDING).get(callId)?.record;
}

/** A trace record by call id, or throws `trace-not-found` with a hint. */
export function getTrace(store: Store, callId: string): TraceRecord {
  const record =
    pendingTrace(store, callId) ?? (store.traceLog.get(callId) as TraceRecord | undefined);
  if (record === undefined) {
    throw new Llm386Error(
      'trace-not-found',
      `no trace ${callId} in this store: list them with \`llm386 trace list --session S\``,
    );
  }
  if (record.formatVersion > TRACE_FORMAT_VERSION) {
    throw new Llm386Error(
      'store-version-too-new',
      `trace ${callId} has format version ${record.formatVersion}: upgrade llm386`,
    );
  }
  return record;
}

/** The exact rendered prompt bytes of a trace. */
export function tracePrompt(store: Store, record: TraceRecord): Buffer | undefined {
  return store.traceLog.prompt(record.promptHash);
}

/** Trace records of a session, oldest first. */
export function listTraces(
  store: Store,
  session: string,
  options: { limit?: number } = {},
): TraceRecord[] {
  parseSession(session);
  const out: TraceRecord[] = [];
  for (const id of store.traceLog.callIds(session, { limit: options.limit })) {
    const record = store.traceLog.get(id) as TraceRecord | undefined;
    if (record !== undefined) out.push(record);
  }
  const pending = [...store.slot(PENDING).values()]
    .map((p) => p.record)
    .filter((r) => r.session === session && !out.some((o) => o.callId === r.callId));
  return [...out, ...pending].sort((a, b) =>
    a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0,
  );
}

/**
 * Summaries of a session's trace records, oldest first (newest first with `reverse`), read from
 * the session index; records written before summaries were kept are decoded instead.
 */
export function listTraceSummaries(
  store: Store,
  session: string,
  options: { limit?: number; reverse?: boolean } = {},
): TraceSummary[] {
  parseSession(session);
  const out: TraceSummary[] = [];
  const reverse = options.reverse === true;
  for (const { callId: id, summary: value } of store.traceLog.calls(session, {
    reverse,
    limit: options.limit,
  })) {
    if (value !== null && typeof value === 'object') {
      out.push(value as TraceSummary);
    } else {
      const record = store.traceLog.get(id) as TraceRecord | undefined;
      if (record !== undefined) out.push(traceSummary(record));
    }
  }
  const pending = [...store.slot(PENDING).values()]
    .map((p) => p.record)
    .filter((r) => r.session === session && !out.some((o) => o.callId === r.callId));
  const all = [...out, ...pending.map(traceSummary)].sort((a, b) =>
    a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0,
  );
  return reverse ? all.reverse() : all;
}

/**
 * The summary of one call of a session, read from the session index (a record written before
 * summaries were kept is decoded instead); undefined when the session has no such call.
 */
export function getTraceSummary(
  store: Store,
  session: string,
  callId: string,
): TraceSummary | undefined {
  const pending = pendingTrace(store, callId);
  if (pending !== undefined) return pending.session === session ? traceSummary(pending) : undefined;
  const value = store.traceLog.summary(session, callId);
  if (value === undefined) return undefined;
  if (value !== null && typeof value === 'object') return value as TraceSummary;
  const record = store.traceLog.get(callId) as TraceRecord | undefined;
  return record === undefined ? undefined : traceSummary(record);
}

/** Patches the model's output and the provider's token usage into a recorded call. */
export async function recordOutput(
  store: Store,
  callId: string,
  output: string,
  usage?: Usage,
  now = Date.now(),
): Promise<TraceRecord> {
  await flushTraces(store);
  return store.transaction(() => {
    const record = getTrace(store, callId);
    const patched: TraceRecord = {
      ...record,
      output: { text: output, recordedAt: now, ...(usage === undefined ? {} : { usage }) },
    };
    store.traceLog.put(callId, patched.session, patched, traceSummary(patched));
    store.logChange({ op: 'trace', id: callId, session: patched.session });
    return patched;
  });
}
