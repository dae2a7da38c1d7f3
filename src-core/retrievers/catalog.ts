import type { BlockId } from '../base/index';
import type { BlockRecord, Store, StoreSlot } from '../store/index';

/**
 * The blocks of a candidate pool (one or more sessions), oldest first, with their records.
 *
 * Identity rule: while only new blocks are appended (the usual case: ids are minted in time
 * order), {@link Catalog.pool} keeps returning the same object and its arrays grow in place; any
 * other change (a removal, a changed record, an id out of order) gives a new object. So data
 * derived from a pool may be cached on the object and extended over `ids.length`.
 */
export interface CatalogPool {
  /** Block ids, ascending (oldest first), without duplicates. */
  readonly ids: readonly BlockId[];
  /** `records[i]` is the record of `ids[i]`. */
  readonly records: readonly BlockRecord[];
  /** True when the block is in the pool. */
  has(id: string): boolean;
  /** The block's index in `ids` and `records`, or -1 when it is not in the pool. */
  indexOf(id: string): number;
}

interface SessionView {
  ids: BlockId[];
  records: BlockRecord[];
  /** Id -> its index in `ids`: membership and O(1) record lookup. */
  members: Map<string, number>;
  /** Dropped on any change other than an append (see {@link CatalogPool}). */
  pool: CatalogPool | undefined;
}

interface CachedPool {
  /** The views' pools when merged, and how much of each was merged. */
  readonly parts: readonly CatalogPool[];
  readonly lengths: number[];
  readonly ids: BlockId[];
  readonly records: BlockRecord[];
  readonly pool: CatalogPool;
}

const MAX_CACHED_POOLS = 64;
/** The catalog of an open store (one per store, see `StoreSlot`). */
const CATALOG: StoreSlot<Catalog> = {
  name: 'catalog',
  create: (store) => new (Catalog as unknown as new (s: Store) => Catalog)(store),
};

/**
 * An in-memory view of block metadata, kept in step with the store through its change log.
 *
 * One per {@link Store} instance ({@link Catalog.of}). A session is loaded on first use with one
 * range scan (`store.list`); after that `ids` of an unchanged session returns a cached array, and
 * {@link Catalog.sync} applies only the changes since the last sequence number it saw (one range
 * read when nothing changed). Appends in id order never re-sort. Writes by other processes or
 * other `Store` instances arrive the same way, through the log. A `reset` (written by repair)
 * drops everything; sessions reload lazily.
 *
 * Callers decide when to catch up: call `sync()` before a batch of reads (the pager does once per
 * page call; the built-in retrievers do too, which is free when nothing changed).
 */
export class Catalog {
  private readonly store: Store;
  private seq: number;
  private readonly sessions = new Map<string, SessionView>();
  /** The values of `sessions`, as an array: `record` is hot and a Map iterator allocates. */
  private viewList: SessionView[] = [];
  private readonly pools = new Map<string, CachedPool>();
  /** Records of blocks outside every loaded session, read on demand and kept fresh by the log. */
  private readonly extra = new Map<string, BlockRecord>();
  /** Data modules derive from a pool, cached with the pool object (see {@link Catalog.poolData}). */
  private readonly derived = new WeakMap<CatalogPool, Map<object, unknown>>();
  /** Counts of full session loads, for tests and diagnostics. */
  readonly stats = { sessionLoads: 0, changesApplied: 0 };

  private constructor(store: Store) {
    this.store = store;
    this.seq = store.changeSeq();
  }

  /** The catalog of a store instance (created on first use). */
  static of(store: Store): Catalog {
    return store.slot(CATALOG);
  }

  /** The change sequence number this catalog has caught up to. */
  get changeSeq(): number {
    return this.seq;
  }

  /** Catches up with the store's change log; cheap (one read) when nothing changed. */
  sync(): void {
    refresh(this.store);
    const head = this.store.changeSeq();
    if (head === this.seq) return;
    if (head < this.seq) {
      // The log went backwards: not the same store any more. Start over.
      this.clear();
      this.seq = head;
      return;
    }
    const touched = new Map<string, Set<string>>();
    const ids = new Set<string>();
    for (const change of this.store.changesSince(this.seq)) {
      this.seq = change.seq;
      this.stats.changesApplied++;
      switch (change.op) {
        case 'reset':
          this.clear();
          touched.clear();
          ids.clear();
          break;
        case 'add':
        case 'remove': {
          ids.add(change.id);
          if (change.session !== undefined && this.sessions.has(change.session)) {
            let set = touched.get(change.session);
            if (set === undefined) touched.set(change.session, (set = new Set()));
            set.add(change.id);
          }
          break;
        }
        case 'delete':
          ids.add(change.id);
          break;
        case 'edge':
        case 'trace':
          break;
      }
    }
    if (ids.size > 0) this.reconcile(touched, ids);
  }

  /**
   * Ids of the blocks in any of these sessions, ascending (oldest first), without duplicates.
   * Loads a session on first use; does not sync.
   */
  ids(sessions: readonly string[]): readonly BlockId[] {
    return this.pool(sessions).ids;
  }

