// The write path of the store: putting blocks (dedup, session copies, memberships, token counts)
// and deleting them, inside the caller's transaction. `Store` owns the transactions and the reads.
import {
  Llm386Error,
  assert,
  decodeUtf8,
  isKnowledgeKind,
  type BlockId,
  type Clock,
  type IdSource,
} from '../base/index';
import { getTokenizer, type TokenizerId } from '../tokenizer/index';
import { blockLine, bodyText, type BlockRecord, type PutResult } from './block';
import type { ChangeLog } from './change-log';
import type { EdgeTable } from './edge-table';
import { lineShapeOf } from './line-shape';
import type { SessionIndex } from './session-index';
import type { Prepared } from './store-input';
import { sessionCopy, type Change, type StoreDatabases, type StoredRecord } from './tables';

/** How far before its writing a block's createdAt must lie to count as backdated (one hour). */
const BACKDATED_MS = 3_600_000;
const END = '\uffff';

/** What the write path needs from its store. */
export interface BlockWritesDeps {
  readonly db: StoreDatabases;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly countTokensWith: readonly TokenizerId[];
  readonly log: ChangeLog;
  readonly edgeTable: EdgeTable;
  readonly index: SessionIndex;
  readonly logChange: (change: Change) => number;
  readonly getRecord: (id: string) => BlockRecord | undefined;
}

/** Puts and deletes blocks in the caller's write transaction. */
export class BlockWrites {
  private readonly db: StoreDatabases;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly countTokensWith: readonly TokenizerId[];
  private readonly log: ChangeLog;
  private readonly edgeTable: EdgeTable;
  private readonly index: SessionIndex;
  private readonly logChange: (change: Change) => number;
  private readonly getRecord: (id: string) => BlockRecord | undefined;

  constructor(deps: BlockWritesDeps) {
    this.db = deps.db;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.countTokensWith = deps.countTokensWith;
    this.log = deps.log;
    this.edgeTable = deps.edgeTable;
    this.index = deps.index;
    this.logChange = deps.logChange;
    this.getRecord = deps.getRecord;
  }

