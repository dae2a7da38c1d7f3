import type { RootDatabase } from 'lmdb';
import {
  Llm386Error,
  assert,
  parseBlockId,
  parseEdgeKind,
  parseSession,
  randomIdSource,
  injectFault,
  systemClock,
  type BlockId,
  type Clock,
  type EdgeKind,
  type IdSource,
} from '../base/index';
import { EmbeddingCache, IndexTables, TraceLog } from './module-tables';
import { type Change, type StoreDatabases } from './tables';
import {
  checkStoreDir,
  closeRoot,
  openEnvironment,
  prepareStoreDir,
  trackOpen,
  untrack,
} from './store-file';
import { prepare } from './store-input';
import { BodyTexts } from './body-texts';
import { EdgeTable } from './edge-table';
import { ChangeLog } from './change-log';
import { SessionIndex } from './session-index';
import { BlockWrites } from './block-writes';
import { getTokenizer, type TokenizerId } from '../tokenizer/index';
import {
  blockLine,
  type Block,
  type BlockRecord,
  type Edge,
  type ListOptions,
  type PutInput,
  type PutResult,
} from './block';

export { STORE_FORMAT_VERSION } from './store-file';

export { STORE_FILE } from './store-file';

/**
 * State another module keeps per open store (a catalog, an edge index, pending trace writes):
 * created on first use by {@link Store.slot}, owned by the store and closed with it. Modules hold
 * the slot descriptor (a constant), never the state: no module-level per-store maps.
 */
export interface StoreSlot<T> {
  readonly name: string;
  create(store: Store): T;
  /** Runs when the store closes, before LMDB does (to write what is pending, say). */
  close?(value: T): void;
}

/** Options of {@link Store.open} and {@link Store.init}. */
export interface StoreOptions {
  readonly clock?: Clock | undefined;
  readonly ids?: IdSource | undefined;
  /** Open without write access (verify, inspector browsing). */
  readonly readOnly?: boolean | undefined;
  /** Tokenizers whose counts are computed and cached at write time. Default: none (counted lazily). */
  readonly countTokensWith?: readonly TokenizerId[] | undefined;
}

/** The persistent, content-addressed block store over LMDB. */
export class Store {
  readonly dir: string;
  readonly readOnly: boolean;
  /** @internal The databases, for verify, repair and salvage inside this module only (lint-enforced). */
  readonly db: StoreDatabases;
  /** The tracer's records, their per-session index and the prompt bytes. */
  readonly traceLog: TraceLog;
  /** The retriever indexes' manifests and snapshots. */
  readonly indexTables: IndexTables;
  /** Embeddings by (embedder id, body hash). */
  readonly embeddings: EmbeddingCache;
  private readonly root: RootDatabase;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly countTokensWith: readonly TokenizerId[];
  private closed = false;
  private readonly log: ChangeLog;
  private readonly slots = new Map<StoreSlot<unknown>, unknown>();
  private readonly bodies: BodyTexts;
  private readonly edgeTable: EdgeTable;
  private readonly index: SessionIndex;
  private readonly writes: BlockWrites;

  private constructor(dir: string, root: RootDatabase, db: StoreDatabases, options: StoreOptions) {
    this.dir = dir;
    this.root = root;
    this.db = db;
    this.readOnly = options.readOnly ?? false;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIdSource();
    this.countTokensWith = options.countTokensWith ?? [];
    const inTransaction = <T>(fn: () => T): T =>
      this.readOnly ? fn() : this.root.transactionSync(fn);
    this.log = new ChangeLog(db);
    this.traceLog = new TraceLog(db);
    this.bodies = new BodyTexts(db.bodies);
    this.edgeTable = new EdgeTable(db, (change) => this.logChange(change));
    this.index = new SessionIndex(db);
    this.writes = new BlockWrites({
      db,
      clock: this.clock,
      ids: this.ids,
      countTokensWith: this.countTokensWith,
      log: this.log,
      edgeTable: this.edgeTable,
      index: this.index,
      logChange: (change) => this.logChange(change),
      getRecord: (id) => this.getRecord(id),
    });
    this.indexTables = new IndexTables(db);
    this.embeddings = new EmbeddingCache(db, inTransaction);
  }

  /** The on-disk format version this store is in. */
  formatVersion(): number {
    return this.db.meta.get('formatVersion') as number;
  }

