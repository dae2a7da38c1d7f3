// Block listing for the inspector: a session's blocks filtered by kind, section, label, time and
// text, paged by cursor or offset. The matching ids are computed once per filter and store change
// sequence, so scrolling through a large session reads only the records of the visible pages.
import {
  BLOCK_TEXT_LIMIT,
  PREVIEW_LENGTH,
  type BlockKind as WireBlockKind,
  type BlockPage,
  type BlockSummary,
  type Section as WireSection,
} from '../contract';
import {
  BLOCK_KINDS,
  decodeUtf8,
  KIND_SECTION,
  type BlockKind,
  type BlockRecord,
  type Store,
} from '../../runtime';

/** A block's preview line (at most {@link PREVIEW_LENGTH} characters), creation time and priority. */
export interface BlockPreview {
  readonly preview: string;
  readonly createdAt: number;
  readonly priority: number;
}

/** A body's text and whether it was binary (then `text` is a placeholder). */
export interface BodyText {
  readonly text: string;
  readonly binary: boolean;
}

const MAX_CACHED_LISTS = 16;
// Preview lines by block id (a block's body never changes); cleared when full.
const MAX_CACHED_PREVIEWS = 100_000;
// Lower-cased texts kept for search, by body hash; bounded so a huge store cannot exhaust memory.
const MAX_SEARCH_CACHE_CHARS = 64 * 1024 * 1024;

/** What `blocks.list` filters by; every filter given must hold. */
export interface BlockFilters {
  readonly kinds?: readonly WireBlockKind[] | undefined;
  readonly sections?: readonly WireSection[] | undefined;
  readonly label?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly search?: string | undefined;
}

/** The per-block fields the label and time filters look at, from one scan of a session. */
interface Entry {
  readonly id: string;
  readonly hash: string;
  readonly labels: readonly string[];
  readonly createdAt: number;
}

interface CachedList {
  readonly seq: number;
  readonly ids: readonly string[];
}

