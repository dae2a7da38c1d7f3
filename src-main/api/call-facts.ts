// What became of recorded calls (output, latency, usage, cost), kept per open store. The session
// index's summaries do not carry them, so each trace record is decoded once (a 128k-token turn's
// record is about 1 MB) and its facts kept until the store's change log names the call again
// (`recordOutput` logs a `trace` change).
import { CALL_OUTPUT_PREVIEW, type CallFactsView } from './contract-turns';
import { callCost } from './turn-groups';
import {
  findProfile,
  getTrace,
  idTime,
  profilePrices,
  type BlockId,
  type Config,
  type ModelPrices,
  type Store,
  type TraceRecord,
} from './runtime';

/** Changes read to invalidate the cache; past this many since the last read, it starts over. */
const MAX_CHANGES_READ = 5000;

/** Facts per call id, plus the whole output text for search. */
export class CallFacts {
  private readonly facts = new Map<
    string,
    { readonly view: CallFactsView; readonly text: string }
  >();
  private seq: number;

  constructor(
    private readonly store: Store,
    private readonly config: Config,
  ) {
    this.seq = store.changeSeq();
  }

  /** The facts of a call; undefined when its record is gone or unreadable. */
  get(callId: string): CallFactsView | undefined {
    return this.entry(callId)?.view;
  }

  /** The whole recorded output of a call ('' when none). */
  outputText(callId: string): string {
    return this.entry(callId)?.text ?? '';
  }

  private entry(
    callId: string,
  ): { readonly view: CallFactsView; readonly text: string } | undefined {
    this.forgetChanged();
    const hit = this.facts.get(callId);
    if (hit !== undefined) return hit;
    let record: TraceRecord;
    try {
      record = getTrace(this.store, callId);
    } catch {
      return undefined;
    }
    const entry = {
      view: callFacts(record, this.pricesOf(record)),
      text: record.output?.text ?? '',
    };
    this.facts.set(callId, entry);
    return entry;
  }

  /** The config's prices for the model's name (an override wins), else the recorded profile's. */
  private pricesOf(record: TraceRecord): ModelPrices | undefined {
    let configured: ModelPrices | undefined;
    try {
      configured = profilePrices(findProfile(record.model.name, this.config.profiles));
    } catch {
      configured = undefined; // a custom profile passed to the call, unknown to this config
    }
    return configured ?? profilePrices(record.model);
  }

  private forgetChanged(): void {
    const now = this.store.changeSeq();
    if (now === this.seq) return;
    if (now - this.seq > MAX_CHANGES_READ) {
      this.facts.clear();
    } else {
      for (const change of this.store.changesSince(this.seq))
        if (change.op === 'trace') this.facts.delete(change.id);
    }
    this.seq = now;
  }
}

/** A record's facts at the given prices. */
export function callFacts(record: TraceRecord, prices: ModelPrices | undefined): CallFactsView {
  const { output } = record;
  const line = output === undefined ? null : output.text.replace(/\s+/g, ' ').trim();
  const recorded = safeIdTime(record.callId);
  const latency =
    output === undefined || recorded === undefined ? null : output.recordedAt - recorded;
  // Paging records its stages and their `total` (older records: `page`); packing adds `pack`.
  const page = record.timings['total'] ?? record.timings['page'];
  const pack = record.timings['pack'];
  const usage = output?.usage;
  return {
    output:
      line === null
        ? null
        : line.length > CALL_OUTPUT_PREVIEW
          ? `${line.slice(0, CALL_OUTPUT_PREVIEW - 1)}…`
          : line,
    outputChars: output?.text.length ?? 0,
    // A negative span means the output was recorded with another clock: no latency then.
    latencyMs: latency === null || latency < 0 ? null : latency,
    runtimeMs: page === undefined && pack === undefined ? null : (page ?? 0) + (pack ?? 0),
    usage:
      usage === undefined
        ? null
        : {
            inputTokens: usage.inputTokens ?? null,
            outputTokens: usage.outputTokens ?? null,
            cachedInputTokens: usage.cachedInputTokens ?? null,
          },
    cost: callCost(prices, usage, record.tokens),
  };
}

function safeIdTime(id: BlockId): number | undefined {
  try {
    return idTime(id);
  } catch {
    return undefined;
  }
}
