import { injectFault } from '../base/index';
import type { BlockRecord, Store } from '../store/index';
import { refresh } from './catalog';

/** One add or remove of a block in a session, from the change log. */
export interface IndexOp {
  readonly seq: number;
  readonly op: 'add' | 'remove';
  readonly id: string;
}

/** What a family needs of a per-session index. */
export interface IndexUnit {
  readonly live: number;
  readonly deadFraction: number;
  has(id: string): boolean;
  remove(id: string): boolean;
  compact(): void;
  encode(header: Record<string, unknown>): Buffer;
}

interface Entry<U> {
  unit: U;
  /** Every op of this session up to here is in the unit. */
  applied: number;
  dirty: boolean;
}

interface Manifest {
  readonly version: number;
  /** Every persisted unit of the family is valid through this change. */
  readonly seq: number;
}

const MANIFEST_VERSION = 1;
const COMPACT_AT = 0.25;
/** Ops applied per `apply` call: bounds the bodies and embeddings held at once. */
const CHUNK = 2048;

/** Counters for tests and diagnostics. */
export interface FamilyStats {
  /** Units read from a snapshot. */
  loads: number;
  /** Units built from the store's tables (no usable snapshot): the expensive path. */
  builds: number;
  /** Log ops applied to loaded units. */
  opsApplied: number;
  /** Successful saves. */
  saves: number;
}

/**
 * A family of per-session indexes of one kind (`text`, or `ann:<embedder id>`), persisted in the
 * store and kept in step with it through the change log.
 *
 * Persistence: each session's unit is one blob in `db.indexBlobs` under `<family>/<session>`; a
 * manifest in `db.indexes` under `family:<family>` records the change sequence number `seq`
 * through which every persisted unit is valid. Saves write only units that changed, and never
 * replace a newer manifest (another process saved later: its snapshot wins).
 *
 * Catch-up: the family reads the log from the last change it saw (one range read), queues each
 * add/remove under its session, and applies a session's queue when that session is next used or
 * saved. A unit is loaded from its blob on first use (valid through the later of its own seq and
 * the manifest's), so a page call loads and patches, never rebuilds. Only when no usable
 * snapshot exists (a store that was never saved, or after `reset` by repair) is a unit built
 * from the store's tables, counted in {@link FamilyStats.builds}.
 */
export abstract class IndexFamily<U extends IndexUnit> {
  readonly name: string;
  protected readonly store: Store;
  readonly stats: FamilyStats = { loads: 0, builds: 0, opsApplied: 0, saves: 0 };
  private started = false;
  /** The newest change read from the log. */
  private seq = 0;
  /** Snapshots valid through less than this are unusable (no manifest, or a reset). */
  private validFrom = -1;
  /** Queued ops are complete from here; older ones come from the log when needed. */
  private logStart = 0;
  /** Units of every session must be written at the next save (after a build or a reset). */
  private saveAll = false;
  private readonly units = new Map<string, Entry<U>>();
  private readonly pending = new Map<string, IndexOp[]>();
  private queue: Promise<unknown> = Promise.resolve();

  protected constructor(store: Store, name: string) {
    this.store = store;
    this.name = name;
  }

  /** An empty unit. */
  protected abstract empty(): U;
  /** Reads a unit blob. */
  protected abstract decode(blob: Uint8Array): { unit: U; header: Record<string, unknown> };
  /**
   * Applies ops to a unit, in order. Must fetch (bodies, embeddings) before changing the unit, so
   * a failure leaves it untouched and the ops can be retried.
   */
  /** `records(id)`: the block as listed in `session` (its session copy: one read), undefined when it is not there. */
  protected abstract apply(
    unit: U,
    session: string,
    ops: readonly IndexOp[],
    records: (id: string) => BlockRecord | undefined,
  ): Promise<void>;

  /**
   * Reads new changes from the log and applies the queued ops of these sessions (all queued
   * sessions when omitted). Cheap when nothing changed: two small reads.
   */
  sync(sessions?: readonly string[]): Promise<void> {
    return this.exclusive(async () => {
      this.readLog();
      const targets = sessions ?? [...this.pending.keys()];
      for (const session of targets) await this.ensure(session);
    });
  }

  /** The caught-up unit of a session (after {@link IndexFamily.sync} of that session). */
  unit(session: string): U | undefined {
    return this.units.get(session)?.unit;
  }

  /**
   * Applies everything queued and persists the changed units plus the manifest, in one
   * transaction. Returns false (writing nothing) on a read-only store or when another process has
   * already saved a newer snapshot.
   */
  save(): Promise<boolean> {
    return this.exclusive(async () => {
      this.readLog();
      if (this.store.readOnly) return false;
      injectFault('index-save');
      const sessions = new Set(this.pending.keys());
      if (this.saveAll) for (const { session } of this.store.sessions()) sessions.add(session);
      for (const session of sessions) await this.ensure(session);
      const writes: [string, Buffer | undefined][] = [];
      const written: Entry<U>[] = [];
      for (const [session, entry] of this.units) {
        if (!entry.dirty && !this.saveAll) continue;
        if (entry.unit.deadFraction > COMPACT_AT) entry.unit.compact();
        writes.push([
          this.blobKey(session),
          entry.unit.live === 0 ? undefined : entry.unit.encode({ seq: this.seq }),
        ]);
        written.push(entry);
      }
      const seq = this.seq;
      const saveAll = this.saveAll;
      const keep = new Set(writes.map(([key]) => key));
      const ok = this.store.transaction(() => {
        const current = this.readManifest();
        if (current !== undefined && current.seq > seq) return false;
        if (saveAll) {
          // Blobs of sessions that no longer exist, or from before a reset.
          for (const key of this.store.indexTables.blobKeys(`${this.name}/`)) {
            if (!keep.has(key)) this.store.indexTables.putBlob(key, undefined);
          }
        }
        for (const [key, blob] of writes) this.store.indexTables.putBlob(key, blob);
        this.store.indexTables.putManifest(this.manifestKey(), {
          version: MANIFEST_VERSION,
          seq,
        } satisfies Manifest);
        return true;
      });
      if (!ok) return false;
      for (const entry of written) entry.dirty = false;
      this.saveAll = false;
      this.validFrom = -1;
      this.stats.saves++;
      return true;
    });
  }

