import { injectFault } from '../base/index';
import type { BlockRecord, Store } from '../store/index';
import { readHeader } from './binary';
import { refresh } from './catalog';
import {
  SEGMENT_SLOTS,
  headSlots,
  isListed,
  layOut,
  markChanged,
  releasedMaxId,
  segmentsOf,
  type Entry,
  type IndexUnit,
} from './index-segments';

/** One add or remove of a block in a session, from the change log. */
export interface IndexOp {
  readonly seq: number;
  readonly op: 'add' | 'remove';
  readonly id: string;
}

interface Manifest {
  readonly version: number;
  /** Every persisted unit of the family is valid through this change. */
  readonly seq: number;
}

const MANIFEST_VERSION = 1;
/** Ops applied per `apply` call: bounds the bodies and embeddings held at once. */
const CHUNK = 2048;

/** Counters for tests and diagnostics. */
export interface FamilyStats {
  /** Units read from a snapshot. */
  loads: number;
  /** Sealed segments read back from the store (a query after a bulk writer released them). */
  segmentLoads: number;
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
 * Persistence: each session's unit is a head blob in `db.indexBlobs` under `<family>/<session>`
 * and, once it has grown past {@link IndexFamily.segmentSlots} slots, sealed segments of that many
 * slots under `<family>/<session>/<n>`, listed in the head blob's header. A save writes the head
 * of each changed session and only the segments that changed (blocks removed from them); a
 * manifest in `db.indexes` under `family:<family>` records the change sequence number `seq`
 * through which every persisted unit is valid. Saves never replace a newer manifest (another
 * process saved later: its snapshot wins).
 *
 * Catch-up: the family reads the log from the last change it saw (one range read), queues each
 * add/remove under its session, and applies a session's queue when that session is next used or
 * saved. A unit is loaded from its blobs on first use (valid through the later of its own seq and
 * the manifest's), so a page call loads and patches, never rebuilds. Only when no usable
 * snapshot exists (a store that was never saved, or after `reset` by repair) is a unit built
 * from the store's tables, counted in {@link FamilyStats.builds}.
 *
 * Memory: a writer that never queries needs only each session's head. {@link IndexFamily.flush}
 * persists segments as they fill and drops them from memory, and writers load only heads; a
 * sealed segment is read back when a query needs the session ({@link IndexFamily.sync} with
 * sessions) or an op concerns one of its blocks. Units in memory always hold the whole session
 * for queries, so answers do not depend on how it is segmented.
 */
export abstract class IndexFamily<U extends IndexUnit> {
  readonly name: string;
  protected readonly store: Store;
  readonly stats: FamilyStats = { loads: 0, segmentLoads: 0, builds: 0, opsApplied: 0, saves: 0 };
  /** Slots per sealed segment (small values in tests). */
  segmentSlots = SEGMENT_SLOTS;
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
  /** A new unit with the blocks of slots `[lo, hi)`, renumbered from 0. */
  protected abstract slice(unit: U, lo: number, hi: number): U;
  /** One unit with the blocks of `parts` in order (the inverse of `slice`); blobs are encoded units. */
  protected abstract merge(parts: readonly (U | Uint8Array)[]): U;
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
   * sessions when omitted). Cheap when nothing changed: two small reads. Named sessions are made
   * whole in memory for queries (released segments are read back); without names, as writers
   * call it, only what the ops need is loaded.
   */
  sync(sessions?: readonly string[]): Promise<void> {
    return this.exclusive(async () => {
      this.readLog();
      const targets = sessions ?? [...this.pending.keys()];
      for (const session of targets) await this.ensure(session, sessions !== undefined);
    });
  }

  /** The caught-up unit of a session (after {@link IndexFamily.sync} of that session). */
  unit(session: string): U | undefined {
    const entry = this.units.get(session);
    if (entry === undefined || entry.released === 0) return entry?.unit;
    const whole = this.readReleased(session, entry);
    if (whole === undefined) {
      // Loaded again from the store by the next sync.
      this.units.delete(session);
      throw new Error(
        `the ${this.name} index of session ${session} changed while it was read: sync it again`,
      );
    }
    entry.unit = whole;
    entry.released = 0;
    return whole;
  }

  /**
   * Applies everything queued and persists the changed units plus the manifest, in one
   * transaction. Returns false (writing nothing) on a read-only store or when another process has
   * already saved a newer snapshot.
   */
  save(): Promise<boolean> {
    return this.exclusive(() => this.saveNow());
  }

  /**
   * For bulk writers that do not query (ingest): applies everything queued, saves when a
   * session's head has filled a segment, and drops every saved segment from memory, so memory
   * stays bounded by the heads however much is written. Call it after each batch. A later query
   * in the same process reads the segments back. Returns whether it saved.
   */
  flush(): Promise<boolean> {
    return this.exclusive(async () => {
      this.readLog();
      if (this.store.readOnly) return false;
      for (const session of [...this.pending.keys()]) await this.ensure(session, false);
      let saved = false;
      const entries = [...this.units.values()];
      for (const entry of entries) markChanged(entry);
      if (entries.some((e) => headSlots(e) >= this.segmentSlots || e.sealed.some((s) => s.dirty))) {
        saved = await this.saveNow();
        if (!saved) return false;
      }
      for (const entry of entries) this.release(entry);
      return saved;
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

  private async saveNow(): Promise<boolean> {
    this.readLog();
    if (this.store.readOnly) return false;
    injectFault('index-save');
    const sessions = new Set(this.pending.keys());
    if (this.saveAll) for (const { session } of this.store.sessions()) sessions.add(session);
    for (const session of sessions) await this.ensure(session, false);
    const seq = this.seq;
    const writes: [string, Buffer | undefined][] = [];
    const written: Entry<U>[] = [];
    for (const [session, entry] of this.units) {
      const changed =
        entry.dirty || entry.dropped.length > 0 || entry.sealed.some((seg) => seg.dirty);
      if (!changed && !this.saveAll) continue;
      writes.push(...this.layout(session, entry, seq));
      written.push(entry);
    }
    const saveAll = this.saveAll;
    const keep = new Set<string>();
    if (saveAll) {
      for (const [session, entry] of this.units) {
        keep.add(this.blobKey(session));
        for (const seg of entry.sealed) keep.add(this.segmentKey(session, seg.id));
      }
    }
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
    for (const entry of written) {
      entry.dirty = false;
      entry.dropped = [];
      for (const seg of entry.sealed) seg.dirty = false;
    }
    this.saveAll = false;
    this.validFrom = -1;
    this.stats.saves++;
    return true;
  }

  /** The blobs a save writes for a session (see {@link layOut}). */
  private layout(session: string, entry: Entry<U>, seq: number): [string, Buffer | undefined][] {
    const { segments, head } = layOut(entry, this.segmentSlots, seq);
    return [
      ...segments.map(([id, blob]): [string, Buffer | undefined] => [
        this.segmentKey(session, id),
        blob,
      ]),
      [this.blobKey(session), head],
    ];
  }

  /** Drops the saved sealed segments at the front of a unit from memory. */
  private release(entry: Entry<U>): void {
    let cut = 0;
    let n = entry.released;
    for (; n < entry.sealed.length; n++) {
      const seg = entry.sealed[n];
      if (seg === undefined || seg.dirty) break;
      cut += seg.slots;
    }
    if (n === entry.released) return;
    entry.unit = this.slice(entry.unit, cut, entry.unit.slots);
    entry.released = n;
  }

  /** The units in memory (heads only, for a session whose segments were released). */
  protected *loaded(): Generator<U> {
    for (const entry of this.units.values()) yield entry.unit;
  }

  /** Runs `fn` after every sync, save and flush queued before it, and before those queued after. */
  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
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

  /** Loads (or builds) a session's unit and applies its queued ops; `whole`: for a query. */
  private async ensure(session: string, whole: boolean): Promise<void> {
    let entry = this.units.get(session);
    if (entry === undefined) this.units.set(session, (entry = await this.load(session, whole)));
    const ops = this.pending.get(session) ?? [];
    // If this throws (an embedding request failed), the rest stays queued for the next call:
    // `apply` fetches everything it needs before it changes the unit.
    entry = await this.applyOps(session, entry, ops);
    this.pending.delete(session);
    entry.applied = Math.max(entry.applied, this.seq);
    if (whole && entry.released > 0) entry = await this.readBack(session, entry);
    this.units.set(session, entry);
  }

  /** Applies ops newer than the unit, in chunks; returns the entry (a new one after a rebuild). */
  private async applyOps(
    session: string,
    entry: Entry<U>,
    all: readonly IndexOp[],
  ): Promise<Entry<U>> {
    const records = (id: string) => this.store.sessionRecord(session, id);
    for (let start = 0; start < all.length; start += CHUNK) {
      let ops = all.slice(start, start + CHUNK).filter((op) => op.seq > entry.applied);
      if (ops.length === 0) continue;
      // An op on a block that may be in a released segment needs the whole unit (a removal,
      // or an add that may already be there); appended blocks have newer ids and do not.
      const releasedMax = releasedMaxId(entry);
      if (releasedMax !== '' && ops.some((op) => op.id <= releasedMax)) {
        entry = await this.readBack(session, entry);
        // A rebuild from the tables has every op already.
        ops = ops.filter((op) => op.seq > entry.applied);
        if (ops.length === 0) continue;
      }
      await this.apply(entry.unit, session, ops, records);
      this.stats.opsApplied += ops.length;
      entry.applied = Math.max(entry.applied, (ops[ops.length - 1] as IndexOp).seq);
      entry.dirty = true;
    }
    return entry;
  }

  /**
   * Reads a unit's released segments back and merges them in front of what is in memory; when
   * they changed since they were listed (another process rewrote them), rebuilds from the tables.
   */
  private async readBack(session: string, entry: Entry<U>): Promise<Entry<U>> {
    const whole = this.readReleased(session, entry);
    if (whole !== undefined) {
      entry.unit = whole;
      entry.released = 0;
      return entry;
    }
    const rebuilt = await this.build(session);
    rebuilt.nextId = entry.nextId;
    rebuilt.dropped = entry.sealed.map((seg) => seg.id);
    return rebuilt;
  }

  /** The whole unit: released segments read from the store, then what is in memory. */
  private readReleased(session: string, entry: Entry<U>): U | undefined {
    const parts: (U | Uint8Array)[] = [];
    for (const seg of entry.sealed.slice(0, entry.released)) {
      const blob = this.store.indexTables.blob(this.segmentKey(session, seg.id));
      if (blob === undefined || !isListed(seg, this.tryHeader(blob))) return undefined;
      this.stats.segmentLoads++;
      parts.push(blob);
    }
    parts.push(entry.unit);
    try {
      return this.merge(parts);
    } catch {
      return undefined;
    }
  }

  private tryHeader(blob: Uint8Array): Record<string, unknown> {
    try {
      return readHeader(blob);
    } catch {
      return {};
    }
  }

  private tryDecode(blob: Uint8Array): { unit: U; header: Record<string, unknown> } | undefined {
    try {
      return this.decode(blob);
    } catch {
      return undefined;
    }
  }

  private async load(session: string, whole: boolean): Promise<Entry<U>> {
    // The manifest first, then the blob: a blob read after a newer manifest is at least as new.
    const manifestSeq = this.readManifest()?.seq ?? -1;
    const blob = this.store.indexTables.blob(this.blobKey(session));
    let entry: Entry<U> | undefined;
    const decoded = blob === undefined ? undefined : this.tryDecode(blob);
    const sealed = decoded === undefined ? undefined : segmentsOf(decoded.header);
    if (decoded !== undefined && sealed !== undefined) {
      const { unit, header } = decoded;
      const valid = Math.max(typeof header.seq === 'number' ? header.seq : -1, manifestSeq);
      if (valid >= this.validFrom) {
        entry = {
          unit,
          sealed,
          released: sealed.length,
          nextId: typeof header.next === 'number' ? header.next : sealed.length,
          dropped: [],
          applied: valid,
          dirty: false,
        };
        if (whole && entry.released > 0) {
          // In the same synchronous stretch as the head: one read snapshot.
          const merged = this.readReleased(session, entry);
          if (merged === undefined) entry = undefined;
          else {
            entry.unit = merged;
            entry.released = 0;
          }
        }
      }
    } else if (blob !== undefined) {
      // A snapshot of another format version (or damaged): rebuilt from the tables below.
    } else if (manifestSeq >= 0 && manifestSeq >= this.validFrom) {
      // Saves write every session that had changes, so no blob means no blocks through the manifest.
      entry = {
        unit: this.empty(),
        sealed: [],
        released: 0,
        nextId: 0,
        dropped: [],
        applied: manifestSeq,
        dirty: false,
      };
    }
    if (entry === undefined) return this.build(session);
    this.stats.loads++;
    if (entry.applied < this.logStart) {
      // The snapshot is older than our queue: take the missing ops straight from the log.
      const missing: IndexOp[] = [];
      for (const c of this.store.changesSince(entry.applied, this.logStart - entry.applied)) {
        if (c.session === session && (c.op === 'add' || c.op === 'remove'))
          missing.push({ seq: c.seq, op: c.op, id: c.id });
      }
      entry = await this.applyOps(session, entry, missing);
      entry.applied = Math.max(entry.applied, this.logStart);
    }
    return entry;
  }

  /** Builds a session's unit from the store's tables: the expensive path. */
  private async build(session: string): Promise<Entry<U>> {
    const applied = this.store.changeSeq();
    const unit = this.empty();
    const ops = this.store.listIds(session).map((id) => ({ seq: applied, op: 'add' as const, id }));
    for (let start = 0; start < ops.length; start += CHUNK)
      await this.apply(unit, session, ops.slice(start, start + CHUNK), (id) =>
        this.store.sessionRecord(session, id),
      );
    this.stats.builds++;
    return { unit, sealed: [], released: 0, nextId: 0, dropped: [], applied, dirty: true };
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

  /** Session names have no '/': no session's head key looks like a segment key. */
  private segmentKey(session: string, id: number): string {
    return `${this.name}/${session}/${id}`;
  }
}
