// Reading a store's sessions: the blocks of each (from their session copies, one sequential range
// scan), their memberships and counts. Owned by one Store; its writes stay in the Store.
import { Llm386Error, maxIdAt, minIdAt, parseSession, type BlockId } from '../base/index';
import type { BlockRecord, ListOptions } from './block';
import type { SessionCopy, StoreDatabases } from './tables';

const END = '\uffff';

/** The session indexes of one open store. */
export class SessionIndex {
  constructor(private readonly db: StoreDatabases) {}

  /** The sessions holding a block, sorted (its membership rows). */
  sessionsOf(id: string): string[] {
    const out: string[] = [];
    for (const key of this.db.memberships.getKeys({ start: [id], end: [id, END] }))
      out.push((key as string[])[1] as string);
    return out;
  }

  /** The write that added a block to a session, or undefined when it is not there. */
  joinedAt(id: string, session: string): number | undefined {
    return this.db.memberships.get([id, session]);
  }

  /** A block's record as listed in one session (with the write that added it there), or undefined. */
  sessionRecord(session: string, id: string): BlockRecord | undefined {
    const copy = this.db.sessionBlocks.get([session, id]);
    return copy === undefined ? undefined : this.filled(copy, session);
  }

  /** Fills a decoded session copy's `sessions` in place (the caller owns the object). */
  filled(copy: SessionCopy, session: string): BlockRecord {
    if (copy.shared === true) {
      const { shared: _shared, ...record } = copy;
      return { ...record, sessions: this.sessionsOf(copy.id) };
    }
    (copy as { sessions?: readonly string[] }).sessions = [session];
    return copy as unknown as BlockRecord;
  }

  /** Blocks of a session in id (creation) order, filtered by kind and time, using the session indexes. */
  list(session: string, options: ListOptions = {}): BlockRecord[] {
    if (options.kinds !== undefined && options.kinds.length > 0) {
      return this.listIds(session, options).map((id) => this.requireIndexed(session, id));
    }
    parseSession(session);
    const { lo, hi } = idBounds(options);
    const out: BlockRecord[] = [];
    for (const { value } of this.db.sessionBlocks.getRange(rangeOf(session, lo, hi, options))) {
      if (value.id >= lo && value.id <= hi) out.push(this.filled(value, session));
    }
    return out;
  }

  /** Ids of a session's blocks, as {@link Store.list} without reading the records. */
  listIds(session: string, options: ListOptions = {}): BlockId[] {
    parseSession(session);
    const { lo, hi } = idBounds(options);
    if (options.kinds === undefined || options.kinds.length === 0) {
      const out: BlockId[] = [];
      for (const key of this.db.sessionBlocks.getKeys(rangeOf(session, lo, hi, options))) {
        const id = (key as string[])[1];
        if (id !== undefined && id >= lo && id <= hi) out.push(id as BlockId);
      }
      return out;
    }
    const perKind = options.kinds.map((kind) => {
      const ids: string[] = [];
      for (const key of this.db.sessionKind.getKeys({
        start: [session, kind, lo],
        end: [session, kind, hi],
      })) {
        const id = (key as string[])[2];
        if (id !== undefined && id <= hi) ids.push(id);
      }
      return ids;
    });
    const merged = perKind.flat().sort();
    if (options.reverse === true) merged.reverse();
    return (options.limit === undefined ? merged : merged.slice(0, options.limit)) as BlockId[];
  }

  /** Blocks of each kind in a session, counted over the session-kind index keys (no ids materialised). */
  kindCounts(session: string, kinds: readonly string[]): Record<string, number> {
    parseSession(session);
    const out: Record<string, number> = {};
    for (const kind of kinds) {
      const n = this.db.sessionKind.getKeysCount({
        start: [session, kind],
        end: [session, kind, '\uffff'],
      });
      if (n > 0) out[kind] = n;
    }
    return out;
  }

  /** A block's record as listed in a session, or throws `store-corrupt` (the index points nowhere). */
  requireIndexed(session: string, id: string): BlockRecord {
    const record = this.sessionRecord(session, id);
    if (record === undefined) {
      throw new Llm386Error(
        'store-corrupt',
        `session index points to missing block ${id}: run \`llm386 repair --yes\``,
      );
    }
    return record;
  }

  /** Every session with its block count. */
  sessions(): { session: string; blocks: number }[] {
    const out: { session: string; blocks: number }[] = [];
    for (const { key, value } of this.db.sessions.getRange())
      out.push({ session: key, blocks: value });
    return out;
  }

  /** Number of blocks in a session (its kept count: one read, no scan); 0 for an unknown session. */
  sessionSize(session: string): number {
    return this.db.sessions.get(parseSession(session)) ?? 0;
  }
}

function idBounds(options: ListOptions): { lo: string; hi: string } {
  return {
    lo: options.since === undefined ? '' : minIdAt(options.since),
    hi: options.until === undefined ? END : maxIdAt(options.until),
  };
}

function rangeOf(session: string, lo: string, hi: string, options: ListOptions) {
  const limit = options.limit;
  return options.reverse === true
    ? {
        start: [session, hi],
        end: [session, lo],
        reverse: true,
        ...(limit === undefined ? {} : { limit }),
      }
    : { start: [session, lo], end: [session, hi], ...(limit === undefined ? {} : { limit }) };
}
