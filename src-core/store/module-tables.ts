// The tables the store keeps for other modules, each behind a typed API: the trace log (the
// tracer's records, their per-session index and the exact prompt bytes), the retriever indexes'
// manifests and snapshots, and the embedding cache. Their values are in the owning module's format
// (the store does not read them); their key layouts live here only.
import type { StoreDatabases } from './tables';

const END = '\uffff';

/** One call of a session's trace index: its id and the summary kept beside it (null in old stores). */
export interface SessionCall {
  readonly callId: string;
  readonly summary: unknown;
}

/** Which calls of a session to list: in call order, or newest first with `reverse`; from a call id on. */
export interface SessionCallRange {
  readonly reverse?: boolean | undefined;
  /** Start at this call id (inclusive). */
  readonly from?: string | undefined;
  readonly limit?: number | undefined;
}

/** The trace log: records by call id, a per-session index of call ids with summaries, prompt bytes by hash. */
export class TraceLog {
  constructor(private readonly db: StoreDatabases) {}

  /** Writes a record, its summary and its prompt bytes, in the caller's write transaction (`Store.transaction`). */
  put(
    callId: string,
    session: string,
    record: unknown,
    summary: unknown,
    prompt?: { readonly hash: string; readonly bytes: Uint8Array },
  ): void {
    if (prompt !== undefined && !this.db.prompts.doesExist(prompt.hash))
      this.db.prompts.putSync(prompt.hash, Buffer.from(prompt.bytes));
    this.db.traces.putSync(callId, record);
    this.db.traceSessions.putSync([session, callId], summary);
  }

  /** A record by call id, undecoded for the caller to check. */
  get(callId: string): unknown {
    return this.db.traces.get(callId);
  }

  /** The prompt bytes stored under a hash. */
  prompt(hash: string): Buffer | undefined {
    return this.db.prompts.get(hash);
  }

  /**
   * The summary kept for one call of a session; undefined when the session index has no such
   * call (null or another non-object: an entry written before summaries were kept).
   */
  summary(session: string, callId: string): unknown {
    return this.db.traceSessions.get([session, callId]);
  }

  /** Call ids of a session in call order (or newest first), from the index only. */
  *callIds(session: string, range: SessionCallRange = {}): Generator<string> {
    for (const key of this.db.traceSessions.getKeys(this.range(session, range))) {
      const id = (key as string[])[1];
      if (id !== undefined) yield id;
    }
  }

  /** A session's calls with their summaries, from the index only. */
  *calls(session: string, range: SessionCallRange = {}): Generator<SessionCall> {
    for (const { key, value } of this.db.traceSessions.getRange(this.range(session, range))) {
      const id = (key as string[])[1];
      if (id !== undefined) yield { callId: id, summary: value };
    }
  }

  private range(session: string, { reverse, from, limit }: SessionCallRange) {
    const bounds =
      reverse === true
        ? { start: [session, from ?? END], end: [session], reverse: true }
        : { start: [session, from ?? ''], end: [session, END] };
    return { ...bounds, ...(limit === undefined ? {} : { limit }) };
  }
}

/** The retriever indexes' persisted state: a manifest per index family, binary snapshots by key. */
export class IndexTables {
  constructor(private readonly db: StoreDatabases) {}

  manifest(name: string): unknown {
    return this.db.indexes.get(name);
  }

  putManifest(name: string, value: unknown): void {
    this.db.indexes.putSync(name, value);
  }

  /** Manifest names starting with `prefix`. */
  *manifestNames(prefix: string): Generator<string> {
    for (const key of this.db.indexes.getKeys({ start: prefix, end: `${prefix}${END}` }))
      yield key as string;
  }

  blob(key: string): Buffer | undefined {
    return this.db.indexBlobs.get(key);
  }

  putBlob(key: string, blob: Buffer | undefined): void {
    if (blob === undefined) this.db.indexBlobs.removeSync(key);
    else this.db.indexBlobs.putSync(key, blob);
  }

  /** Snapshot keys starting with `prefix`. */
  blobKeys(prefix: string): string[] {
    return [...this.db.indexBlobs.getKeys({ start: prefix, end: `${prefix}${END}` })] as string[];
  }
}

/** Cached embeddings by (embedder id, body hash), as the bytes of a Float32 vector. */
export class EmbeddingCache {
  constructor(
    private readonly db: StoreDatabases,
    private readonly inTransaction: <T>(fn: () => T) => T,
  ) {}

  get(embedderId: string, hash: string): Buffer | undefined {
    return this.db.embeddings.get([embedderId, hash]);
  }

  /** Stores vectors in one transaction. */
  putMany(
    embedderId: string,
    entries: readonly (readonly [hash: string, vector: Float32Array])[],
  ): void {
    this.inTransaction(() => {
      for (const [hash, v] of entries)
        this.db.embeddings.putSync(
          [embedderId, hash],
          Buffer.from(v.buffer, v.byteOffset, v.byteLength),
        );
    });
  }
}
