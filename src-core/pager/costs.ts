import {
  blockLabel,
  chatFraming,
  chatMessageExtra,
  chatPrefix,
  chatSuffix,
  SegmentCounter,
  toolCallLines,
} from '../packer/format';
import type { Catalog, CatalogPool } from '../retrievers/index';
import { blockLine, type BlockRecord, type Store, type StoreSlot } from '../store/index';
import { getTokenizer, type TokenizerId } from '../tokenizer/index';
import type { CostMode } from './exact';
import { MESSAGE_KINDS } from './sections';

/** Line token counts per tokenizer, by body hash, kept on the open store: immutable, so they outlive a call. */
const LINE_COUNTS: StoreSlot<Map<TokenizerId, Map<string, number>>> = {
  name: 'line-counts',
  create: () => new Map(),
};

function lineCountsOf(store: Store, tokenizer: TokenizerId): Map<string, number> {
  const perTokenizer = store.slot(LINE_COUNTS);
  let counts = perTokenizer.get(tokenizer);
  if (counts === undefined) {
    counts = new Map();
    perTokenizer.set(tokenizer, counts);
  }
  return counts;
}

/**
 * Tokens a block adds to a plan (see {@link BlockCosts.cost}) per store, tokenizer and timestamp
 * switch, by record object: a pure function of the record's immutable fields, so it outlives a
 * call. Records are replaced, never mutated, when a block changes; catalog records are the same
 * objects call after call.
 */
const COSTS: StoreSlot<Map<string, WeakMap<BlockRecord, number>>> = {
  name: 'block-costs',
  create: () => new Map(),
};

function costsOf(
  store: Store,
  tokenizer: TokenizerId,
  timestamps: boolean,
  supportsTools: boolean,
  mode: string,
): WeakMap<BlockRecord, number> {
  const perKey = store.slot(COSTS);
  const key = `${tokenizer}:${timestamps}:${supportsTools}:${mode}`;
  let costs = perKey.get(key);
  if (costs === undefined) {
    costs = new WeakMap();
    perKey.set(key, costs);
  }
  return costs;
}

/** Names, in `Catalog.poolData`, how far into a pool {@link BlockCosts.warm} has costed, per rendering key. */
const WARMED_COSTS = { name: 'warmed-costs' };

/** Names, in `Catalog.poolData`, how far into a pool {@link warmLineCounts} has read, per tokenizer. */
const WARMED = { name: 'warmed-line-counts' };

/**
 * Reads the stored line counts of every block of a pool into memory, once per pool and tokenizer
 * (extended as blocks are appended): one point read each, so a page call never waits for the
 * store to learn what a candidate costs. Missing counts stay missing (computed when needed).
 */
export function warmLineCounts(
  store: Store,
  catalog: Catalog,
  tokenizer: TokenizerId,
  pool: CatalogPool,
): void {
  const warmed = catalog.poolData(pool, WARMED, () => new Map<TokenizerId, number>());
  const from = warmed.get(tokenizer) ?? 0;
  if (from >= pool.records.length) return;
  const counts = lineCountsOf(store, tokenizer);
  for (let i = from; i < pool.records.length; i++) {
    const hash = (pool.records[i] as BlockRecord).hash;
    if (counts.has(hash)) continue;
    const n = store.cachedTokens(hash, tokenizer);
    if (n !== undefined) counts.set(hash, n);
  }
  warmed.set(tokenizer, pool.records.length);
}

/**
 * Exact tokens of a block's rendered line, from the in-memory cache, the store's cache, or the
 * tokenizer (then cached in memory; the pager also saves it to the store).
 */
export function lineTokensOf(store: Store, tokenizer: TokenizerId, record: BlockRecord): number {
  return lineTokensCounter(store, tokenizer)(record);
}

/** {@link lineTokensOf} bound to a store and tokenizer, for callers that count many blocks. */
export function lineTokensCounter(
  store: Store,
  tokenizer: TokenizerId,
): (record: BlockRecord) => number {
  const counts = lineCountsOf(store, tokenizer);
  return (record) => lineTokensIn(counts, store, tokenizer, record, undefined);
}

/** A line count to save to the store: body hash, tokenizer, tokens. */
type NewCount = [string, TokenizerId, number];

/** {@link lineTokensOf} over a tokenizer's counts; a count made by the tokenizer is added to `made`. */
function lineTokensIn(
  counts: Map<string, number>,
  store: Store,
  tokenizer: TokenizerId,
  record: BlockRecord,
  made: NewCount[] | undefined,
): number {
  let n = counts.get(record.hash);
  if (n === undefined) {
    n = store.cachedTokens(record.hash, tokenizer);
    if (n === undefined) {
      n = getTokenizer(tokenizer).count(blockLine(store.text(record)));
      made?.push([record.hash, tokenizer, n]);
    }
    counts.set(record.hash, n);
  }
  return n;
}

/** What blocks cost in one call's rendering, memoised per record across calls (see `COSTS`). */
export class BlockCosts {
  readonly counter: SegmentCounter;
  private readonly lineCounts: Map<string, number>;
  /** Line counts made by the tokenizer during the call, saved to the store at its end. */
  private readonly newCounts: NewCount[] = [];
  private readonly costs: WeakMap<BlockRecord, number>;
  private readonly messageCosts: WeakMap<BlockRecord, number>;
  private readonly textCosts: WeakMap<BlockRecord, number>;
  /** Names the rendering the costs are for (see `COSTS`). */
  private readonly key: string;
  /** Costs by position in the pool last warmed (-1: not known yet). */
  private positionCosts: Int32Array | undefined;

