import type { BlockRecord } from './block';
import { sessionCopy, type StoreDatabases, type StoredRecord } from './tables';

/** Records rewritten per read of the primary table during a migration. */
const CHUNK = 2000;

/**
 * Brings a store of an older format to the current one, inside the caller's write transaction
 * (all of it or nothing). From format 1: each record's session list becomes membership rows,
 * records and session copies gain their write sequence. What format 1 did not record (when a
 * block joined a session, when an edge was added) is 0: visible to every call recorded after the
 * migration; calls recorded before it keep their block-id watermark.
 */
export function migrateStore(db: StoreDatabases, from: number): void {
  if (from < 2) migrateFrom1(db);
  db.meta.putSync('formatVersion', 2);
  db.meta.putSync('migratedFrom', from);
}

function migrateFrom1(db: StoreDatabases): void {
  let after: string | undefined;
  for (;;) {
    // Read a chunk, then write it: no writes under an open cursor of the same table.
    const chunk: BlockRecord[] = [];
    const range = after === undefined ? { limit: CHUNK } : { start: after, limit: CHUNK + 1 };
    for (const { key, value } of db.blocks.getRange(range)) {
      if (typeof key !== 'string' || key === after) continue;
      chunk.push(value as unknown as BlockRecord);
    }
    if (chunk.length === 0) return;
    for (const old of chunk) {
      const sessions = Array.isArray(old.sessions) ? old.sessions : [];
      const { sessions: _dropped, ...rest } = old;
      const record: StoredRecord = {
        ...rest,
        seq: 0,
        ...(sessions.length > 1 ? { shared: true as const } : {}),
      };
      db.blocks.putSync(record.id, record);
      for (const session of sessions) {
        db.memberships.putSync([record.id, session], 0);
        const copy = sessionCopy(record, 0);
        db.sessionBlocks.putSync([session, record.id], copy);
      }
    }
    after = (chunk[chunk.length - 1] as BlockRecord).id;
  }
}