  /** Puts prepared blocks (counts per block when the store counts tokens at write), in order. */
  putBatch(
    prepared: readonly Prepared[],
    counts: readonly Map<TokenizerId, number>[] | undefined,
  ): PutResult[] {
    const results: PutResult[] = [];
    const batchParents = new Set<string>();
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i];
      assert(p !== undefined, 'index in range');
      // A retried put with the same key answers the first put's result and writes nothing.
      const earlier =
        p.idempotencyKey === undefined ? undefined : this.db.idempotency.get(p.idempotencyKey);
      if (earlier !== undefined) {
        const block = this.getRecord(earlier.id);
        if (block !== undefined) {
          results.push({ block, deduped: earlier.deduped });
          batchParents.add(block.id);
          continue;
        }
      }
      for (const parent of p.parents) {
        if (!batchParents.has(parent) && !this.db.blocks.doesExist(parent)) {
          throw new Llm386Error(
            'block-not-found',
            `parent block ${parent} does not exist: check the id with \`llm386 show\``,
          );
        }
      }
      const result = this.putOne(p, counts?.[i]);
      if (p.idempotencyKey !== undefined)
        this.db.idempotency.putSync(p.idempotencyKey, {
          id: result.block.id,
          deduped: result.deduped,
        });
      batchParents.add(result.block.id);
      results.push(result);
    }
    return results;
  }

  private putOne(p: Prepared, counts: Map<TokenizerId, number> | undefined): PutResult {
    const { db } = this;
    if (!db.bodies.doesExist(p.hash))
      db.bodies.putSync(
        p.hash,
        Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength),
      );
    if (counts !== undefined) {
      for (const [tokenizer, n] of counts) db.tokens.putSync([p.hash, tokenizer], n);
    }
    if (isKnowledgeKind(p.kind)) {
      const existingId = db.kindHash.get([p.kind, p.hash]);
      const existing = existingId === undefined ? undefined : db.blocks.get(existingId);
      if (existing !== undefined) {
        // O(1) in the block's session count: a new membership is one row and one session copy;
        // the record itself is rewritten only when its labels change, or once when first shared.
        let stored = existing;
        const labels = [...new Set([...stored.labels, ...p.labels])].sort();
        if (labels.length !== stored.labels.length) stored = { ...stored, labels };
        const member = db.memberships.doesExist([existing.id, p.session]);
        if (!member && existing.shared !== true) stored = { ...stored, shared: true };
        if (stored !== existing) this.rewriteRecord(stored);
        if (!member) this.indexSession(stored, p.session);
        // New labels on a block already in this session: readers (catalog, pinned) must see them.
        else if (stored !== existing)
          this.logChange({ op: 'add', id: stored.id, session: p.session });
        for (const parent of p.parents) this.edgeTable.put(stored.id, 'parent', parent as BlockId);
        return { block: this.withSessions(stored, p.session), deduped: true };
      }
    }
    // One reading of the clock. A block dated well before it is written (a transcript's own time)
    // gets an id of its writing time: ids order the store's writes, which replay's watermark
    // relies on, so a backdated block written after a call stays invisible to its replay.
    // Otherwise the id carries createdAt (agents date their blocks with their own clock, a
    // moment before the store's). The write-sequence watermark of the trust issue retires this.
    const writtenAt = this.clock.now();
    const createdAt = p.createdAt ?? writtenAt;
    const idTimeOf = createdAt < writtenAt - BACKDATED_MS ? writtenAt : createdAt;
    if (p.id !== undefined && db.blocks.doesExist(p.id)) {
      throw new Llm386Error(
        'invalid-input',
        `block ${p.id} already exists: a reducer id must be new`,
      );
    }
    const id = p.id ?? this.ids.next(idTimeOf);
    const seq = this.logChange({ op: 'add', id, session: p.session });
    const record: StoredRecord = {
      id,
      kind: p.kind,
      hash: p.hash,
      size: p.bytes.byteLength,
      priority: p.priority,
      createdAt,
      labels: p.labels,
      seq,
      shape: lineShapeOf(bodyText(p.bytes, p.hash, decodeUtf8)),
      // Optional fields only when present: records then share one msgpack structure.
      ...(p.source === undefined ? {} : { source: p.source }),
      ...(p.toolCalls === undefined ? {} : { toolCalls: p.toolCalls }),
      ...(p.toolCallId === undefined ? {} : { toolCallId: p.toolCallId }),
      ...(p.name === undefined ? {} : { name: p.name }),
      // Last, where a session copy has `joined`: salvage, reading pages by content, may decode one
      // table's entries with the other's msgpack structures; aligned fields keep them readable.
      home: p.session,
    };
    db.blocks.putSync(record.id, record);
    db.byHash.putSync([record.hash, record.id], null);
    if (isKnowledgeKind(record.kind)) db.kindHash.putSync([record.kind, record.hash], record.id);
    this.indexSession(record, p.session, seq);
    for (const parent of p.parents) this.edgeTable.put(record.id, 'parent', parent as BlockId);
    const { home: _home, ...block } = record;
    return { block: { ...block, sessions: [p.session] }, deduped: false };
  }

  /**
   * Rewrites a changed record in the primary table and in each of its session copies (each copy
   * keeps the write that added it to its session). Only label changes and a first sharing do this.
   */
  private rewriteRecord(record: StoredRecord): void {
    const { db } = this;
    db.blocks.putSync(record.id, record);
    for (const key of db.memberships.getKeys({ start: [record.id], end: [record.id, END] })) {
      const session = (key as string[])[1] as string;
      const joined = db.sessionBlocks.get([session, record.id])?.joined ?? 0;
      db.sessionBlocks.putSync([session, record.id], sessionCopy(record, joined));
    }
  }

  /**
   * Adds a block to a session: its membership row and a copy of its record in the session's
   * index (the copy lets `list` read a whole session with one sequential range scan instead of
   * one lookup per block), both carrying the write that added it.
   */
  private indexSession(record: StoredRecord, session: string, logged?: number): void {
    const { db } = this;
    const seq = logged ?? this.logChange({ op: 'add', id: record.id, session });
    db.memberships.putSync([record.id, session], seq);
    db.sessionBlocks.putSync([session, record.id], sessionCopy(record, seq));
    db.sessionKind.putSync([session, record.kind, record.id], null);
    this.log.countSession(session, 1);
  }

  /** A stored record as the API shows it: with its sessions (`session` when it has only that one). */
  private withSessions(stored: StoredRecord, session: string): BlockRecord {
    if (stored.shared !== true) {
      const { home: _home, ...record } = stored;
      return { ...record, sessions: [session] };
    }
    // A fact shared by many sessions: its list is read when asked for, not on every put.
    const {
      shared: _shared,
      home: _home,
      ...record
    } = stored as StoredRecord & {
      sessions?: readonly string[];
    };
    let sessions: readonly string[] | undefined;
    Object.defineProperty(record, 'sessions', {
      enumerable: true,
      get: () => (sessions ??= this.index.sessionsOf(stored.id)),
    });
    return record as BlockRecord;
  }

  unindexSession(record: BlockRecord, session: string): void {
    const { db } = this;
    this.logChange({ op: 'remove', id: record.id, session });
    db.memberships.removeSync([record.id, session]);
    db.sessionBlocks.removeSync([session, record.id]);
    db.sessionKind.removeSync([session, record.kind, record.id]);
    this.log.countSession(session, -1);
  }

  countsFor(bytes: Uint8Array, hash: string): Map<TokenizerId, number> {
    const counts = new Map<TokenizerId, number>();
    for (const tokenizer of this.countTokensWith) {
      const cached = this.db.tokens.get([hash, tokenizer]);
      counts.set(
        tokenizer,
        cached ?? getTokenizer(tokenizer).count(blockLine(bodyText(bytes, hash, decodeUtf8))),
      );
    }
    return counts;
  }

  deleteInTxn(record: BlockRecord): { bodyDeleted: boolean } {
    const { db } = this;
    for (const session of record.sessions) this.unindexSession(record, session);
    for (const edge of this.edgeTable.of(record.id, 'both')) {
      db.edgesOut.removeSync([edge.from, edge.kind, edge.to]);
      db.edgesIn.removeSync([edge.to, edge.kind, edge.from]);
    }
    db.byHash.removeSync([record.hash, record.id]);
    if (isKnowledgeKind(record.kind) && db.kindHash.get([record.kind, record.hash]) === record.id) {
      db.kindHash.removeSync([record.kind, record.hash]);
    }
    db.blocks.removeSync(record.id);
    this.logChange({ op: 'delete', id: record.id });
    let bodyDeleted = false;
    const stillShared =
      [...db.byHash.getKeys({ start: [record.hash], end: [record.hash, END], limit: 1 })].length >
      0;
    if (!stillShared) {
      db.bodies.removeSync(record.hash);
      for (const key of [...db.tokens.getKeys({ start: [record.hash], end: [record.hash, END] })])
        db.tokens.removeSync(key);
      bodyDeleted = true;
    }
    return { bodyDeleted };
  }
}
