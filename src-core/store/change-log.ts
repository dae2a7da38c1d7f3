// The change log and the write batch: every write appends a change under the next sequence
// number (the write sequence replay's watermarks count in); inside a batch the sequence number and
// the session counts are kept in memory and written once at its end. Owned by one Store.
import type { Change, StoreDatabases } from './tables';

/** The change log of one open store. */
export class ChangeLog {
  private batch: { seq: number; start: number; counts: Map<string, number> } | undefined;

  constructor(private readonly db: StoreDatabases) {}

  /** Adjusts a session's block count; inside a batch, written once at its end. */
  countSession(session: string, delta: number): void {
    const batch = this.batch;
    if (batch !== undefined) {
      batch.counts.set(session, (batch.counts.get(session) ?? 0) + delta);
      return;
    }
    this.writeSessionCount(session, delta);
  }

  private writeSessionCount(session: string, delta: number): void {
    const n = (this.db.sessions.get(session) ?? 0) + delta;
    if (n <= 0) this.db.sessions.removeSync(session);
    else this.db.sessions.putSync(session, n);
  }

  /**
   * Runs `fn` (already inside a write transaction) keeping the change sequence number and session
   * counts in memory, and writes each once at the end: two LMDB operations per batch instead of
   * four per block.
   */
  batched<T>(fn: () => T): T {
    if (this.batch !== undefined) return fn();
    const batch = {
      seq: (this.db.meta.get('changeSeq') as number | undefined) ?? 0,
      start: 0,
      counts: new Map<string, number>(),
    };
    batch.start = batch.seq;
    this.batch = batch;
    try {
      const result = fn();
      if (batch.seq !== batch.start) this.db.meta.putSync('changeSeq', batch.seq);
      for (const [session, delta] of batch.counts)
        if (delta !== 0) this.writeSessionCount(session, delta);
      return result;
    } finally {
      this.batch = undefined;
    }
  }

  /**
   * Appends to the change log, in the caller's transaction. Readers (indexes, the inspector, other
   * processes) catch up from the last sequence number they saw instead of rescanning tables.
   */
  /** Returns the change's sequence number: the write sequence of what it records. */
  add(change: Change): number {
    const batch = this.batch;
    if (batch !== undefined) {
      batch.seq += 1;
      this.db.changes.putSync(batch.seq, change);
      return batch.seq;
    }
    const seq = ((this.db.meta.get('changeSeq') as number | undefined) ?? 0) + 1;
    this.db.meta.putSync('changeSeq', seq);
    this.db.changes.putSync(seq, change);
    return seq;
  }

  /** The sequence number of the newest change (0 for a new store). */
  seq(): number {
    return (this.db.meta.get('changeSeq') as number | undefined) ?? 0;
  }

  /** Changes after `seq`, oldest first, at most `limit`. */
  since(seq: number, limit = Number.POSITIVE_INFINITY): (Change & { seq: number })[] {
    const out: (Change & { seq: number })[] = [];
    const range = this.db.changes.getRange({
      start: seq + 1,
      ...(Number.isFinite(limit) ? { limit } : {}),
    });
    for (const { key, value } of range) out.push({ ...value, seq: key });
    return out;
  }
}
