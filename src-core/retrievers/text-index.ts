import type { BlockId } from '../base/index';
import { grow } from './binary';
import type { ScoredId } from './retriever';
import { TERMS, type TermDictionary } from './text-terms';
import { decodeUnit, encodeUnit } from './text-unit-codec';
import { compactState } from './text-unit-compact';
import { mergePieces, pieceOfEncoded, pieceOfState, type Piece } from './text-unit-merge';
import {
  accumulate,
  collect,
  scratchFor,
  type Accumulated,
  type Bm25Weights,
  type Scratch,
} from './text-unit-scoring';
import { encodeRange, sliceState } from './text-unit-slice';
import {
  emptyState,
  localOf,
  MAX_SLOTS,
  MAX_TF,
  remapTerms,
  setLocal,
  type TextUnitState,
} from './text-unit-state';

export type { Accumulated } from './text-unit-scoring';
export type { Piece } from './text-unit-merge';

const EMPTY = new Uint32Array(0);

/**
 * The inverted index of one session's blocks: postings (block slot, term frequency) per term,
 * a forward list of each block's terms (so a removal updates document frequencies exactly), and
 * block lengths. Used by `bm25` and `lexical`.
 *
 * Postings of a term are a typed-array view into the loaded snapshot (`base`, zero-copy) followed
 * by a plain array of postings added since (`tail`): appends cost a push, loads cost no copy.
 * Document frequencies, the live block count and total length are exact at all times, so scores
 * depend only on which blocks are live, never on arrival order or on removed blocks whose
 * postings are still in the lists (they are skipped, and dropped by {@link TextUnit.compact}).
 *
 * The arrays live in one {@link TextUnitState} that the files beside this one read: the codec
 * (`text-unit-codec.ts`), slices (`text-unit-slice.ts`), merges (`text-unit-merge.ts`),
 * compaction (`text-unit-compact.ts`) and scoring (`text-unit-scoring.ts`).
 */
export class TextUnit {
  private s: TextUnitState;
  private scratch: Scratch | undefined;
  private stampNo = 0;
  private readonly distinct: number[] = [];

  /** An empty unit whose terms are numbered in `dictionary` (default {@link TERMS}). */
  constructor(dictionary: TermDictionary = TERMS) {
    this.s = emptyState(dictionary);
  }

  private static of(state: TextUnitState): TextUnit {
    const unit = new TextUnit(state.dictionary);
    unit.s = state;
    return unit;
  }

  /** The dictionary the unit's global term numbers are of. */
  get dictionary(): TermDictionary {
    return this.s.dictionary;
  }

  /** Live blocks. */
  get live(): number {
    return this.s.live;
  }

  /** Sum of live blocks' lengths. */
  get totalLen(): number {
    return this.s.totalLen;
  }

  /** Slots used, live or removed. */
  get slots(): number {
    return this.s.ids.length;
  }

  /** Fraction of slots held by removed blocks. */
  get deadFraction(): number {
    const s = this.s;
    return s.ids.length === 0 ? 0 : 1 - s.live / s.ids.length;
  }

  /** True when the block is indexed here. */
  has(id: string): boolean {
    return this.slotOf().has(id);
  }

  /** Indexes a block's terms (global term numbers in text order, repeats counted); false when already indexed. */
  add(id: string, terms: ArrayLike<number>): boolean {
    const s = this.s;
    const slotOf = this.slotOf();
    if (slotOf.has(id)) return false;
    const slot = s.ids.length;
    if (slot >= MAX_SLOTS) throw new Error(`a session index holds at most ${MAX_SLOTS} blocks`);
    // Count term frequencies with stamped per-term scratch arrays: no allocation per block.
    const stampNo = ++this.stampNo;
    const distinct = this.distinct;
    distinct.length = 0;
    for (let i = 0; i < terms.length; i++) {
      const t = this.termOf(terms[i] as number);
      if (s.stamp[t] !== stampNo) {
        s.stamp[t] = stampNo;
        s.count[t] = 1;
        distinct.push(t);
      } else {
        s.count[t]!++;
      }
    }
    if (slot > 0 && s.slotsInIdOrder) s.slotsInIdOrder = id > this.lastId();
    s.ids.push(id);
    slotOf.set(id, slot);
    s.alive = grow(s.alive, slot + 1, slot);
    s.docLen = grow(s.docLen, slot + 1, slot);
    s.fwdOff = grow(s.fwdOff, slot + 2, slot + 1);
    const start = s.fwdOff[slot] as number;
    s.fwd = grow(s.fwd, start + distinct.length, start);
    s.alive[slot] = 1;
    s.docLen[slot] = distinct.length;
    let k = start;
    for (const t of distinct) {
      s.fwd[k++] = t;
      s.df[t]!++;
      const posting = slot * 256 + Math.min(s.count[t] as number, MAX_TF);
      const tail = s.tail[t];
      if (tail === undefined) s.tail[t] = [posting];
      else tail.push(posting);
    }
    s.fwdOff[slot + 1] = k;
    s.live++;
    s.totalLen += distinct.length;
    return true;
  }

