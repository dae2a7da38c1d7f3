import { isKnowledgeKind, sha256Hex, type BlockId } from '../base/index';
import type { Problem } from './block';
import type { Store } from './store';
import { sessionCopy, type SessionCopy, type StoreDatabases, type StoredRecord } from './tables';

type Key = (string | number)[];

/** What `verify` found: `ok` when there are no problems. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly blocks: number;
  readonly bodies: number;
  readonly problems: Problem[];
}

/**
 * Checks the whole store without writing: recomputes every body hash and checks every derived
 * index (session membership, session-kind, by-hash, kind-hash, session counts, both edge
 * directions, token cache) against the primary tables.
 */
export function verifyStore(store: Store): VerifyReport {
  const { db } = store;
  const problems: Problem[] = [];
  const blocks = new Map<string, StoredRecord>();
  const sessionCounts = new Map<string, number>();
  for (const { key, value } of db.blocks.getRange()) blocks.set(key, value);
  const members = new Map<string, Map<string, number>>();
  for (const { key, value } of db.memberships.getRange()) {
    const [id, session] = key as [string, string];
    if (!blocks.has(id)) {
      problems.push({
        kind: 'stale-index',
        id,
        message: `membership ${id} in ${session} has no matching block`,
      });
      continue;
    }
    let of = members.get(id);
    if (of === undefined) members.set(id, (of = new Map()));
    of.set(session, value);
  }

  let bodies = 0;
  const bodyHashes = new Set<string>();
  for (const { key, value } of db.bodies.getRange()) {
    bodies++;
    bodyHashes.add(key);
    if (sha256Hex(value) !== key) {
      problems.push({
        kind: 'hash-mismatch',
        message: `body ${key} does not hash to its key: its bytes changed on disk`,
      });
    }
  }

  const referenced = new Set<string>();
  for (const record of blocks.values()) {
    referenced.add(record.hash);
    if (!bodyHashes.has(record.hash)) {
      problems.push({
        kind: 'missing-body',
        id: record.id,
        message: `block ${record.id} has no body ${record.hash}`,
      });
    }
    const sessions = members.get(record.id) ?? new Map<string, number>();
    if (sessions.size === 0)
      problems.push({
        kind: 'missing-index',
        id: record.id,
        message: `block ${record.id} belongs to no session (no membership rows)`,
      });
    if (sessions.size > 1 && record.shared !== true) {
      problems.push({
        kind: 'stale-index',
        id: record.id,
        message: `block ${record.id} is in ${sessions.size} sessions but not marked shared`,
      });
    }
    if (homeIsStale(record, sessions)) {
      problems.push({
        kind: 'stale-index',
        id: record.id,
        message: `block ${record.id} names ${record.home ?? ''} as its session but is in ${[...sessions.keys()].join(', ')}`,
      });
    }
    for (const [session, joined] of sessions) {
      sessionCounts.set(session, (sessionCounts.get(session) ?? 0) + 1);
      const copy = db.sessionBlocks.get([session, record.id]);
      if (copy === undefined) {
        problems.push({
          kind: 'missing-index',
          id: record.id,
          message: `session index lacks ${session}/${record.id}`,
        });
      } else if (!sameRecord(copy, sessionCopy(record, joined))) {
        problems.push({
          kind: 'stale-index',
          id: record.id,
          message: `session index copy of ${record.id} in ${session} differs from the block`,
        });
      }
      if (!db.sessionKind.doesExist([session, record.kind, record.id])) {
        problems.push({
          kind: 'missing-index',
          id: record.id,
          message: `session-kind index lacks ${session}/${record.kind}/${record.id}`,
        });
      }
    }
    if (!db.byHash.doesExist([record.hash, record.id])) {
      problems.push({
        kind: 'missing-index',
        id: record.id,
        message: `hash index lacks ${record.id}`,
      });
    }
    if (isKnowledgeKind(record.kind) && db.kindHash.get([record.kind, record.hash]) === undefined) {
      problems.push({
        kind: 'missing-index',
        id: record.id,
        message: `dedup index lacks ${record.kind}/${record.hash}`,
      });
    }
  }
  for (const hash of bodyHashes) {
    if (!referenced.has(hash))
      problems.push({ kind: 'orphan-body', message: `body ${hash} is referenced by no block` });
  }

  for (const key of db.sessionBlocks.getKeys()) {
    const [session, id] = key as [string, string];
    if (members.get(id)?.has(session) !== true) {
      problems.push({
        kind: 'stale-index',
        id,
        message: `session index entry ${session}/${id} has no matching block`,
      });
    }
  }
  for (const key of db.sessionKind.getKeys()) {
    const [session, kind, id] = key as [string, string, string];
    const record = blocks.get(id);
    if (record === undefined || record.kind !== kind || members.get(id)?.has(session) !== true) {
      problems.push({
        kind: 'stale-index',
        id,
        message: `session-kind index entry ${session}/${kind}/${id} has no matching block`,
      });
    }
  }
  for (const key of db.byHash.getKeys()) {
    const [hash, id] = key as [string, string];
    if (blocks.get(id)?.hash !== hash)
      problems.push({
        kind: 'stale-index',
        id,
        message: `hash index entry ${hash}/${id} is stale`,
      });
  }
  for (const { key, value } of db.kindHash.getRange()) {
    const [kind, hash] = key as [string, string];
    const record = blocks.get(value);
    if (record === undefined || record.kind !== kind || record.hash !== hash) {
      problems.push({
        kind: 'stale-index',
        id: value,
        message: `dedup index entry ${kind}/${hash} points to a wrong block`,
      });
    }
  }
  const stored = new Map<string, number>();
  for (const { key, value } of db.sessions.getRange()) stored.set(key, value);
  for (const session of new Set([...stored.keys(), ...sessionCounts.keys()])) {
    if ((stored.get(session) ?? 0) !== (sessionCounts.get(session) ?? 0)) {
      problems.push({
        kind: 'session-count',
        message: `session ${session} counts ${stored.get(session) ?? 0} blocks but holds ${sessionCounts.get(session) ?? 0}`,
      });
    }
  }
  for (const key of db.edgesOut.getKeys()) {
    const [from, kind, to] = key as [string, string, string];
    if (!blocks.has(from) || !blocks.has(to))
      problems.push({
        kind: 'dangling-edge',
        id: from,
        message: `edge ${from} -${kind}-> ${to} touches a missing block`,
      });
    if (!db.edgesIn.doesExist([to, kind, from]))
      problems.push({
        kind: 'edge-asymmetric',
        id: from,
        message: `edge ${from} -${kind}-> ${to} lacks its incoming entry`,
      });
  }
  for (const key of db.edgesIn.getKeys()) {
    const [to, kind, from] = key as [string, string, string];
    if (!db.edgesOut.doesExist([from, kind, to]))
      problems.push({
        kind: 'edge-asymmetric',
        id: to,
        message: `incoming edge ${from} -${kind}-> ${to} lacks its outgoing entry`,
      });
  }
  for (const key of db.tokens.getKeys()) {
    const [hash] = key as [string];
    if (!bodyHashes.has(hash))
      problems.push({
        kind: 'orphan-token-count',
        message: `token count for missing body ${hash}`,
      });
  }
  return { ok: problems.length === 0, blocks: blocks.size, bodies, problems };
}