/** One line of a text for lists: whitespace collapsed, cut to {@link PREVIEW_LENGTH}. */
export function previewOf(text: string): string {
  const line = text
    .slice(0, PREVIEW_LENGTH * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > PREVIEW_LENGTH ? `${line.slice(0, PREVIEW_LENGTH - 1)}…` : line;
}

/** Lists and reads blocks of one store for the API handlers. */
export class BlockQuery {
  private readonly lists = new Map<string, CachedList>();
  private readonly bases = new Map<
    string,
    { readonly seq: number; readonly entries: readonly Entry[] }
  >();
  private readonly searchTexts = new Map<string, string>();
  private searchChars = 0;
  private readonly previews = new Map<string, BlockPreview>();

  constructor(private readonly store: Store) {}

  /**
   * A block's preview line, creation time and priority, or undefined when it no longer exists. Cached by id:
   * a repeated what-if or turn names the same thousand blocks again, and then only their existence
   * is read (no record decode). Only the start of a body is decoded: a document chunk is kilobytes,
   * a preview {@link PREVIEW_LENGTH} characters.
   */
  blockPreview(id: string): BlockPreview | undefined {
    const cached = this.previews.get(id);
    if (cached !== undefined) return this.store.hasBlock(id) ? cached : undefined;
    const record = this.store.getRecord(id);
    if (record === undefined) return undefined;
    const bytes = this.store.getBody(record.hash);
    const head = PREVIEW_LENGTH * 4;
    let text: string | undefined;
    if (bytes !== undefined && bytes.length > head) {
      // A cut can split a UTF-8 sequence (at most 3 bytes of it): step back until it decodes.
      for (let end = head; end > head - 4 && text === undefined; end--)
        text = decodeUtf8(bytes.subarray(0, end));
    }
    const preview: BlockPreview = {
      preview: previewOf(text ?? this.body(record).text),
      createdAt: record.createdAt,
      priority: record.priority,
    };
    if (this.previews.size >= MAX_CACHED_PREVIEWS) this.previews.clear();
    this.previews.set(id, preview);
    return preview;
  }

  /** A body's text, or a placeholder for a binary body (never the raw bytes). */
  body(record: BlockRecord): BodyText {
    const bytes = this.store.getBody(record.hash);
    if (bytes === undefined)
      return {
        text: `[missing body ${record.hash.slice(0, 16)}: run llm386 verify]`,
        binary: true,
      };
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
  page(
    input: BlockFilters & {
      session: string;
      cursor?: string | undefined;
      offset?: number | undefined;
      limit: number;
    },
  ): BlockPage {
    let start: number;
    let window: readonly string[];
    let total: number;
    if (this.isFirstUnlistedPage(input)) {
      // A range read of just these ids and the session's kept count, instead of listing all of it
      // (at 100k blocks the full list is 90-170 ms on a cold process, the whole wait of the
      // inspector's first screen). Later pages list the session once, as before.
      start = 0;
      window = this.store.listIds(input.session, { limit: input.limit });
      total = this.store.sessionSize(input.session);
    } else {
      const ids = this.matching(input.session, input);
      start =
        input.cursor !== undefined
          ? firstAfter(ids, input.cursor)
          : Math.min(input.offset ?? 0, ids.length);
      window = ids.slice(start, start + input.limit);
      total = ids.length;
    }
    const items: BlockSummary[] = [];
    for (const id of window) {
      const record = this.store.getRecord(id);
      if (record !== undefined) items.push(this.summary(record));
    }
    const last = window[window.length - 1];
    return {
      offset: start,
      items,
      total,
      nextCursor: start + input.limit < total && last !== undefined ? last : null,
    };
  }

  /** The first page of an unfiltered session whose id list is not cached (as of this store change). */
  private isFirstUnlistedPage(
    input: BlockFilters & {
      session: string;
      cursor?: string | undefined;
      offset?: number | undefined;
    },
  ): boolean {
    if (input.cursor !== undefined || (input.offset ?? 0) !== 0 || kindsOf(input) !== undefined)
      return false;
    if (
      (input.search ?? '').trim() !== '' ||
      input.label !== undefined ||
      input.from !== undefined ||
      input.to !== undefined
    )
      return false;
    return (
      this.lists.get(listKey(input.session, undefined, '', input))?.seq !== this.store.changeSeq()
    );
  }

  /** Ids of a session's blocks matching the filters, in id order (cached per filter and store change). */
  matchingIds(session: string, filters: BlockFilters): readonly string[] {
    return this.matching(session, filters);
  }

  /** The text of a body cut to {@link BLOCK_TEXT_LIMIT}. */
  fullText(record: BlockRecord): BodyText & { truncated: boolean } {
    const body = this.body(record);
    const truncated = body.text.length > BLOCK_TEXT_LIMIT;
    return {
      ...body,
      text: truncated ? body.text.slice(0, BLOCK_TEXT_LIMIT) : body.text,
      truncated,
    };
  }

  private matching(session: string, filters: BlockFilters): readonly string[] {
    const kinds = kindsOf(filters);
    const search = (filters.search ?? '').trim().toLowerCase();
    const { label, from, to } = filters;
    const seq = this.store.changeSeq();
    const key = listKey(session, kinds, search, filters);
    const cached = this.lists.get(key);
    if (cached !== undefined && cached.seq === seq) return cached.ids;
    let ids: string[];
    if (kinds !== undefined && kinds.length === 0) {
      ids = []; // the sections asked for hold no kind of block (the task section)
    } else if (search === '' && label === undefined && from === undefined && to === undefined) {
      ids = this.store.listIds(session, kinds === undefined ? {} : { kinds });
    } else {
      // One scan of the session's records per store change; each filter then only compares fields.
      ids = [];
      for (const entry of this.entries(session, kinds ?? [], seq)) {
        if (label !== undefined && !entry.labels.includes(label)) continue;
        if (from !== undefined && entry.createdAt < from) continue;
        if (to !== undefined && entry.createdAt > to) continue;
        if (search !== '' && !this.searchText(entry.hash).includes(search)) continue;
        ids.push(entry.id);
      }
    }
    remember(this.lists, key, { seq, ids });
    return ids;
  }

  private entries(session: string, kinds: readonly BlockKind[], seq: number): readonly Entry[] {
    const key = JSON.stringify([session, [...kinds].sort()]);
    const cached = this.bases.get(key);
    if (cached !== undefined && cached.seq === seq) return cached.entries;
    const entries = this.store
      .list(session, kinds.length === 0 ? {} : { kinds })
      .map((r) => ({ id: r.id, hash: r.hash, labels: r.labels, createdAt: r.createdAt }));
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

/**
 * The kinds a filter allows: undefined for any kind, else the kinds asked for that also render in
 * one of the sections asked for (an empty list when none can match).
 */
function kindsOf(filters: BlockFilters): readonly BlockKind[] | undefined {
  const kinds = filters.kinds !== undefined && filters.kinds.length > 0 ? filters.kinds : undefined;
  const sections =
    filters.sections !== undefined && filters.sections.length > 0 ? filters.sections : undefined;
  if (sections === undefined) return kinds;
  return (kinds ?? BLOCK_KINDS).filter((kind) => sections.includes(KIND_SECTION[kind]));
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

/** The cache key of a filtered id list. */
function listKey(
  session: string,
  kinds: readonly BlockKind[] | undefined,
  search: string,
  { label, from, to }: BlockFilters,
): string {
  return JSON.stringify([
    session,
    kinds === undefined ? null : [...kinds].sort(),
    search,
    label ?? null,
    from ?? null,
    to ?? null,
  ]);
}