  /** True when repair moved this block aside (its bytes no longer matched its hash, or were gone). */
  isQuarantined(id: string): boolean {
    return this.db.quarantine.doesExist(id);
  }

  /** Creates a store in `dir` (creating the directory), or opens it when it already holds one. */
  static init(dir: string, options: StoreOptions = {}): Store {
    prepareStoreDir(dir);
    return Store.fromEnvironment(dir, options, true);
  }

  /** Opens the store in `dir`; fails with `store-not-found`, `not-a-store`, `store-corrupt` or `store-version-too-new`. */
  static open(dir: string, options: StoreOptions = {}): Store {
    checkStoreDir(dir);
    return Store.fromEnvironment(dir, options, false);
  }

  private static fromEnvironment(dir: string, options: StoreOptions, create: boolean): Store {
    const { root, db } = openEnvironment(dir, {
      readOnly: options.readOnly ?? false,
      create,
      now: () => (options.clock ?? systemClock).now(),
    });
    const store = new Store(dir, root, db, options);
    trackOpen(store);
    return store;
  }

  /** This store's value of a slot, created on first use (see {@link StoreSlot}). */
  slot<T>(slot: StoreSlot<T>): T {
    if (this.slots.has(slot)) return this.slots.get(slot) as T;
    const value = slot.create(this);
    this.slots.set(slot, value);
    return value;
  }

  /** Closes the store (its slots first, in creation order); further calls fail. */
  close(): void {
    if (this.closed) return;
    const errors: unknown[] = [];
    for (const [slot, value] of this.slots) {
      try {
        slot.close?.(value);
      } catch (error) {
        errors.push(error);
      }
    }
    this.slots.clear();
    this.closed = true;
    untrack(this);
    closeRoot(this.dir, this.root);
    if (errors.length > 0) throw errors[0];
  }

  /** Runs `fn` in one write transaction: every write inside commits together or not at all. */
  transaction<T>(fn: () => T): T {
    this.assertWritable();
    return this.root.transactionSync(fn);
  }

  /** Stores one block; see {@link Store.putMany}. */
  put(input: PutInput): PutResult {
    const [result] = this.putMany([input]);
    assert(result !== undefined, 'putMany returns one result per input');
    return result;
  }

  /**
   * Stores blocks in one transaction, applying the dedup rules: knowledge kinds with an existing
   * (kind, hash) return the existing block with the session added; event kinds always create a new
   * block; body bytes are stored once per hash. Invalid input throws before anything is written.
   */
  putMany(inputs: readonly PutInput[]): PutResult[] {
    this.assertWritable();
    const prepared = inputs.map((input) => prepare(input));
    // Count tokens before the write transaction so it stays short.
    const counts =
      this.countTokensWith.length === 0
        ? undefined
        : prepared.map((p) => this.writes.countsFor(p.bytes, p.hash));
    injectFault('commit');
    return this.root.transactionSync(() =>
      this.log.batched(() => this.writes.putBatch(prepared, counts)),
    );
  }

  /**
   * Writes blocks and edges in one transaction: all of it or none of it. Edges may name blocks
   * of the same commit (by their explicit ids).
   */
  commit(
    puts: readonly PutInput[],
    edges: readonly { from: string; kind: EdgeKind | string; to: string }[] = [],
  ): PutResult[] {
    this.assertWritable();
    return this.root.transactionSync(() => {
      const results = this.putMany(puts);
      for (const e of edges) this.addEdge(e.from, e.kind, e.to);
      return results;
    });
  }

  /** The block's metadata, or undefined. */
  getRecord(id: string): BlockRecord | undefined {
    const stored = this.db.blocks.get(parseBlockId(id));
    if (stored === undefined) return undefined;
    const { shared, home, ...record } = stored;
    // A block never shared is in the one session it was written into: no membership scan.
    const sessions = shared !== true && home !== undefined ? [home] : this.sessionsOf(stored.id);
    return { ...record, sessions };
  }

  /**
   * The write that created the block (its record's `seq`; 0 for blocks migrated from format 1), or
   * undefined when it does not exist: one read, without the record's sessions.
   */
  writeSeq(id: string): number | undefined {
    const stored = this.db.blocks.get(parseBlockId(id));
    return stored === undefined ? undefined : (stored.seq ?? 0);
  }

  /** Whether the block exists, without decoding its record (diffs ask this for every removed block). */
  hasBlock(id: string): boolean {
    return this.db.blocks.doesExist(parseBlockId(id));
  }

