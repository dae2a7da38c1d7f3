// What became of recorded calls (output, latency, usage, cost), kept per open store. The session
// index's summaries carry what the facts need (src-core/tracer: `TraceSummary`), so a list of
// 1,000 big turns reads 1,000 small summaries; a summary written before they did (or a call asked
// for without its session) falls back to decoding the trace record (about 1 MB for a 128k-token
// turn). Facts are kept until the store's change log names the call again (`recordOutput` logs
// a `trace` change).
import { CALL_OUTPUT_PREVIEW, type CallFactsView } from '../contract/contract-turns';
import { callCost } from './turn-groups';
import {
  findProfile,
  getTrace,
  getTraceSummary,
  idTime,
  traceSummary,
  profilePrices,
  type BlockId,
  type Config,
  type ModelPrices,
  type Store,
  type TraceRecord,
  type OutputSummary,
  type TraceSummary,
} from '../../runtime';

/** Changes read to invalidate the cache; past this many since the last read, it starts over. */
const MAX_CHANGES_READ = 5000;

/** What the facts of one call are made of: a trace summary's fields, or the same read from its record. */
export interface CallFactsInput {
  readonly callId: BlockId;
  /** Tokens of the rendered prompt (the cost's basis without usage). */
  readonly tokens: number;
  readonly runtimeMs: number | null;
  /** The output with every run of white space as one space (at least its first 500 characters). */
  readonly output: Pick<OutputSummary, 'line' | 'chars' | 'recordedAt' | 'usage'> | null;
}

/** Facts per call id. */
export class CallFacts {
  private readonly facts = new Map<string, CallFactsView>();
  /** Whole outputs read from records, for search (a summary keeps only the first 500 characters). */
  private readonly texts = new Map<string, string>();
  private seq: number;

  constructor(
    private readonly store: Store,
    private readonly config: Config,
  ) {
    this.seq = store.changeSeq();
  }

  /**
   * The facts of a call; undefined when its record is gone or unreadable. With the call's
   * session they come from its summary in the session index when it has them.
   */
  get(callId: string, session?: string): CallFactsView | undefined {
    this.forgetChanged();
    const hit = this.facts.get(callId);
    if (hit !== undefined) return hit;
    const summary =
      session === undefined ? undefined : getTraceSummary(this.store, session, callId);
    const view =
      (summary === undefined ? undefined : this.ofSummary(summary)) ?? this.fromRecord(callId);
    if (view !== undefined) this.facts.set(callId, view);
    return view;
  }

  /**
   * The recorded output of a call with every run of white space as one space ('' when none): from
   * its summary when the summary holds all of it, else from its record.
   */
  outputLine(call: TraceSummary): string {
    if (call.output === null) return '';
    if (call.output?.whole === true) return call.output.line;
    this.forgetChanged();
    let text = this.texts.get(call.callId);
    if (text === undefined) {
      text = readTrace(this.store, call.callId)?.output?.text ?? '';
      this.texts.set(call.callId, text);
    }
    return text.replace(/\s+/g, ' ');
  }

  /** Facts from a summary alone; undefined when it was written before summaries carried them. */
  ofSummary(summary: TraceSummary): CallFactsView | undefined {
    const { output, runtimeMs } = summary;
    if (output === undefined || runtimeMs === undefined) return undefined;
    const prices = this.configuredPrices(summary.model) ?? summary.prices;
    if (prices === undefined) return undefined;
    return callFacts({ callId: summary.callId, tokens: summary.tokens, runtimeMs, output }, prices);
  }

  private fromRecord(callId: string): CallFactsView | undefined {
    const record = readTrace(this.store, callId);
    // A summary made now has every field.
    return record === undefined ? undefined : this.ofSummary(traceSummary(record));
  }

  /** The config's prices for a model name (an override wins over the recorded profile's). */
  private configuredPrices(model: string): ModelPrices | undefined {
    try {
      return profilePrices(findProfile(model, this.config.profiles));
    } catch {
      return undefined; // a custom profile passed to the call, unknown to this config
    }
  }

  private forgetChanged(): void {
    const now = this.store.changeSeq();
    if (now === this.seq) return;
    if (now - this.seq > MAX_CHANGES_READ) {
      this.facts.clear();
      this.texts.clear();
    } else {
      for (const change of this.store.changesSince(this.seq))
        if (change.op === 'trace') {
          this.facts.delete(change.id);
          this.texts.delete(change.id);
        }
    }
    this.seq = now;
  }
}

/** A call's facts at the given prices (null: unpriced). */
export function callFacts(input: CallFactsInput, prices: ModelPrices | null): CallFactsView {
  const { output } = input;
  const line = output === null ? null : output.line.trim();
  const recorded = safeIdTime(input.callId);
  const latency = output === null || recorded === undefined ? null : output.recordedAt - recorded;
  const usage = output?.usage;
  return {
    output:
      line === null
        ? null
        : line.length > CALL_OUTPUT_PREVIEW
          ? `${line.slice(0, CALL_OUTPUT_PREVIEW - 1)}…`
          : line,
    outputChars: output?.chars ?? 0,
    // A negative span means the output was recorded with another clock: no latency then.
    latencyMs: latency === null || latency < 0 ? null : latency,
    runtimeMs: input.runtimeMs,
    usage:
      usage === undefined
        ? null
        : {
            inputTokens: usage.inputTokens ?? null,
            outputTokens: usage.outputTokens ?? null,
            cachedInputTokens: usage.cachedInputTokens ?? null,
          },
    cost: callCost(prices ?? undefined, usage, input.tokens),
  };
}

function readTrace(store: Store, callId: string): TraceRecord | undefined {
  try {
    return getTrace(store, callId);
  } catch {
    return undefined;
  }
}

function safeIdTime(id: BlockId): number | undefined {
  try {
    return idTime(id);
  } catch {
    return undefined;
  }
}
