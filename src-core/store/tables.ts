// The store's LMDB tables: their names, key layouts and value types, and how a store opens them.
import type { Database, RootDatabase } from 'lmdb';
import type { BlockId } from '../base/index';
import type { BlockRecord } from './block';

type Key = string | (string | number)[];

/** @internal The named databases of a store. */
export interface StoreDatabases {
  readonly meta: Database<unknown, string>;
  /** Id -> the block's record (without its sessions: see `memberships`). */
  readonly blocks: Database<StoredRecord, string>;
  readonly bodies: Database<Buffer, string>;
  readonly byHash: Database<null, Key>;
  readonly kindHash: Database<string, Key>;
  /** [session, id] -> a copy of the block's record, with the write that added it to the session. */
  readonly sessionBlocks: Database<SessionCopy, Key>;
  /** [id, session] -> the write that added the block to the session: its sessions, one row each. */
  readonly memberships: Database<number, Key>;
  readonly sessionKind: Database<null, Key>;
  readonly sessions: Database<number, string>;
  /** [from, kind, to] -> the write that added the edge (null: written before format 2). */
  readonly edgesOut: Database<number | null, Key>;
  /** [to, kind, from] -> as `edgesOut`. */
  readonly edgesIn: Database<number | null, Key>;
  readonly tokens: Database<number, Key>;
  readonly quarantine: Database<unknown, string>;
  /** seq -> change, appended in the same transaction as the change itself. */
  readonly changes: Database<Change, number>;
  /** [embedderId, hash] -> Float32 vector bytes. */
  readonly embeddings: Database<Buffer, Key>;
  /** Index name -> persisted index state (retrievers' own format). */
  readonly indexes: Database<unknown, string>;
  /** A client's idempotency key -> the result of the put that first used it. */
  readonly idempotency: Database<{ id: BlockId; deduped: boolean }, string>;
  /** Index name -> binary index snapshot. */
  readonly indexBlobs: Database<Buffer, string>;
  /** Call id -> trace record (the tracer's format). */
  readonly traces: Database<unknown, string>;
  /**
   * [session, call id] -> the trace's summary (the tracer's format; null in stores written before
   * summaries were kept): traces of a session in call order, listed without decoding their plans.
   */
  readonly traceSessions: Database<unknown, Key>;
  /** SHA-256 -> the exact rendered prompt bytes a trace refers to. */
  readonly prompts: Database<Buffer, string>;
}

/**
 * A record as stored: no session list (memberships are rows of their own); `shared` once the
 * block has been in more than one session, so listing a one-session block reads no more rows.
 */
export type StoredRecord = Omit<BlockRecord, 'sessions' | 'joined'> & {
  readonly seq: number;
  readonly shared?: true | undefined;
  /**
   * The session the block was written into: while it is not `shared`, its only session, so
   * reading a record by id needs no membership scan. Absent on records written before it was kept.
   */
  readonly home?: string | undefined;
};

/** A session's copy of a record, with the write that added the block to that session. */
export type SessionCopy = Omit<StoredRecord, 'home'> & { readonly joined: number };

/** A record's copy for one session's index: the record without `home`, with `joined`. */
export function sessionCopy(record: StoredRecord, joined: number): SessionCopy {
  const { home: _home, ...rest } = record;
  return { ...rest, joined };
}

/** One entry of the change log. */
export interface Change {
  /**
   * `reset`: indexes were rebuilt by repair; readers start over. `trace`: a call was recorded or
   * its output patched (`id` is the call id); no block changed, but views of turns are stale.
   */
  readonly op: 'add' | 'remove' | 'delete' | 'edge' | 'reset' | 'trace';
  readonly id: string;
  readonly session?: string | undefined;
  readonly to?: string | undefined;
  readonly kind?: string | undefined;
}

export function openDatabases(root: RootDatabase, meta: Database<unknown, string>): StoreDatabases {
  return {
    meta,
    blocks: root.openDB({ name: 'blocks', sharedStructuresKey: Symbol.for('structures') }),
    bodies: root.openDB({ name: 'bodies', encoding: 'binary' }),
    byHash: root.openDB({ name: 'by-hash' }),
    kindHash: root.openDB({ name: 'kind-hash' }),
    sessionBlocks: root.openDB({
      name: 'session-blocks',
      sharedStructuresKey: Symbol.for('structures'),
    }),
    sessionKind: root.openDB({ name: 'session-kind' }),
    memberships: root.openDB({ name: 'memberships' }),
    sessions: root.openDB({ name: 'sessions' }),
    edgesOut: root.openDB({ name: 'edges-out' }),
    edgesIn: root.openDB({ name: 'edges-in' }),
    tokens: root.openDB({ name: 'tokens' }),
    quarantine: root.openDB({ name: 'quarantine' }),
    changes: root.openDB({ name: 'changes', keyEncoding: 'uint32' }),
    embeddings: root.openDB({ name: 'embeddings', encoding: 'binary' }),
    indexes: root.openDB({ name: 'indexes' }),
    idempotency: root.openDB({ name: 'idempotency' }),
    indexBlobs: root.openDB({ name: 'index-blobs', encoding: 'binary' }),
    traces: root.openDB({ name: 'traces' }),
    traceSessions: root.openDB({ name: 'trace-sessions' }),
    prompts: root.openDB({ name: 'prompts', encoding: 'binary' }),
  };
}