  /** Removes a block; false when it was not indexed. Its postings stay until {@link TextUnit.compact}. */
  remove(id: string): boolean {
    const s = this.s;
    const slotOf = this.slotOf();
    const slot = slotOf.get(id);
    if (slot === undefined) return false;
    slotOf.delete(id);
    s.ids[slot] = '';
    s.alive[slot] = 0;
    const end = s.fwdOff[slot + 1] as number;
    for (let k = s.fwdOff[slot] as number; k < end; k++) s.df[s.fwd[k] as number]!--;
    s.live--;
    s.totalLen -= s.docLen[slot] as number;
    return true;
  }

  /**
   * A read-only view of this unit holding only the blocks `visible` keeps, with document
   * frequencies, block count and total length computed over them: the unit as it was at a
   * replayed call's watermark. Shares the postings; costs one pass over the slots, and a term's
   * document frequency is counted over its postings when first asked.
   */
  snapshot(visible: (id: BlockId) => boolean): TextUnit {
    const s = this.s;
    const view = Object.assign(Object.create(TextUnit.prototype) as TextUnit, this);
    const alive = new Uint8Array(s.alive.length);
    let live = 0;
    let totalLen = 0;
    for (let slot = 0; slot < s.ids.length; slot++) {
      if (s.alive[slot] !== 1 || !visible(s.ids[slot] as BlockId)) continue;
      alive[slot] = 1;
      live++;
      totalLen += s.docLen[slot] as number;
    }
    view.s = {
      ...s,
      alive,
      df: new Uint32Array(s.df.length),
      dfKnown: new Uint8Array(s.df.length),
      live,
      totalLen,
      slotOfMap: undefined,
    };
    view.scratch = undefined;
    return view;
  }

