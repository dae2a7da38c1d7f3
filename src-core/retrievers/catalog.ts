import type { BlockId } from '../base/index';
import type { BlockRecord, Store } from '../store/index';

/** The blocks of a candidate pool (one or more sessions), oldest first, with their records. */
export interface CatalogPool {
  /** Block ids, ascending (oldest first), without duplicates. */
  readonly ids: readonly BlockId[];
  /** `records[i]` is the record of `ids[i]`. */
  readonly records: readonly BlockRecord[];
  /** True when the block is in the pool. */
  has(id: string): boolean;
}

interface SessionView {
  ids: BlockId[];
  records: BlockRecord[];
  members: Set<string>;
  /** Bumped on every change, so cached pools know they are stale. */
  version: number;
  pool: CatalogPool | undefined;
}

interface CachedPool {
  readonly versions: readonly number[];
  readonly views: readonly SessionView[];
  readonly pool: CatalogPool;
}

const catalogs = new WeakMap<Store, Catalog>();
const MAX_CACHED_POOLS = 64;

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
  private readonly pools = new Map<string, CachedPool>();
  /** Records of blocks outside every loaded session, read on demand and kept fresh by the log. */
  private readonly extra = new Map<string, BlockRecord>();
  /** Counts of full session loads, for tests and diagnostics. */
  readonly stats = { sessionLoads: 0, changesApplied: 0 };

  private constructor(store: Store) {
    this.store = store;
    this.seq = store.changeSeq();
  }

  /** The catalog of a store instance (created on first use). */
  static of(store: Store): Catalog {
    let catalog = catalogs.get(store);
    if (catalog === undefined) {
      catalog = new Catalog(store);
      catalogs.set(store, catalog);
    }
    return catalog;
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
   * The pool of these sessions: ids with aligned records and membership. The same object is
   * returned until one of the sessions changes, so callers may memoise derived data on it.
   */
  pool(sessions: readonly string[]): CatalogPool {
    if (sessions.length === 1) return this.poolOfView(this.view(sessions[0] as string));
    const names = [...new Set(sessions)].sort();
    if (names.length === 1) return this.poolOfView(this.view(names[0] as string));
    const key = names.join('\n');
    const views = names.map((s) => this.view(s));
    const cached = this.pools.get(key);
    if (cached !== undefined && cached.views.every((v, i) => v === views[i] && v.version === cached.versions[i])) return cached.pool;
    const pool = mergeViews(views);
    if (this.pools.size >= MAX_CACHED_POOLS) this.pools.delete(this.pools.keys().next().value as string);
    this.pools.set(key, { views, versions: views.map((v) => v.version), pool });
    return pool;
  }

  /** The record of a block (from a loaded session, or read from the store), or undefined. */
  record(id: string): BlockRecord | undefined {
    for (const view of this.sessions.values()) {
      if (view.members.has(id)) {
        const i = indexOf(view.ids, id);
        if (i >= 0) return view.records[i];
      }
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
      view = { ids: records.map((r) => r.id), records, members: new Set(records.map((r) => r.id)), version: 0, pool: undefined };
      this.sessions.set(session, view);
      this.stats.sessionLoads++;
    }
    return view;
  }

  private poolOfView(view: SessionView): CatalogPool {
    if (view.pool === undefined) {
      const { ids, records, members } = view;
      view.pool = { ids, records, has: (id) => members.has(id) };
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
      let changed = false;
      let unsorted = false;
      if (set !== undefined) {
        for (const id of set) {
          const r = read(id);
          const belongs = r !== undefined && r.sessions.includes(session);
          if (belongs && !view.members.has(id)) {
            const last = view.ids[view.ids.length - 1];
            if (last !== undefined && id < last) unsorted = true;
            view.ids.push(id as BlockId);
            view.records.push(r);
            view.members.add(id);
            changed = true;
          } else if (!belongs && view.members.has(id)) {
            removed.add(id);
            view.members.delete(id);
            changed = true;
          }
        }
      }
      // Records of kept blocks may have changed (another session added, labels merged).
      for (const id of ids) {
        if (!view.members.has(id) || removed.has(id)) continue;
        const r = read(id);
        if (r === undefined) continue;
        const i = indexOf(view.ids, id, unsorted);
        if (i >= 0 && view.records[i] !== r) {
          view.records[i] = r;
          changed = true;
        }
      }
      if (!changed) continue;
      if (removed.size > 0 || unsorted) rebuildView(view, removed, unsorted);
      else {
        // Appends in order keep the arrays; only derived caches go.
        view.version++;
        view.pool = undefined;
      }
    }
  }

  private clear(): void {
    this.sessions.clear();
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
  store.db.meta.resetReadTxn();
}

function rebuildView(view: SessionView, removed: Set<string>, unsorted: boolean): void {
  const order: number[] = [];
  for (let i = 0; i < view.ids.length; i++) if (!removed.has(view.ids[i] as string)) order.push(i);
  if (unsorted) order.sort((a, b) => ((view.ids[a] as string) < (view.ids[b] as string) ? -1 : 1));
  // New arrays: pools handed out earlier stay valid snapshots.
  view.ids = order.map((i) => view.ids[i] as BlockId);
  view.records = order.map((i) => view.records[i] as BlockRecord);
  view.version++;
  view.pool = undefined;
}

function indexOf(ids: readonly string[], id: string, linear = false): number {
  if (linear) return ids.indexOf(id);
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid] as string;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function mergeViews(views: readonly SessionView[]): CatalogPool {
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
    for (let v = 0; v < views.length; v++) if ((views[v] as SessionView).ids[cursors[v] as number] === bestId) cursors[v]!++;
  }
  const memberSets = views.map((v) => v.members);
  return { ids, records, has: (id) => memberSets.some((m) => m.has(id)) };
}
