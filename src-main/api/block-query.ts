// Block listing for the inspector: a session's blocks filtered by kind and text, paged by cursor.
// The matching ids are computed once per (session, kinds, search) and store change sequence, so
// scrolling through a large session reads only the records of the visible pages.
import { BLOCK_TEXT_LIMIT, PREVIEW_LENGTH, type BlockKind as WireBlockKind, type BlockPage, type BlockSummary } from './contract';
import { decodeUtf8, KIND_SECTION, type BlockKind, type BlockRecord, type Store } from './runtime';

/** A body's text and whether it was binary (then `text` is a placeholder). */
export interface BodyText {
  readonly text: string;
  readonly binary: boolean;
}

const MAX_CACHED_LISTS = 16;
// Lower-cased texts kept for search, by body hash; bounded so a huge store cannot exhaust memory.
const MAX_SEARCH_CACHE_CHARS = 64 * 1024 * 1024;

interface CachedList {
  readonly seq: number;
  readonly ids: readonly string[];
}

/** One line of a text for lists: whitespace collapsed, cut to {@link PREVIEW_LENGTH}. */
export function previewOf(text: string): string {
  const line = text.slice(0, PREVIEW_LENGTH * 4).replace(/\s+/g, ' ').trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

/** Lists and reads blocks of one store for the API handlers. */
export class BlockQuery {
  private readonly lists = new Map<string, CachedList>();
  private readonly bases = new Map<string, { readonly seq: number; readonly entries: readonly { id: string; hash: string }[] }>();
  private readonly searchTexts = new Map<string, string>();
  private searchChars = 0;

  constructor(private readonly store: Store) {}

  /** A body's text, or a placeholder for a binary body (never the raw bytes). */
  body(record: BlockRecord): BodyText {
    const bytes = this.store.getBody(record.hash);
    if (bytes === undefined) return { text: `[missing body ${record.hash.slice(0, 16)}: run llm386 verify]`, binary: true };
    const text = decodeUtf8(bytes);
    if (text === undefined) return { text: this.store.text(record), binary: true };
    return { text, binary: false };
  }

  /** A record as a list row. */
  summary(record: BlockRecord): BlockSummary {
    const { text, binary } = this.body(record);
    return {
      id: record.id,
      kind: record.kind,
      section: KIND_SECTION[record.kind],
      createdAt: record.createdAt,
      size: record.size,
      priority: record.priority,
      sessions: record.sessions,
      labels: record.labels,
      preview: previewOf(text),
      binary,
    };
  }

  /** One page of a session's blocks in id (creation) order. */
  page(input: { session: string; kinds?: readonly WireBlockKind[] | undefined; search?: string | undefined; cursor?: string | undefined; offset?: number | undefined; limit: number }): BlockPage {
    const ids = this.matching(input.session, input.kinds ?? [], (input.search ?? '').trim().toLowerCase());
    const start = input.cursor !== undefined ? firstAfter(ids, input.cursor) : Math.min(input.offset ?? 0, ids.length);
    const window = ids.slice(start, start + input.limit);
    const items: BlockSummary[] = [];
    for (const id of window) {
      const record = this.store.getRecord(id);
      if (record !== undefined) items.push(this.summary(record));
    }
    const last = window[window.length - 1];
    return { offset: start, items, total: ids.length, nextCursor: start + input.limit < ids.length && last !== undefined ? last : null };
  }

  /** The text of a body cut to {@link BLOCK_TEXT_LIMIT}. */
  fullText(record: BlockRecord): BodyText & { truncated: boolean } {
    const body = this.body(record);
    const truncated = body.text.length > BLOCK_TEXT_LIMIT;
    return { ...body, text: truncated ? body.text.slice(0, BLOCK_TEXT_LIMIT) : body.text, truncated };
  }

  private matching(session: string, kinds: readonly BlockKind[], search: string): readonly string[] {
    const seq = this.store.changeSeq();
    const key = JSON.stringify([session, [...kinds].sort(), search]);
    const cached = this.lists.get(key);
    if (cached !== undefined && cached.seq === seq) return cached.ids;
    let ids: string[];
    if (search === '') {
      ids = this.store.listIds(session, kinds.length === 0 ? {} : { kinds });
    } else {
      // One scan of the session's records per store change; each search then only compares texts.
      ids = [];
      for (const { id, hash } of this.entries(session, kinds, seq)) {
        if (this.searchText(hash).includes(search)) ids.push(id);
      }
    }
    remember(this.lists, key, { seq, ids });
    return ids;
  }

  private entries(session: string, kinds: readonly BlockKind[], seq: number): readonly { id: string; hash: string }[] {
    const key = JSON.stringify([session, [...kinds].sort()]);
    const cached = this.bases.get(key);
    if (cached !== undefined && cached.seq === seq) return cached.entries;
    const entries = this.store.list(session, kinds.length === 0 ? {} : { kinds }).map((r) => ({ id: r.id, hash: r.hash }));
    remember(this.bases, key, { seq, entries });
    return entries;
  }

  private searchText(hash: string): string {
    const cached = this.searchTexts.get(hash);
    if (cached !== undefined) return cached;
    const bytes = this.store.getBody(hash);
    const text = bytes === undefined ? undefined : decodeUtf8(bytes);
    const lower = text === undefined ? '' : text.toLowerCase();
    if (this.searchChars + lower.length <= MAX_SEARCH_CACHE_CHARS) {
      this.searchTexts.set(hash, lower);
      this.searchChars += lower.length;
    }
    return lower;
  }
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

/** Index of the first id after `cursor` in a sorted id list. */
function firstAfter(ids: readonly string[], cursor: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] ?? '') <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