  /** The block's metadata, or throws `block-not-found`. */
  requireRecord(id: string): BlockRecord {
    const record = this.getRecord(id);
    if (record === undefined) {
      throw new Llm386Error(
        'block-not-found',
        `no block ${id} in this store: check the id (\`llm386 list-sessions\`, \`llm386 put\` output)`,
      );
    }
    return record;
  }

  /** The block with its body, or undefined. */
  get(id: string): Block | undefined {
    const record = this.getRecord(id);
    if (record === undefined) return undefined;
    const body = this.db.bodies.get(record.hash);
    if (body === undefined) {
      throw new Llm386Error(
        'store-corrupt',
        `block ${id} has no body ${record.hash}: run \`llm386 verify\` then \`llm386 repair --yes\``,
      );
    }
    return { ...record, body };
  }

  /** The body bytes stored under a hash, or undefined. */
  getBody(hash: string): Uint8Array | undefined {
    return this.db.bodies.get(hash);
  }

  /**
   * True when the body stored under `hash` still hashes to it (bytes flipped on disk make it
   * false; a missing body too). Each body is hashed once per open store; a mismatch is remembered.
   */
  bodyIntact(hash: string): boolean {
    return this.bodies.bodyIntact(hash);
  }

  /** True when this open store has found the body under `hash` not to match it (a Set lookup). */
  knownCorrupt(hash: string): boolean {
    return this.bodies.knownCorrupt(hash);
  }

  /**
   * The body as text for a prompt: as {@link Store.text}, but checked against its hash when first
   * read; a body that no longer matches throws `store-corrupt` with `details.hash`.
   */
  promptText(record: BlockRecord): string {
    return this.bodies.promptText(record);
  }

  /** The body as text (binary bodies as a placeholder), or throws `store-corrupt` when it is missing. */
  text(record: BlockRecord): string {
    return this.bodies.text(record);
  }

  /**
   * Token count of a block as rendered ({@link blockLine}) under a tokenizer, computed at most once
   * per (hash, tokenizer) and cached in the store.
   */
  tokens(record: BlockRecord, tokenizer: TokenizerId): number {
    const cached = this.db.tokens.get([record.hash, tokenizer]);
    if (cached !== undefined) return cached;
    const n = getTokenizer(tokenizer).count(blockLine(this.text(record)));
    if (!this.readOnly) this.db.tokens.putSync([record.hash, tokenizer], n);
    return n;
  }

  /** The cached token count of a body under a tokenizer, or undefined (never computes). */
  cachedTokens(hash: string, tokenizer: TokenizerId): number | undefined {
    return this.db.tokens.get([hash, tokenizer]);
  }

  /** Caches computed token counts in one transaction (no-op on a read-only store). */
  saveTokenCounts(
    entries: readonly (readonly [hash: string, tokenizer: TokenizerId, count: number])[],
  ): void {
    if (this.readOnly || entries.length === 0) return;
    this.root.transactionSync(() => {
      for (const [hash, tokenizer, n] of entries) this.db.tokens.putSync([hash, tokenizer], n);
    });
  }

  /** The sessions holding a block, sorted (its membership rows). */
  sessionsOf(id: string): string[] {
    return this.index.sessionsOf(id);
  }

  /** The write that added a block to a session, or undefined when it is not there. */
  joinedAt(id: string, session: string): number | undefined {
    return this.index.joinedAt(id, session);
  }

  /** A block's record as listed in one session (with the write that added it there), or undefined. */
  sessionRecord(session: string, id: string): BlockRecord | undefined {
    return this.index.sessionRecord(session, id);
  }

  /** Blocks of a session in id (creation) order, filtered by kind and time, using the session indexes. */
  list(session: string, options: ListOptions = {}): BlockRecord[] {
    return this.index.list(session, options);
  }

  /** Ids of a session's blocks, as {@link Store.list} without reading the records. */
  listIds(session: string, options: ListOptions = {}): BlockId[] {
    return this.index.listIds(session, options);
  }

  /** Blocks of each kind in a session, counted over the session-kind index keys (no ids materialised). */
  kindCounts(session: string, kinds: readonly string[]): Record<string, number> {
    return this.index.kindCounts(session, kinds);
  }

  /** Every session with its block count. */
  sessions(): { session: string; blocks: number }[] {
    return this.index.sessions();
  }