  /** Live document frequency of a (global) term here; 0 when unknown. */
  docFreq(term: number): number {
    const s = this.s;
    const t = localOf(s, term);
    if (t < 0) return 0;
    const known = s.dfKnown;
    if (known !== undefined && known[t] !== 1) {
      // A snapshot counts a term's visible blocks when first asked.
      let n = 0;
      for (const list of [s.base[t] as Uint32Array, s.tail[t]]) {
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) if (s.alive[(list[k] as number) >>> 8] === 1) n++;
      }
      s.df[t] = n;
      known[t] = 1;
    }
    return s.df[t] as number;
  }

  /** Postings stored for a (global) term, removed blocks included: the cost of scanning it. */
  postingCount(term: number): number {
    const t = localOf(this.s, term);
    return t < 0 ? 0 : (this.s.base[t] as Uint32Array).length + (this.s.tail[t]?.length ?? 0);
  }

  /**
   * Rewrites the index without removed blocks and unused terms, in one pass over the postings.
   * Scores do not change (they depend on live blocks only); this reclaims space and scan time.
   */
  compact(): void {
    compactState(this.s);
    this.scratch = undefined;
  }

  /** Live blocks among slots `[lo, hi)`. */
  liveIn(lo: number, hi: number): number {
    let n = 0;
    for (let slot = lo; slot < hi; slot++) if (this.s.alive[slot] === 1) n++;
    return n;
  }

  /** The smallest and largest ids of live blocks among slots `[lo, hi)`; '' when none. */
  idRangeIn(lo: number, hi: number): readonly [min: string, max: string] {
    const s = this.s;
    let min = '';
    let max = '';
    for (let slot = lo; slot < hi; slot++) {
      if (s.alive[slot] !== 1) continue;
      const id = s.ids[slot] as string;
      if (min === '' || id < min) min = id;
      if (id > max) max = id;
    }
    return [min, max];
  }

  /**
   * A new unit holding the blocks of slots `[lo, hi)` (removed ones too, until compacted),
   * renumbered from 0, with its own terms and document frequencies. {@link TextUnit.merge} of
   * consecutive slices gives back a unit that scores exactly as this one. Costs the range's
   * postings, not the whole unit's.
   */
  slice(lo: number, hi: number): TextUnit {
    return TextUnit.of(sliceState(this.s, lo, hi));
  }

  /**
   * Serialises the blocks of slots `[lo, hi)` as {@link TextUnit.slice} holds them (what
   * `slice(lo, hi).encode(header)` gives), without building that unit.
   */
  encodeRange(lo: number, hi: number, header: Record<string, unknown> = {}): Buffer {
    return encodeRange(this.s, lo, hi, header);
  }

  /**
   * One unit holding the blocks of `parts` in order (slots of the first part first): the inverse
   * of {@link TextUnit.slice}. A part is a unit (not changed, not a snapshot) or an encoded one,
   * read in place: merging encoded segments costs one copy of their postings, and no unit each.
   */
  static merge(
    parts: readonly (TextUnit | Uint8Array)[],
    dictionary: TermDictionary = TERMS,
  ): TextUnit {
    const pieces = parts.map((part) =>
      part instanceof TextUnit ? part.piece(dictionary) : pieceOfEncoded(part, dictionary),
    );
    return TextUnit.of(mergePieces(pieces, dictionary));
  }

  /** @internal What {@link TextUnit.merge} reads of this unit. */
  piece(dictionary: TermDictionary): Piece {
    return pieceOfState(this.s, dictionary);
  }

  /** Marks in `keep` (indexed by global term number) every term this unit uses. */
  markTerms(keep: Uint8Array): void {
    for (const g of this.s.globalOf) keep[g] = 1;
  }

  /**
   * Renumbers the unit's terms after its dictionary was compacted (`remap` from
   * `TermDictionary.compact`, which kept every term {@link TextUnit.markTerms} marked). In place,
   * so snapshots taken before stay valid.
   */
  remapTerms(remap: Int32Array): void {
    remapTerms(this.s, remap);
  }

  /** Serialises the index; {@link TextUnit.decode} reads it back identically. */
  encode(header: Record<string, unknown> = {}): Buffer {
    return encodeUnit(this.s, header);
  }

  /** Reads an encoded index, its terms numbered in `dictionary`; postings stay views into one buffer. */
  static decode(
    buffer: Uint8Array,
    dictionary: TermDictionary = TERMS,
  ): { unit: TextUnit; header: Record<string, unknown> } {
    const { state, header } = decodeUnit(buffer, dictionary);
    return { unit: TextUnit.of(state), header };
  }

  /**
   * Scores live blocks for the listed (global) terms: with `bm25` set, the BM25+ sum per block;
   * always the number of matched terms. Accumulators are reused between calls.
   * @internal
   */
  accumulate(
    terms: readonly number[],
    bm25: Bm25Weights | undefined,
    maxCandidates = Number.MAX_SAFE_INTEGER,
  ): Accumulated {
    this.scratch = scratchFor(this.scratch, this.s.ids.length);
    return accumulate(this.s, this.scratch, terms, bm25, maxCandidates);
  }

  /**
   * Takes the best `limit` accumulated blocks, scored `sum * matched` (BM25, as minisearch) or
   * `matched / distinct` (lexical, when `distinct` is given), ties by newer id, and clears the
   * accumulators.
   * @internal
   */
  collect(acc: Accumulated, limit: number, distinct?: number): ScoredId[] {
    return collect(this.s, this.scratch as Scratch, acc, limit, distinct);
  }

  /** The id of the last slot holding one (removed slots keep no id). */
  private lastId(): string {
    const ids = this.s.ids;
    for (let slot = ids.length - 1; slot >= 0; slot--)
      if (ids[slot] !== '') return ids[slot] as string;
    return '';
  }

  private slotOf(): Map<string, number> {
    const s = this.s;
    if (s.slotOfMap === undefined) {
      const map = new Map<string, number>();
      for (let slot = 0; slot < s.ids.length; slot++)
        if (s.alive[slot] === 1) map.set(s.ids[slot] as string, slot);
      s.slotOfMap = map;
    }
    return s.slotOfMap;
  }

  private termOf(term: number): number {
    const s = this.s;
    let t = localOf(s, term);
    if (t < 0) {
      t = s.globalOf.length;
      s.globalOf.push(term);
      setLocal(s, term, t);
      s.df = grow(s.df, t + 1, t);
      s.stamp = grow(s.stamp, t + 1, t);
      s.count = grow(s.count, t + 1, t);
      s.base.push(EMPTY);
      s.tail.push(undefined);
    }
    return t;
  }
}