  /**
   * The pool of these sessions: ids with aligned records and membership. See
   * {@link CatalogPool} for when the same object comes back. Loads sessions on first use.
   */
  pool(sessions: readonly string[]): CatalogPool {
    if (sessions.length === 1) return this.poolOfView(this.view(sessions[0] as string));
    const names = [...new Set(sessions)].sort();
    if (names.length === 1) return this.poolOfView(this.view(names[0] as string));
    const key = names.join('\n');
    const views = names.map((s) => this.view(s));
    const parts = views.map((v) => this.poolOfView(v));
    const cached = this.pools.get(key);
    if (
      cached !== undefined &&
      cached.parts.every((p, i) => p === parts[i]) &&
      extendMerged(cached, views)
    )
      return cached.pool;
    const merged = mergeViews(views);
    const members = views.map((v) => v.members);
    // Positions in the merged arrays, made on first use and extended as the pool grows in place.
    const positions = new Map<string, number>();
    const entry: CachedPool = {
      parts,
      lengths: views.map((v) => v.ids.length),
      ...merged,
      pool: {
        ids: merged.ids,
        records: merged.records,
        has: (id) => members.some((m) => m.has(id)),
        indexOf: (id) => {
          for (let i = positions.size; i < merged.ids.length; i++)
            positions.set(merged.ids[i] as string, i);
          return positions.get(id) ?? -1;
        },
      },
    };
    if (this.pools.size >= MAX_CACHED_POOLS)
      this.pools.delete(this.pools.keys().next().value as string);
    this.pools.set(key, entry);
    return entry.pool;
  }

  /**
   * The write that added a block to a session, from the session's loaded copies (loads the
   * session on first use); undefined when it is not there. Does not sync.
   */
  joinedIn(session: string, id: string): number | undefined {
    const view = this.view(session);
    const i = view.members.get(id);
    return i === undefined ? undefined : (view.records[i]?.joined ?? 0);
  }

  /**
   * Data a module derives from a pool (creation times as a typed array, labelled ids), kept with
   * the pool object: a pool that only grew is the same object, so the data may extend in place
   * (see {@link CatalogPool}); any other change gives a new pool and fresh data. `key` is the
   * module's constant naming its data.
   */
  poolData<T>(pool: CatalogPool, key: object, create: () => T): T {
    let byKey = this.derived.get(pool);
    if (byKey === undefined) this.derived.set(pool, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, create());
    return byKey.get(key) as T;
  }

  /** The record of a block (from a loaded session, or read from the store), or undefined. */
  record(id: string): BlockRecord | undefined {
    const views = this.viewList;
    for (let v = 0; v < views.length; v++) {
      const view = views[v] as SessionView;
      const i = view.members.get(id);
      if (i !== undefined) return view.records[i];
    }
    const extra = this.extra.get(id);
    if (extra !== undefined) return extra;
    const record = this.store.getRecord(id);
    if (record !== undefined) {
      if (this.extra.size > 10_000) this.extra.clear();
      this.extra.set(id, record);
    }
    return record;
  }

  private view(session: string): SessionView {
    let view = this.sessions.get(session);
    if (view === undefined) {
      // Changes between `seq` and now are already in this scan; replaying them later is harmless
      // because reconcile compares against the store's current records.
      const records = this.store.list(session);
      for (const r of records) flatten(r);
      view = {
        ids: records.map((r) => r.id),
        records,
        members: new Map(records.map((r, i) => [r.id, i])),
        pool: undefined,
      };
      this.sessions.set(session, view);
      this.viewList = [...this.sessions.values()];
      this.stats.sessionLoads++;
    }
    return view;
  }

  private poolOfView(view: SessionView): CatalogPool {
    if (view.pool === undefined) {
      const { ids, records, members } = view;
      view.pool = {
        ids,
        records,
        has: (id) => members.has(id),
        // The view's map may have been rebuilt for newer arrays since: checked against this pool's own.
        indexOf: (id) => {
          const i = members.get(id);
          return i !== undefined && ids[i] === id ? i : -1;
        },
      };
    }
    return view.pool;
  }