  /** Number of blocks in a session (its kept count: one read, no scan); 0 for an unknown session. */
  sessionSize(session: string): number {
    return this.index.sessionSize(session);
  }

  /** Number of blocks in the store (from LMDB's own statistics, no scan). */
  blockCount(): number {
    const n = (this.db.blocks.getStats() as { entryCount: number }).entryCount;
    // msgpack's shared-structures record lives in the same table under a symbol key.
    const structures =
      this.db.blocks.getBinary(Symbol.for('structures') as unknown as string) !== undefined;
    return structures ? n - 1 : n;
  }

  /**
   * The newest block id: the watermark of traces recorded before write sequences
   * ({@link Store.changeSeq} is the watermark now).
   */
  watermark(): BlockId | undefined {
    for (const key of this.db.blocks.getKeys({ reverse: true, limit: 1 })) return key as BlockId;
    return undefined;
  }

  /** Adds a typed edge; adding an existing (from, kind, to) is a no-op. Returns whether it was new. */
  addEdge(from: string, kind: EdgeKind | string, to: string): boolean {
    this.assertWritable();
    const f = parseBlockId(from);
    const t = parseBlockId(to);
    const k = parseEdgeKind(kind);
    if (f === t)
      throw new Llm386Error(
        'invalid-input',
        `an edge from a block to itself is not allowed (${f})`,
      );
    return this.root.transactionSync(() => {
      const fromRecord = this.requireRecord(f);
      const toRecord = this.requireRecord(t);
      if (k === 'tool-invocation') this.edgeTable.checkToolPair(fromRecord, toRecord);
      return this.edgeTable.put(f, k, t);
    });
  }

  /** The write that added an edge (0 for edges older than write sequences), or undefined when there is no such edge. */
  edgeSeq(from: string, kind: EdgeKind, to: string): number | undefined {
    return this.edgeTable.seq(from, kind, to);
  }

  /** Every edge with the write that added it, in (from, kind, to) order. */
  allEdges(): Generator<Edge & { readonly seq: number }> {
    return this.edgeTable.all();
  }

  /** Edges leaving (`out`), entering (`in`) or touching (`both`) a block, through the direction indexes. */
  edges(id: string, direction: 'out' | 'in' | 'both' = 'out'): Edge[] {
    this.requireRecord(parseBlockId(id));
    return this.edgeTable.of(id, direction);
  }

  /** Deletes a block, every edge touching it, and its body when no other block shares it. */
  delete(id: string): { bodyDeleted: boolean } {
    this.assertWritable();
    const blockId = parseBlockId(id);
    return this.root.transactionSync(() => this.writes.deleteInTxn(this.requireRecord(blockId)));
  }

  /**
   * Removes a session: blocks only in this session are deleted; blocks also in another session stay,
   * losing only this session's reference. One transaction.
   */
  purgeSession(session: string): { deleted: number; kept: number } {
    this.assertWritable();
    parseSession(session);
    return this.root.transactionSync(() =>
      this.log.batched(() => {
        let deleted = 0;
        let kept = 0;
        for (const id of this.listIds(session)) {
          const record = this.index.requireIndexed(session, id);
          if (record.sessions.length > 1) {
            this.writes.unindexSession(record, session);
            kept++;
          } else {
            this.writes.deleteInTxn(record);
            deleted++;
          }
        }
        return { deleted, kept };
      }),
    );
  }

  /** @internal Appends to the change log in the caller's transaction; returns the change's write sequence. */
  logChange(change: Change): number {
    return this.log.add(change);
  }

  /** The sequence number of the newest change (0 for a new store). */
  changeSeq(): number {
    return this.log.seq();
  }

  /** Changes after `seq`, oldest first, at most `limit`. */
  changesSince(seq: number, limit = Number.POSITIVE_INFINITY): (Change & { seq: number })[] {
    return this.log.since(seq, limit);
  }

  /**
   * Moves this instance's read snapshot to the newest commit. lmdb-js renews it on each event turn
   * and after local writes; commits by other processes within the same turn are otherwise unseen.
   */
  refresh(): void {
    this.db.meta.resetReadTxn();
  }

  private assertWritable(): void {
    if (this.closed) throw new Llm386Error('invalid-input', 'the store is closed');
    if (this.readOnly)
      throw new Llm386Error('invalid-input', `store ${this.dir} is open read-only`);
  }
}
