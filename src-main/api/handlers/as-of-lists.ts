// A session's block ids as a recorded turn saw them, for paging through 100k-block sessions: the
// list is filtered once per (session, watermark) and kept while later writes only add blocks
// (those joined after the watermark, so they never enter it). A delete, a removal from a session
// or a repair's reset can take a block out of it: then it is filtered again.
import type { BlockFilters, BlockQuery } from './block-query';
import { sessionBlocksAt, type AsOf, type Store } from '../../runtime';

const MAX_CACHED_LISTS = 16;
/** Past this many later writes, filtering again is cheaper than reading the change log. */
const MAX_LOG_CHECK = 20_000;

interface Cached {
  /** The store change the list is known to hold for. */
  checked: number;
  readonly ids: readonly string[];
  set?: ReadonlySet<string>;
}

/** The as-of id lists of one open store. */
export class AsOfLists {
  private readonly lists = new Map<string, Cached>();
  private readonly filtered = new Map<
    string,
    { readonly seq: number; readonly ids: readonly string[] }
  >();

  constructor(
    private readonly store: Store,
    private readonly blocks: BlockQuery,
  ) {}

  /** A session's block ids at `at`, oldest first. */
  ids(session: string, at: AsOf): readonly string[] {
    return this.entry(session, at).ids;
  }

  /**
   * A session's block ids at `at` that match `filters` (as `blocks.list` reads them: kind, section,
   * label, time, text), oldest first.
   */
  matching(session: string, at: AsOf, filters: BlockFilters): readonly string[] {
    if (!hasFilters(filters)) return this.ids(session, at);
    const entry = this.entry(session, at);
    const seq = this.store.changeSeq();
    const key = JSON.stringify([
      session,
      at.seq,
      at.id ?? null,
      filters.kinds ?? null,
      filters.sections ?? null,
      filters.label ?? null,
      filters.from ?? null,
      filters.to ?? null,
      filters.search ?? null,
    ]);
    const cached = this.filtered.get(key);
    if (cached !== undefined && cached.seq === seq) return cached.ids;
    const then = (entry.set ??= new Set(entry.ids));
    const ids = this.blocks.matchingIds(session, filters).filter((id) => then.has(id));
    remember(this.filtered, key, { seq, ids });
    return ids;
  }

  private entry(session: string, at: AsOf): Cached {
    const key = JSON.stringify([session, at.seq, at.id ?? null]);
    const now = this.store.changeSeq();
    const cached = this.lists.get(key);
    if (cached !== undefined && (cached.checked === now || this.onlyAdded(cached.checked, now))) {
      cached.checked = now;
      return cached;
    }
    const fresh: Cached = {
      checked: now,
      ids: sessionBlocksAt(this.store, session, at).map((r) => r.id),
    };
    remember(this.lists, key, fresh);
    return fresh;
  }

  /** True when every write after `from` up to `to` only added (blocks, edges, labels, calls). */
  private onlyAdded(from: number, to: number): boolean {
    if (to < from || to - from > MAX_LOG_CHECK) return false;
    return this.store
      .changesSince(from, to - from)
      .every((c) => c.op !== 'remove' && c.op !== 'delete' && c.op !== 'reset');
  }
}

function hasFilters(f: BlockFilters): boolean {
  return (
    (f.kinds?.length ?? 0) > 0 ||
    (f.sections?.length ?? 0) > 0 ||
    f.label !== undefined ||
    f.from !== undefined ||
    f.to !== undefined ||
    (f.search ?? '').trim() !== ''
  );
}

/** Puts an entry last in a small map used as an LRU cache, dropping the oldest beyond the limit. */
function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > MAX_CACHED_LISTS) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}