  /** Brings loaded sessions and cached records in line with the store for the touched ids. */
  private reconcile(touched: Map<string, Set<string>>, ids: Set<string>): void {
    const current = new Map<string, BlockRecord | undefined>();
    const read = (id: string) => {
      if (!current.has(id)) current.set(id, this.store.getRecord(id));
      return current.get(id);
    };
    for (const id of ids) {
      if (this.extra.has(id)) {
        const r = read(id);
        if (r === undefined) this.extra.delete(id);
        else this.extra.set(id, r);
      }
    }
    for (const [session, view] of this.sessions) {
      const set = touched.get(session);
      const removed = new Set<string>();
      let replaced = false;
      let unsorted = false;
      // A session's view holds that session's copies: they carry the write that added the block
      // there (`joined`), which replay's snapshot reads.
      const copies = new Map<string, BlockRecord | undefined>();
      const copy = (id: string) => {
        if (!copies.has(id)) copies.set(id, this.store.sessionRecord(session, id));
        return copies.get(id);
      };
      if (set !== undefined) {
        for (const id of set) {
          const r = copy(id);
          const belongs = r !== undefined;
          if (belongs && !view.members.has(id)) {
            const last = view.ids[view.ids.length - 1];
            if (last !== undefined && id < last) unsorted = true;
            flatten(r);
            view.ids.push(r.id);
            view.records.push(r);
            view.members.set(r.id, view.ids.length - 1);
          } else if (!belongs && view.members.has(id)) {
            removed.add(id);
            view.members.delete(id);
          }
        }
      }
      // Records of kept blocks may have changed (another session added, labels merged).
      for (const id of ids) {
        if (!view.members.has(id) || removed.has(id)) continue;
        const r = copy(id);
        if (r === undefined) continue;
        const i = view.members.get(id) ?? -1;
        if (
          i >= 0 &&
          view.records[i] !== r &&
          JSON.stringify(view.records[i]) !== JSON.stringify(r)
        ) {
          // Copy once: pools handed out earlier keep the records they were built with.
          if (!replaced) view.records = view.records.slice();
          flatten(r);
          view.records[i] = r;
          replaced = true;
        }
      }
      if (removed.size > 0 || unsorted) rebuildView(view, removed, unsorted);
      else if (replaced) view.pool = undefined;
      // Appends in id order keep the arrays and the pool object: derived data extends.
      else if (
        view.pool !== undefined &&
        (view.pool.ids !== view.ids || view.pool.records !== view.records)
      )
        view.pool = undefined;
    }
  }

  private clear(): void {
    this.sessions.clear();
    this.viewList = [];
    this.pools.clear();
    this.extra.clear();
  }
}

/**
 * Moves the store's shared read snapshot to the newest commit. lmdb-js renews it on each event
 * turn and after local writes; commits by other processes (or other `Store` instances) within the
 * same turn are otherwise invisible until then.
 */
export function refresh(store: Store): void {
  store.refresh();
}

/**
 * Replaces a freshly read record's id and hash by flat copies, in place (the catalog owns the
 * object). msgpack decodes strings as slices of one larger string; V8 hashes and compares sliced
 * strings several times slower, and these are looked up in maps on every page call.
 */
function flatten(record: BlockRecord): void {
  const r = record as { id: BlockId; hash: string };
  r.id = Buffer.from(r.id, 'latin1').toString('latin1') as BlockId;
  r.hash = Buffer.from(r.hash, 'latin1').toString('latin1');
}

function rebuildView(view: SessionView, removed: Set<string>, unsorted: boolean): void {
  const order: number[] = [];
  for (let i = 0; i < view.ids.length; i++) if (!removed.has(view.ids[i] as string)) order.push(i);
  if (unsorted) order.sort((a, b) => ((view.ids[a] as string) < (view.ids[b] as string) ? -1 : 1));
  // New arrays: pools handed out earlier stay valid snapshots.
  view.ids = order.map((i) => view.ids[i] as BlockId);
  view.records = order.map((i) => view.records[i] as BlockRecord);
  // In place: pools handed out earlier share this map for `has`, as they did before.
  view.members.clear();
  view.ids.forEach((id, i) => view.members.set(id, i));
  view.pool = undefined;
}

/**
 * Brings a merged pool up to date when its views only had appends: pushes the new blocks when
 * they all sort after the merged ones. False when a full merge is needed.
 */
function extendMerged(cached: CachedPool, views: readonly SessionView[]): boolean {
  const fresh: { id: BlockId; record: BlockRecord }[] = [];
  views.forEach((v, i) => {
    for (let j = cached.lengths[i] as number; j < v.ids.length; j++)
      fresh.push({ id: v.ids[j] as BlockId, record: v.records[j] as BlockRecord });
  });
  if (fresh.length === 0) return true;
  fresh.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const last = cached.ids[cached.ids.length - 1];
  if (last !== undefined && (fresh[0] as { id: BlockId }).id <= last) return false;
  for (let k = 0; k < fresh.length; k++) {
    const f = fresh[k] as { id: BlockId; record: BlockRecord };
    if (k > 0 && f.id === (fresh[k - 1] as { id: BlockId }).id) continue;
    cached.ids.push(f.id);
    cached.records.push(f.record);
  }
  views.forEach((v, i) => (cached.lengths[i] = v.ids.length));
  return true;
}

function mergeViews(views: readonly SessionView[]): { ids: BlockId[]; records: BlockRecord[] } {
  const ids: BlockId[] = [];
  const records: BlockRecord[] = [];
  const cursors = views.map(() => 0);
  for (;;) {
    let best = -1;
    let bestId: string | undefined;
    for (let v = 0; v < views.length; v++) {
      const id = (views[v] as SessionView).ids[cursors[v] as number];
      if (id !== undefined && (bestId === undefined || id < bestId)) {
        best = v;
        bestId = id;
      }
    }
    if (best < 0 || bestId === undefined) break;
    const view = views[best] as SessionView;
    ids.push(bestId as BlockId);
    records.push(view.records[cursors[best] as number] as BlockRecord);
    for (let v = 0; v < views.length; v++)
      if ((views[v] as SessionView).ids[cursors[v] as number] === bestId) cursors[v]!++;
  }
  return { ids, records };
}