/** What `repair` did. */
export interface RepairReport {
  readonly quarantined: BlockId[];
  readonly droppedEdges: number;
  readonly rebuiltEntries: number;
}

/**
 * Rebuilds every derived index from the primary tables in one transaction. A block whose body no
 * longer hashes to its key is moved, with its bytes, to the quarantine table (never overwritten or
 * silently dropped); edges touching a missing block are dropped.
 */
export function repairStore(store: Store): RepairReport {
  const { db } = store;
  return store.transaction(() => {
    const corrupt = new Set<string>();
    for (const { key, value } of db.bodies.getRange())
      if (sha256Hex(value) !== key) corrupt.add(key);

    const quarantined: BlockId[] = [];
    const blocks = new Map<string, StoredRecord>();
    for (const { key, value } of db.blocks.getRange()) blocks.set(key, value);
    // Memberships: the rows are the truth (a session copy without its row is stale).
    const members = new Map<string, Map<string, number>>();
    const join = (id: string, session: string, seq: number) => {
      let of = members.get(id);
      if (of === undefined) members.set(id, (of = new Map()));
      if (!of.has(session)) of.set(session, seq);
    };
    for (const { key, value } of db.memberships.getRange())
      join((key as string[])[0] as string, (key as string[])[1] as string, value);
    for (const record of [...blocks.values()]) {
      if (!corrupt.has(record.hash) && db.bodies.doesExist(record.hash)) continue;
      const bytes = db.bodies.get(record.hash);
      db.quarantine.putSync(record.id, {
        record,
        body: bytes,
        reason: bytes === undefined ? 'missing-body' : 'hash-mismatch',
        edges: [...edgeKeys(db.edgesOut, record.id), ...edgeKeys(db.edgesIn, record.id)],
      });
      db.blocks.removeSync(record.id);
      blocks.delete(record.id);
      quarantined.push(record.id);
    }
    for (const hash of corrupt) db.bodies.removeSync(hash);

    // Edges: the union of both directions, minus edges to missing blocks.
    const edges = new Set<string>();
    let droppedEdges = 0;
    for (const key of db.edgesOut.getKeys()) edges.add(JSON.stringify(key));
    for (const key of db.edgesIn.getKeys()) {
      const [to, kind, from] = key as [string, string, string];
      edges.add(JSON.stringify([from, kind, to]));
    }
    const edgeSeqs = new Map<string, number>();
    let rebuiltEntries = 0;
    for (const text of edges) {
      const [from, kind, to] = JSON.parse(text) as [string, string, string];
      if (!blocks.has(from) || !blocks.has(to)) {
        droppedEdges++;
        continue;
      }
      const seq = db.edgesOut.get([from, kind, to]) ?? db.edgesIn.get([to, kind, from]) ?? 0;
      edgeSeqs.set(text, seq);
      rebuiltEntries += 2;
    }

    // The edges' write sequences were read above; now rewrite both directions.
    clear(db.edgesOut);
    clear(db.edgesIn);
    for (const [text, seq] of edgeSeqs) {
      const [from, kind, to] = JSON.parse(text) as [string, string, string];
      db.edgesOut.putSync([from, kind, to], seq);
      db.edgesIn.putSync([to, kind, from], seq);
    }
    for (const index of [db.sessionBlocks, db.sessionKind, db.byHash, db.kindHash, db.memberships])
      clear(index);
    clear(db.sessions);
    const counts = new Map<string, number>();
    for (let record of blocks.values()) {
      const sessions = members.get(record.id) ?? new Map<string, number>();
      const shared = sessions.size > 1 || record.shared === true;
      if (shared !== (record.shared === true)) {
        record = { ...record, shared: true };
        db.blocks.putSync(record.id, record);
      }
      if (homeIsStale(record, sessions)) {
        const { home: _home, ...rest } = record;
        record = rest;
        db.blocks.putSync(record.id, record);
      }
      for (const [session, joined] of sessions) {
        db.memberships.putSync([record.id, session], joined);
        const copy = sessionCopy(record, joined);
        db.sessionBlocks.putSync([session, record.id], copy);
        db.sessionKind.putSync([session, record.kind, record.id], null);
        counts.set(session, (counts.get(session) ?? 0) + 1);
        rebuiltEntries += 3;
      }
      db.byHash.putSync([record.hash, record.id], null);
      // The oldest block of a (kind, hash) is the canonical one for dedup.
      if (
        isKnowledgeKind(record.kind) &&
        db.kindHash.get([record.kind, record.hash]) === undefined
      ) {
        db.kindHash.putSync([record.kind, record.hash], record.id);
      }
      rebuiltEntries += 2;
    }
    for (const [session, n] of counts) db.sessions.putSync(session, n);
    for (const key of [...db.tokens.getKeys()]) {
      const [hash] = key as [string];
      if (!db.bodies.doesExist(hash)) db.tokens.removeSync(key);
    }
    store.logChange({ op: 'reset', id: '' });
    return { quarantined, droppedEdges, rebuiltEntries };
  });
}

function edgeKeys(index: StoreDatabases['edgesOut'], id: string): Key[] {
  return [...index.getKeys({ start: [id], end: [id, '\uffff'] })] as Key[];
}

function clear(db: { getKeys(): Iterable<unknown>; removeSync(key: never): boolean }): void {
  for (const key of [...db.getKeys()]) db.removeSync(key as never);
}

/** A one-session record whose `home` is not its one session (reading it by id would name the wrong one). */
function homeIsStale(record: StoredRecord, sessions: ReadonlyMap<string, number>): boolean {
  return (
    record.shared !== true &&
    record.home !== undefined &&
    sessions.size === 1 &&
    !sessions.has(record.home)
  );
}

function sameRecord(a: SessionCopy, b: SessionCopy): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