  constructor(
    private readonly store: Store,
    private readonly tokenizer: TokenizerId,
    private readonly timestamps: boolean,
    /** False: tool calls and results are sent as plain messages (see `plainToolMessage`). */
    private readonly supportsTools: boolean,
    /** What a block costs: in the plan's rendering, or `bound` (the larger of string and chat). */
    readonly mode: CostMode,
  ) {
    this.counter = new SegmentCounter(getTokenizer(tokenizer));
    this.lineCounts = lineCountsOf(store, tokenizer);
    this.key = `${tokenizer}:${timestamps}:${supportsTools}:${mode}`;
    this.costs = costsOf(store, tokenizer, timestamps, supportsTools, mode);
    this.messageCosts =
      mode === 'chat'
        ? costsOf(store, tokenizer, timestamps, supportsTools, 'message')
        : this.costs;
    this.textCosts =
      mode === 'chat' ? costsOf(store, tokenizer, timestamps, supportsTools, 'text') : this.costs;
  }

  /** Exact tokens of a block's line, cached in memory and (at the end of the call) in the store. */
  lineTokens(record: BlockRecord): number {
    return lineTokensIn(this.lineCounts, this.store, this.tokenizer, record, this.newCounts);
  }

  /**
   * Tokens a block is charged rendered as text in its section (memoised per record): `string`, its
   * label, line and tool-call lines; `bound`, and a message or tool result in `chat`, the larger of
   * that and its chat message (a message taken as text can join the conversation later, and must
   * still fit when it does).
   */
  cost(record: BlockRecord): number {
    let c = this.costs.get(record);
    if (c === undefined) {
      c = this.computeCost(record);
      this.costs.set(record, c);
    }
    return c;
  }

  /** Tokens of a block sent as a chat message (`chat`; otherwise {@link cost}). */
  messageCost(record: BlockRecord): number {
    if (this.mode !== 'chat') return this.cost(record);
    let c = this.messageCosts.get(record);
    if (c === undefined) {
      c =
        chatFraming(record, this.counter, this.supportsTools) +
        this.counter.count(chatPrefix(record, this.timestamps, this.supportsTools)) +
        this.lineTokens(record) +
        this.counter.count(chatSuffix(record, this.supportsTools));
      this.messageCosts.set(record, c);
    }
    return c;
  }

  /** Tokens of a block rendered as text: label, line, tool-call lines. */
  textCost(record: BlockRecord): number {
    if (this.mode === 'string') return this.cost(record);
    let c = this.textCosts.get(record);
    if (c === undefined) {
      c = this.textTokens(record, this.lineTokens(record));
      this.textCosts.set(record, c);
    }
    return c;
  }

  /** Label, line and tool-call lines, counted (not memoised). */
  private textTokens(record: BlockRecord, line: number): number {
    return (
      this.counter.count(blockLabel(record, this.timestamps)) +
      line +
      (record.toolCalls === undefined ? 0 : this.counter.count(toolCallLines(record)))
    );
  }

  private computeCost(record: BlockRecord): number {
    const line = this.lineTokens(record);
    const text = this.textTokens(record, line);
    if (
      this.mode === 'string' ||
      (!MESSAGE_KINDS.has(record.kind) && record.kind !== 'tool-result')
    )
      return text;
    const time = this.timestamps
      ? this.counter.count(`[${new Date(record.createdAt).toISOString()}]\n`)
      : 0;
    return Math.max(text, chatMessageExtra(record, this.counter, this.supportsTools) + time + line);
  }

  /**
   * Works out the cost of every block of a pool whose line count is already known (stored or
   * counted before), once per pool, tokenizer and rendering (extended as blocks are appended): a
   * call then finds each candidate's cost memoised instead of building its label and looking up
   * its line count while it pages (about 4 ms of a 128k-token call at 100k blocks). From the
   * pool's second call on: a process that pages once (a CLI command) never pays for it (about
   * 0.25 s at 100k blocks, once). Blocks without a known count stay for the call that needs them
   * (counting means reading the body).
   */
  warm(catalog: Catalog, pool: CatalogPool): void {
    const state = catalog.poolData(pool, WARMED_COSTS, () => ({
      calls: 0,
      upTo: new Map<string, number>(),
      byPosition: new Map<string, Int32Array>(),
    }));
    const records = pool.records;
    let positions = state.byPosition.get(this.key);
    if (positions === undefined || positions.length < records.length) {
      const grown = new Int32Array(Math.max(records.length, 1024)).fill(-1);
      if (positions !== undefined) grown.set(positions);
      state.byPosition.set(this.key, (positions = grown));
    }
    this.positionCosts = positions;
    if (++state.calls < 2) return;
    const from = state.upTo.get(this.key) ?? 0;
    if (from >= records.length) return;
    for (let i = from; i < records.length; i++) {
      const record = records[i] as BlockRecord;
      if (positions[i] !== -1 || !this.lineCounts.has(record.hash)) continue;
      // Into the array only: a WeakMap entry per block of the pool would be 100k ephemerons for
      // every major GC to trace.
      positions[i] = this.costs.get(record) ?? this.computeCost(record);
    }
    state.upTo.set(this.key, records.length);
  }

  /**
   * {@link cost} of the block at position `i` of the pool last {@link warm}ed: an array read
   * instead of a lookup by record.
   */
  costAt(i: number, record: BlockRecord): number {
    const positions = this.positionCosts;
    if (positions === undefined || i >= positions.length) return this.cost(record);
    let c = positions[i] as number;
    if (c < 0) positions[i] = c = this.cost(record);
    return c;
  }

  /** Saves the line counts the call made to the store. */
  flushTokenCounts(): void {
    this.store.saveTokenCounts(this.newCounts);
    this.newCounts.length = 0;
  }
}
