// A session's index unit split into sealed segments (see IndexFamily): the bookkeeping of which
// slots belong to which segment, and how a save lays a unit out into blobs.

/** Slots per sealed segment: what a bulk writer holds of a session's unit at most. */
export const SEGMENT_SLOTS = 8192;
const COMPACT_AT = 0.25;

/** What a family needs of a per-session index. */
export interface IndexUnit {
  readonly live: number;
  /** Slots used, removed blocks' included until {@link IndexUnit.compact}. */
  readonly slots: number;
  readonly deadFraction: number;
  has(id: string): boolean;
  remove(id: string): boolean;
  /** Drops removed blocks' slots, keeping the others in order. */
  compact(): void;
  /** Serialises slots `[lo, hi)` as a unit of its own (what the family's `slice` then `encode` gives). */
  encodeRange(lo: number, hi: number, header: Record<string, unknown>): Buffer;
  /** Live blocks among slots `[lo, hi)`. */
  liveIn(lo: number, hi: number): number;
  /** The smallest and largest live block ids among slots `[lo, hi)`; '' when none. */
  idRangeIn(lo: number, hi: number): readonly [min: string, max: string];
}

/** A sealed segment of a session's unit, as the session's directory lists it. */
export interface Segment {
  readonly id: number;
  slots: number;
  live: number;
  /** Its smallest live block id (with the others, tells a rewritten blob from the one listed). */
  minId: string;
  /** Its largest live block id: an op on a larger id does not concern it. */
  maxId: string;
  /** The save that wrote it. Its blob's header repeats seq, live and the ids: a mismatch means
   * another process rewrote it since (and its directory is the one to read). */
  seq: number;
  /** Changed since it was written. */
  dirty: boolean;
}

/** A session's unit in memory, with its segment directory. */
export interface Entry<U> {
  /** The slots of the sealed segments from `released` on, then the head's. */
  unit: U;
  sealed: Segment[];
  /** Sealed segments before this index are only in the store (see `IndexFamily.flush`). */
  released: number;
  nextId: number;
  /** Segments whose blobs the next save deletes (emptied, or merged into a neighbour). */
  dropped: number[];
  /** Every op of this session up to here is in the unit. */
  applied: number;
  dirty: boolean;
}

/** Slots of the head (not yet sealed) of a session's unit. */
export function headSlots(entry: Entry<IndexUnit>): number {
  let sealed = 0;
  for (let i = entry.released; i < entry.sealed.length; i++) sealed += entry.sealed[i]?.slots ?? 0;
  return entry.unit.slots - sealed;
}

/** Marks the sealed segments in memory that lost blocks since they were written. */
export function markChanged(entry: Entry<IndexUnit>): void {
  let lo = 0;
  for (let i = entry.released; i < entry.sealed.length; i++) {
    const seg = entry.sealed[i] as Segment;
    if (entry.unit.liveIn(lo, lo + seg.slots) !== seg.live) seg.dirty = true;
    lo += seg.slots;
  }
}

/** True when a segment blob's header is the one a directory entry lists (see {@link Segment.seq}). */
export function isListed(seg: Segment, header: Record<string, unknown>): boolean {
  return (
    header.segment === seg.id &&
    header.seq === seg.seq &&
    header.minId === seg.minId &&
    header.maxId === seg.maxId &&
    header.slots === seg.slots &&
    header.live === seg.live
  );
}

/** The largest block id in the released segments ('' when none is released). */
export function releasedMaxId(entry: Entry<IndexUnit>): string {
  let max = '';
  for (let i = 0; i < entry.released; i++) {
    const id = entry.sealed[i]?.maxId ?? '';
    if (id > max) max = id;
  }
  return max;
}

/**
 * Lays a session's unit out for a save of write sequence `seq`: compacts when a quarter of the
 * slots in memory are removed blocks, drops emptied segments, merges neighbours that fit in one,
 * seals full segments off the head. Returns the segment blobs to write (those that changed) or
 * delete (undefined), and the head blob listing the segments (undefined: the session is empty).
 * Released segments never change here: an op on one of their blocks reads them back first.
 */
export function layOut<U extends IndexUnit>(
  entry: Entry<U>,
  segmentSlots: number,
  seq: number,
): { segments: [number, Buffer | undefined][]; head: Buffer | undefined } {
  const unit = entry.unit;
  const inMemory = entry.sealed.slice(entry.released);
  let lo = 0;
  for (const seg of inMemory) {
    const live = unit.liveIn(lo, lo + seg.slots);
    if (live !== seg.live) seg.dirty = true;
    seg.live = live;
    lo += seg.slots;
  }
  if (unit.deadFraction > COMPACT_AT) {
    // Compaction keeps live blocks in order: each segment shrinks to its live blocks.
    for (const seg of inMemory) {
      if (seg.slots !== seg.live) seg.dirty = true;
      seg.slots = seg.live;
    }
    unit.compact();
  }
  const kept: Segment[] = [];
  for (const seg of inMemory) {
    const previous = kept[kept.length - 1];
    if (seg.slots === 0) entry.dropped.push(seg.id);
    else if (previous !== undefined && previous.slots + seg.slots <= segmentSlots) {
      previous.slots += seg.slots;
      previous.dirty = true;
      entry.dropped.push(seg.id);
    } else kept.push(seg);
  }
  entry.sealed = [...entry.sealed.slice(0, entry.released), ...kept];
  let headStart = kept.reduce((n, seg) => n + seg.slots, 0);
  while (unit.slots - headStart >= segmentSlots) {
    entry.sealed.push({
      id: entry.nextId++,
      slots: segmentSlots,
      live: 0,
      minId: '',
      maxId: '',
      seq,
      dirty: true,
    });
    headStart += segmentSlots;
  }
  const segments: [number, Buffer | undefined][] = [];
  lo = 0;
  for (const seg of entry.sealed.slice(entry.released)) {
    const hi = lo + seg.slots;
    if (seg.dirty) {
      seg.live = unit.liveIn(lo, hi);
      [seg.minId, seg.maxId] = unit.idRangeIn(lo, hi);
      seg.seq = seq;
      const { minId, maxId } = seg;
      segments.push([seg.id, unit.encodeRange(lo, hi, { seq, segment: seg.id, minId, maxId })]);
    }
    lo = hi;
  }
  for (const id of entry.dropped) segments.push([id, undefined]);
  if (entry.sealed.length === 0 && unit.live === 0) return { segments, head: undefined };
  const directory = entry.sealed.map(({ id, slots, live, minId, maxId, seq: at }) => ({
    id,
    slots,
    live,
    minId,
    maxId,
    seq: at,
  }));
  return {
    segments,
    head: unit.encodeRange(lo, unit.slots, { seq, segments: directory, next: entry.nextId }),
  };
}

/** The sealed segments a head blob's header lists; undefined when malformed. */
export function segmentsOf(header: Record<string, unknown>): Segment[] | undefined {
  const list = header.segments ?? [];
  if (!Array.isArray(list)) return undefined;
  const out: Segment[] = [];
  for (const item of list as unknown[]) {
    const s = item as Partial<Record<keyof Segment, unknown>> | null;
    if (
      typeof s?.id !== 'number' ||
      typeof s.slots !== 'number' ||
      typeof s.live !== 'number' ||
      typeof s.minId !== 'string' ||
      typeof s.maxId !== 'string' ||
      typeof s.seq !== 'number'
    )
      return undefined;
    out.push({
      id: s.id,
      slots: s.slots,
      live: s.live,
      minId: s.minId,
      maxId: s.maxId,
      seq: s.seq,
      dirty: false,
    });
  }
  return out;
}