  /** Changes since the persisted snapshot (all changes when there is none). */
  unsavedChanges(): number {
    return this.store.changeSeq() - (this.readManifest()?.seq ?? 0);
  }

  /** True when a snapshot of this family exists in the store. */
  hasSnapshot(): boolean {
    return this.readManifest() !== undefined;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const manifest = this.readManifest();
    if (manifest !== undefined) {
      this.seq = this.logStart = manifest.seq;
      this.validFrom = -1;
    } else {
      this.seq = this.logStart = this.validFrom = this.store.changeSeq();
      this.saveAll = true;
    }
  }

  private readLog(): void {
    refresh(this.store);
    this.start();
    const head = this.store.changeSeq();
    if (head === this.seq) return;
    if (head < this.seq) {
      // Not the log we were following (the store was replaced): start over.
      this.restart(head);
      return;
    }
    for (const change of this.store.changesSince(this.seq)) {
      if (change.op === 'reset') this.restart(change.seq);
      else if ((change.op === 'add' || change.op === 'remove') && change.session !== undefined) {
        let list = this.pending.get(change.session);
        if (list === undefined) this.pending.set(change.session, (list = []));
        list.push({ seq: change.seq, op: change.op, id: change.id });
      }
      this.seq = change.seq;
    }
  }

  private restart(seq: number): void {
    this.units.clear();
    this.pending.clear();
    this.seq = this.logStart = this.validFrom = seq;
    this.saveAll = true;
  }

  /** Loads (or builds) a session's unit and applies its queued ops. */
  private async ensure(session: string): Promise<void> {
    let entry = this.units.get(session);
    if (entry === undefined) entry = await this.load(session);
    const ops = (this.pending.get(session) ?? []).filter(
      (op) => op.seq > (entry as Entry<U>).applied,
    );
    for (let start = 0; start < ops.length; start += CHUNK) {
      // If this throws (an embedding request failed), the rest stays queued for the next call:
      // `apply` fetches everything it needs before it changes the unit.
      const chunk = ops.slice(start, start + CHUNK);
      await this.apply(entry.unit, session, chunk, (id) => this.store.sessionRecord(session, id));
      this.stats.opsApplied += chunk.length;
      entry.applied = (chunk[chunk.length - 1] as IndexOp).seq;
      entry.dirty = true;
    }
    this.pending.delete(session);
    entry.applied = Math.max(entry.applied, this.seq);
  }

  private tryDecode(blob: Uint8Array): { unit: U; header: Record<string, unknown> } | undefined {
    try {
      return this.decode(blob);
    } catch {
      return undefined;
    }
  }

  private async load(session: string): Promise<Entry<U>> {
    // The manifest first, then the blob: a blob read after a newer manifest is at least as new.
    const manifestSeq = this.readManifest()?.seq ?? -1;
    const blob = this.store.indexTables.blob(this.blobKey(session));
    let entry: Entry<U> | undefined;
    const decoded = blob === undefined ? undefined : this.tryDecode(blob);
    if (decoded !== undefined) {
      const { unit, header } = decoded;
      const valid = Math.max(typeof header.seq === 'number' ? header.seq : -1, manifestSeq);
      if (valid >= this.validFrom) entry = { unit, applied: valid, dirty: false };
    } else if (blob !== undefined) {
      // A snapshot of another format version (or damaged): rebuilt from the tables below.
    } else if (manifestSeq >= 0 && manifestSeq >= this.validFrom) {
      // Saves write every session that had changes, so no blob means no blocks through the manifest.
      entry = { unit: this.empty(), applied: manifestSeq, dirty: false };
    }
    if (entry !== undefined) {
      this.stats.loads++;
      if (entry.applied < this.logStart) {
        // The snapshot is older than our queue: take the missing ops straight from the log.
        const missing: IndexOp[] = [];
        for (const c of this.store.changesSince(entry.applied, this.logStart - entry.applied)) {
          if (c.session === session && (c.op === 'add' || c.op === 'remove'))
            missing.push({ seq: c.seq, op: c.op, id: c.id });
        }
        if (missing.length > 0) {
          await this.apply(entry.unit, session, missing, (id) =>
            this.store.sessionRecord(session, id),
          );
          entry.dirty = true;
        }
        entry.applied = this.logStart;
      }
    } else {
      const applied = this.store.changeSeq();
      const unit = this.empty();
      const ops = this.store
        .listIds(session)
        .map((id) => ({ seq: applied, op: 'add' as const, id }));
      for (let start = 0; start < ops.length; start += CHUNK)
        await this.apply(unit, session, ops.slice(start, start + CHUNK), (id) =>
          this.store.sessionRecord(session, id),
        );
      this.stats.builds++;
      entry = { unit, applied, dirty: true };
    }
    this.units.set(session, entry);
    return entry;
  }

  private readManifest(): Manifest | undefined {
    const m = this.store.indexTables.manifest(this.manifestKey()) as Manifest | undefined;
    return m !== undefined && m.version === MANIFEST_VERSION && typeof m.seq === 'number'
      ? m
      : undefined;
  }

  private manifestKey(): string {
    return `family:${this.name}`;
  }

  private blobKey(session: string): string {
    return `${this.name}/${session}`;
  }
}
