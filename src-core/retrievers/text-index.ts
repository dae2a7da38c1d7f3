// One class past the house style's 600 lines: indexing, search, segments (slice, merge) and the
// codec all read the same private typed arrays (postings, forward lists, slots); splitting it
// would make them public to the module.
import { assert, type BlockId } from '../base/index';
import { asUint32, grow, packIds, packSections, unpackIds, unpackSections } from './binary';
import { compareScored, kthLargest } from './rank';
import type { ScoredId } from './retriever';
import { TERMS, type TermDictionary } from './text-terms';

const FORMAT = 'llm386-text-index';
// 2: terms are Porter stems (TERMS_VERSION 2); older snapshots are rebuilt from the tables.
// 3: a session's index may be split into segments (see IndexFamily): the blob under the session's
// key lists them. Layout as 2, which is still read (one segment); older readers rebuild from 3.
const VERSION = 3;
const READS = [2, 3];
/** Term frequencies are capped at 255 (BM25 has long saturated by then). */
const MAX_TF = 255;
/** A posting is `slot * 256 + tf` in one uint32 (a small integer in JS arrays). */
const MAX_SLOTS = 2 ** 23;
/** Units with more terms than this map global term numbers with a dense array instead of a Map. */
const DENSE_AT = 4096;
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
 */
export class TextUnit {
  /** The dictionary the unit's global term numbers are of. */
  readonly dictionary: TermDictionary;
  /** Slot -> block id; '' for a removed block. */
  private ids: string[] = [];
  private slotOfMap: Map<string, number> | undefined = new Map();
  private alive = new Uint8Array(16);
  /** Distinct terms per block: minisearch's field length. */
  private docLen = new Uint32Array(16);
  private fwdOff = new Uint32Array(17);
  private fwd = new Uint32Array(64);
  /** Global term number (in `dictionary`) -> local term number: a Map while small, then a dense array. */
  private localMap: Map<number, number> | undefined = new Map();
  private localDense: Int32Array | undefined;
  private globalOf: number[] = [];
  private df = new Uint32Array(16);
  /** On a {@link TextUnit.snapshot}: which terms' `df` has been counted yet. */
  private dfKnown: Uint8Array | undefined;
  private base: Uint32Array[] = [];
  private tail: (number[] | undefined)[] = [];
  /** Live blocks. */
  live = 0;
  /** Sum of live blocks' lengths. */
  totalLen = 0;
  private scratch:
    | {
        scores: Float64Array;
        matched: Uint8Array;
        touched: Int32Array;
        values: Float64Array;
        select: Float64Array;
      }
    | undefined;
  private stamp = new Uint32Array(16);
  private count = new Uint32Array(16);
  private stampNo = 0;
  private readonly distinct: number[] = [];
  /** True while every slot's id is larger than the previous slot's (ids arrived in order). */
  private slotsInIdOrder = true;

  /** An empty unit whose terms are numbered in `dictionary` (default {@link TERMS}). */
  constructor(dictionary: TermDictionary = TERMS) {
    this.dictionary = dictionary;
  }

  /** Slots used, live or removed. */
  get slots(): number {
    return this.ids.length;
  }

  /** Fraction of slots held by removed blocks. */
  get deadFraction(): number {
    return this.ids.length === 0 ? 0 : 1 - this.live / this.ids.length;
  }

  /** True when the block is indexed here. */
  has(id: string): boolean {
    return this.slotOf().has(id);
  }

  /** Indexes a block's terms (global term numbers in text order, repeats counted); false when already indexed. */
  add(id: string, terms: ArrayLike<number>): boolean {
    const slotOf = this.slotOf();
    if (slotOf.has(id)) return false;
    const slot = this.ids.length;
    if (slot >= MAX_SLOTS) throw new Error(`a session index holds at most ${MAX_SLOTS} blocks`);
    // Count term frequencies with stamped per-term scratch arrays: no allocation per block.
    const stampNo = ++this.stampNo;
    const distinct = this.distinct;
    distinct.length = 0;
    for (let i = 0; i < terms.length; i++) {
      const t = this.termOf(terms[i] as number);
      if (this.stamp[t] !== stampNo) {
        this.stamp[t] = stampNo;
        this.count[t] = 1;
        distinct.push(t);
      } else {
        this.count[t]!++;
      }
    }
    if (slot > 0 && this.slotsInIdOrder) this.slotsInIdOrder = id > this.lastId();
    this.ids.push(id);
    slotOf.set(id, slot);
    this.alive = grow(this.alive, slot + 1, slot);
    this.docLen = grow(this.docLen, slot + 1, slot);
    this.fwdOff = grow(this.fwdOff, slot + 2, slot + 1);
    const start = this.fwdOff[slot] as number;
    this.fwd = grow(this.fwd, start + distinct.length, start);
    this.alive[slot] = 1;
    this.docLen[slot] = distinct.length;
    let k = start;
    for (const t of distinct) {
      this.fwd[k++] = t;
      this.df[t]!++;
      const posting = slot * 256 + Math.min(this.count[t] as number, MAX_TF);
      const tail = this.tail[t];
      if (tail === undefined) this.tail[t] = [posting];
      else tail.push(posting);
    }
    this.fwdOff[slot + 1] = k;
    this.live++;
    this.totalLen += distinct.length;
    return true;
  }

  /** Removes a block; false when it was not indexed. Its postings stay until {@link TextUnit.compact}. */
  remove(id: string): boolean {
    const slotOf = this.slotOf();
    const slot = slotOf.get(id);
    if (slot === undefined) return false;
    slotOf.delete(id);
    this.ids[slot] = '';
    this.alive[slot] = 0;
    const end = this.fwdOff[slot + 1] as number;
    for (let k = this.fwdOff[slot] as number; k < end; k++) this.df[this.fwd[k] as number]!--;
    this.live--;
    this.totalLen -= this.docLen[slot] as number;
    return true;
  }

  /**
   * A read-only view of this unit holding only the blocks `visible` keeps, with document
   * frequencies, block count and total length computed over them: the unit as it was at a
   * replayed call's watermark. Shares the postings; costs one pass over the slots, and a term's
   * document frequency is counted over its postings when first asked.
   */
  snapshot(visible: (id: BlockId) => boolean): TextUnit {
    const view = Object.assign(Object.create(TextUnit.prototype) as TextUnit, this);
    const alive = new Uint8Array(this.alive.length);
    let live = 0;
    let totalLen = 0;
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (this.alive[slot] !== 1 || !visible(this.ids[slot] as BlockId)) continue;
      alive[slot] = 1;
      live++;
      totalLen += this.docLen[slot] as number;
    }
    view.alive = alive;
    view.df = new Uint32Array(this.df.length);
    view.dfKnown = new Uint8Array(this.df.length);
    view.live = live;
    view.totalLen = totalLen;
    view.slotOfMap = undefined;
    view.scratch = undefined;
    return view;
  }

  /** Live document frequency of a (global) term here; 0 when unknown. */
  docFreq(term: number): number {
    const t = this.localOf(term);
    if (t < 0) return 0;
    const known = this.dfKnown;
    if (known !== undefined && known[t] !== 1) {
      // A snapshot counts a term's visible blocks when first asked.
      let n = 0;
      for (const list of [this.base[t] as Uint32Array, this.tail[t]]) {
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) if (this.alive[(list[k] as number) >>> 8] === 1) n++;
      }
      this.df[t] = n;
      known[t] = 1;
    }
    return this.df[t] as number;
  }

  /** Postings stored for a (global) term, removed blocks included: the cost of scanning it. */
  postingCount(term: number): number {
    const t = this.localOf(term);
    return t < 0 ? 0 : (this.base[t] as Uint32Array).length + (this.tail[t]?.length ?? 0);
  }

  /**
   * Rewrites the index without removed blocks and unused terms, in one pass over the postings.
   * Scores do not change (they depend on live blocks only); this reclaims space and scan time.
   */
  compact(): void {
    const oldSlots = this.ids.length;
    const remap = new Int32Array(oldSlots).fill(-1);
    const ids: string[] = [];
    for (let slot = 0; slot < oldSlots; slot++) {
      if (this.alive[slot] !== 1) continue;
      remap[slot] = ids.length;
      ids.push(this.ids[slot] as string);
    }
    const oldTerms = this.globalOf.length;
    const termRemap = new Int32Array(oldTerms).fill(-1);
    const globalOf: number[] = [];
    const df: number[] = [];
    const base: Uint32Array[] = [];
    for (let t = 0; t < oldTerms; t++) {
      const n = this.df[t] as number;
      if (n === 0) continue;
      termRemap[t] = globalOf.length;
      globalOf.push(this.globalOf[t] as number);
      df.push(n);
      // Every live block has exactly one posting per distinct term: `n` live postings, in slot order.
      const list = new Uint32Array(n);
      let k = 0;
      const copy = (p: number) => {
        const to = remap[p >>> 8] as number;
        if (to >= 0) list[k++] = to * 256 + (p & 0xff);
      };
      for (const p of this.base[t] as Uint32Array) copy(p);
      for (const p of this.tail[t] ?? []) copy(p);
      base.push(list);
    }
    const live = ids.length;
    const alive = new Uint8Array(live + 16).fill(1, 0, live);
    const docLen = new Uint32Array(live + 16);
    const fwdOff = new Uint32Array(live + 17);
    const fwd = new Uint32Array(Math.max(64, (this.fwdOff[oldSlots] as number) + 16));
    let k = 0;
    for (let slot = 0; slot < oldSlots; slot++) {
      const to = remap[slot] as number;
      if (to < 0) continue;
      docLen[to] = this.docLen[slot] as number;
      const end = this.fwdOff[slot + 1] as number;
      for (let i = this.fwdOff[slot] as number; i < end; i++)
        fwd[k++] = termRemap[this.fwd[i] as number] as number;
      fwdOff[to + 1] = k;
    }
    this.ids = ids;
    this.slotOfMap = undefined;
    this.alive = alive;
    this.docLen = docLen;
    this.fwdOff = fwdOff;
    this.fwd = fwd;
    this.globalOf = [];
    this.localMap = new Map();
    this.localDense = undefined;
    for (let t = 0; t < globalOf.length; t++) {
      this.globalOf.push(globalOf[t] as number);
      this.setLocal(globalOf[t] as number, t);
    }
    this.df = Uint32Array.from(df);
    this.base = base;
    this.tail = new Array<number[] | undefined>(base.length).fill(undefined);
    this.stamp = new Uint32Array(base.length + 16);
    this.count = new Uint32Array(base.length + 16);
    this.scratch = undefined;
  }

  /** Live blocks among slots `[lo, hi)`. */
  liveIn(lo: number, hi: number): number {
    let n = 0;
    for (let slot = lo; slot < hi; slot++) if (this.alive[slot] === 1) n++;
    return n;
  }

  /** The smallest and largest ids of live blocks among slots `[lo, hi)`; '' when none. */
  idRangeIn(lo: number, hi: number): readonly [min: string, max: string] {
    let min = '';
    let max = '';
    for (let slot = lo; slot < hi; slot++) {
      if (this.alive[slot] !== 1) continue;
      const id = this.ids[slot] as string;
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
    const cut = this.cut(lo, hi);
    const out = new TextUnit(this.dictionary);
    const terms = cut.used.length;
    out.ids = cut.ids;
    out.slotOfMap = undefined;
    out.alive = cut.alive;
    out.docLen = cut.docLen;
    out.fwdOff = cut.fwdOff;
    out.fwd = cut.fwd;
    out.df = cut.df;
    out.live = cut.live;
    out.totalLen = cut.totalLen;
    out.base = new Array<Uint32Array>(terms);
    for (let u = 0; u < terms; u++)
      out.base[u] = cut.postings.subarray(cut.postOff[u] as number, cut.postOff[u + 1] as number);
    out.tail = new Array<number[] | undefined>(terms).fill(undefined);
    for (let u = 0; u < terms; u++) {
      out.globalOf.push(this.globalOf[cut.used[u] as number] as number);
      out.setLocal(out.globalOf[u] as number, u);
    }
    out.stamp = new Uint32Array(terms + 16);
    out.count = new Uint32Array(terms + 16);
    out.slotsInIdOrder = idsInOrder(out.ids);
    return out;
  }

  /**
   * Serialises the blocks of slots `[lo, hi)` as {@link TextUnit.slice} holds them (what
   * `slice(lo, hi).encode(header)` gives), without building that unit.
   */
  encodeRange(lo: number, hi: number, header: Record<string, unknown> = {}): Buffer {
    if (lo === 0 && hi === this.ids.length) return this.encode(header);
    const cut = this.cut(lo, hi);
    return packSections(
      {
        ...header,
        format: FORMAT,
        version: VERSION,
        slots: hi - lo,
        terms: cut.used.length,
        live: cut.live,
        totalLen: cut.totalLen,
        inOrder: idsInOrder(cut.ids),
      },
      [
        packIds(cut.ids),
        cut.alive,
        cut.docLen,
        cut.fwdOff,
        cut.fwd,
        this.termBytes(cut.used.map((t) => this.globalOf[t] as number)),
        cut.df,
        cut.postOff,
        cut.postings,
      ],
    );
  }

  /**
   * The arrays of slots `[lo, hi)` renumbered from 0, with the range's own terms (`used`: this
   * unit's local numbers, by first use) and document frequencies. Each (slot, term) pair of the
   * forward lists is exactly one posting, so the forward lists give every count.
   */
  private cut(lo: number, hi: number) {
    const n = hi - lo;
    const first = this.fwdOff[lo] as number;
    const postings = (this.fwdOff[hi] as number) - first;
    const alive = this.alive.slice(lo, hi);
    const docLen = this.docLen.slice(lo, hi);
    const fwdOff = new Uint32Array(n + 1);
    const fwd = new Uint32Array(postings);
    const local = new Int32Array(this.globalOf.length).fill(-1);
    const used: number[] = [];
    const sizes: number[] = [];
    for (let k = 0; k < postings; k++) {
      const t = this.fwd[first + k] as number;
      let u = local[t] as number;
      if (u < 0) {
        u = local[t] = used.length;
        used.push(t);
        sizes.push(0);
      }
      fwd[k] = u;
      sizes[u]!++;
    }
    for (let slot = lo; slot < hi; slot++)
      fwdOff[slot - lo + 1] = (this.fwdOff[slot + 1] as number) - first;
    const df = new Uint32Array(used.length);
    let live = 0;
    let totalLen = 0;
    for (let slot = 0; slot < n; slot++) {
      if (alive[slot] !== 1) continue;
      live++;
      totalLen += docLen[slot] as number;
      for (let k = fwdOff[slot] as number; k < (fwdOff[slot + 1] as number); k++)
        df[fwd[k] as number]!++;
    }
    const postOff = new Uint32Array(used.length + 1);
    const all = new Uint32Array(postings);
    let at = 0;
    for (let u = 0; u < used.length; u++) {
      const t = used[u] as number;
      for (const list of [this.base[t] as Uint32Array, this.tail[t]]) {
        if (list === undefined) continue;
        // Postings are in slot order: the range's are one run.
        for (let k = lowerBound(list, lo * 256); k < list.length; k++) {
          const p = list[k] as number;
          if (p >>> 8 >= hi) break;
          all[at++] = p - lo * 256;
        }
      }
      postOff[u + 1] = at;
      assert(
        at - (postOff[u] as number) === sizes[u],
        'a slice finds one posting per forward entry',
      );
    }
    return {
      ids: this.ids.slice(lo, hi),
      alive,
      docLen,
      fwdOff,
      fwd,
      used,
      df,
      postOff,
      postings: all,
      live,
      totalLen,
    };
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
    const pieces = parts.map((part) => pieceOf(part, dictionary));
    const out = new TextUnit(dictionary);
    let slots = 0;
    let postings = 0;
    for (const piece of pieces) {
      slots += piece.ids.length;
      postings += piece.fwdOff[piece.ids.length] as number;
    }
    out.ids = new Array<string>(slots);
    out.slotOfMap = undefined;
    out.alive = new Uint8Array(slots + 16);
    out.docLen = new Uint32Array(slots + 16);
    out.fwdOff = new Uint32Array(slots + 17);
    out.fwd = new Uint32Array(postings + 16);
    // Merged term numbers: each part's local terms mapped through their global numbers.
    const remaps = pieces.map((piece) => {
      const remap = new Int32Array(piece.globalOf.length);
      for (let t = 0; t < piece.globalOf.length; t++) {
        const g = piece.globalOf[t] as number;
        let u = out.localOf(g);
        if (u < 0) {
          u = out.globalOf.length;
          out.globalOf.push(g);
          out.setLocal(g, u);
        }
        remap[t] = u;
      }
      return remap;
    });
    const terms = out.globalOf.length;
    const offsets = new Uint32Array(terms + 1);
    out.df = new Uint32Array(terms + 16);
    pieces.forEach((piece, i) => {
      const remap = remaps[i] as Int32Array;
      for (let t = 0; t < piece.globalOf.length; t++) {
        const u = remap[t] as number;
        offsets[u + 1]! += piece.postingCount(t);
        out.df[u]! += piece.df[t] as number;
      }
    });
    for (let u = 0; u < terms; u++) offsets[u + 1]! += offsets[u] as number;
    const all = new Uint32Array(postings);
    const fill = offsets.slice(0, terms);
    const { ids, alive, docLen, fwdOff, fwd } = out;
    let slot = 0;
    let k = 0;
    pieces.forEach((piece, i) => {
      const remap = remaps[i] as Int32Array;
      for (let t = 0; t < piece.globalOf.length; t++) {
        const u = remap[t] as number;
        fill[u] = piece.copyPostings(t, all, fill[u] as number, slot * 256);
      }
      const n = piece.ids.length;
      const from = piece.fwdOff[0] as number;
      const to = piece.fwdOff[n] as number;
      for (let j = from; j < to; j++) fwd[k + j - from] = remap[piece.fwd[j] as number] as number;
      for (let s = 0; s < n; s++) fwdOff[slot + s + 1] = k + (piece.fwdOff[s + 1] as number) - from;
      k += to - from;
      alive.set(piece.alive.subarray(0, n), slot);
      docLen.set(piece.docLen.subarray(0, n), slot);
      for (let s = 0; s < n; s++) ids[slot + s] = piece.ids[s] as string;
      slot += n;
      out.live += piece.live;
      out.totalLen += piece.totalLen;
    });
    out.base = new Array<Uint32Array>(terms);
    for (let u = 0; u < terms; u++)
      out.base[u] = all.subarray(offsets[u] as number, offsets[u + 1] as number);
    out.tail = new Array<number[] | undefined>(terms).fill(undefined);
    out.stamp = new Uint32Array(terms + 16);
    out.count = new Uint32Array(terms + 16);
    out.slotsInIdOrder = idsInOrder(out.ids);
    return out;
  }

  /** @internal What {@link TextUnit.merge} reads of this unit. */
  piece(dictionary: TermDictionary): Piece {
    assert(this.dfKnown === undefined, 'snapshots are not merged');
    assert(this.dictionary === dictionary, 'merged units share a dictionary');
    const { base, tail } = this;
    return {
      ids: this.ids,
      alive: this.alive,
      docLen: this.docLen,
      fwdOff: this.fwdOff,
      fwd: this.fwd,
      globalOf: this.globalOf,
      df: this.df,
      live: this.live,
      totalLen: this.totalLen,
      postingCount: (t) => (base[t] as Uint32Array).length + (tail[t]?.length ?? 0),
      copyPostings(t, into, at, shift) {
        for (const list of [base[t] as Uint32Array, tail[t]]) {
          if (list === undefined) continue;
          for (let j = 0; j < list.length; j++) into[at++] = (list[j] as number) + shift;
        }
        return at;
      },
    };
  }

  /** Marks in `keep` (indexed by global term number) every term this unit uses. */
  markTerms(keep: Uint8Array): void {
    for (const g of this.globalOf) keep[g] = 1;
  }

  /**
   * Renumbers the unit's terms after its dictionary was compacted (`remap` from
   * `TermDictionary.compact`, which kept every term {@link TextUnit.markTerms} marked). In place,
   * so snapshots taken before stay valid.
   */
  remapTerms(remap: Int32Array): void {
    const globalOf = this.globalOf;
    for (let t = 0; t < globalOf.length; t++) {
      const g = remap[globalOf[t] as number] ?? -1;
      assert(g >= 0, 'a compacted dictionary keeps every term its units use');
      globalOf[t] = g;
    }
    if (this.localDense !== undefined) {
      // Compaction only lowers numbers: the array is large enough.
      this.localDense.fill(-1);
      for (let t = 0; t < globalOf.length; t++) this.localDense[globalOf[t] as number] = t;
    } else if (this.localMap !== undefined) {
      this.localMap.clear();
      for (let t = 0; t < globalOf.length; t++) this.localMap.set(globalOf[t] as number, t);
    }
  }

  /** Serialises the index; {@link TextUnit.decode} reads it back identically. */
  encode(header: Record<string, unknown> = {}): Buffer {
    const slots = this.ids.length;
    const termCount = this.globalOf.length;
    const postOff = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++)
      postOff[t + 1] =
        (postOff[t] as number) + (this.base[t] as Uint32Array).length + (this.tail[t]?.length ?? 0);
    const postings = new Uint32Array(postOff[termCount] as number);
    for (let t = 0; t < termCount; t++) {
      const base = this.base[t] as Uint32Array;
      let at = postOff[t] as number;
      postings.set(base, at);
      at += base.length;
      for (const p of this.tail[t] ?? []) postings[at++] = p;
    }
    return packSections(
      {
        ...header,
        format: FORMAT,
        version: VERSION,
        slots,
        terms: termCount,
        live: this.live,
        totalLen: this.totalLen,
        inOrder: this.slotsInIdOrder,
      },
      [
        packIds(this.ids),
        this.alive.subarray(0, slots),
        this.docLen.subarray(0, slots),
        this.fwdOff.subarray(0, slots + 1),
        this.fwd.subarray(0, this.fwdOff[slots] as number),
        this.termBytes(this.globalOf),
        this.df.subarray(0, termCount),
        postOff,
        postings,
      ],
    );
  }

  /** Terms (global numbers) as the newline-separated UTF-8 an encoded unit stores. */
  private termBytes(globals: readonly number[]): Buffer {
    return Buffer.from(globals.map((g) => this.dictionary.terms[g] as string).join('\n'), 'utf8');
  }

  /** Reads an encoded index, its terms numbered in `dictionary`; postings stay views into one buffer. */
  static decode(
    buffer: Uint8Array,
    dictionary: TermDictionary = TERMS,
  ): { unit: TextUnit; header: Record<string, unknown> } {
    const { header, ids, alive, docLen, fwdOff, fwd, globalOf, df, postOff, postings } =
      readEncoded(buffer, dictionary);
    const termCount = globalOf.length;
    const unit = new TextUnit(dictionary);
    unit.ids = ids;
    unit.slotOfMap = undefined; // built on first add/remove: a reader never needs it
    unit.alive = alive;
    unit.docLen = docLen;
    unit.fwdOff = fwdOff;
    unit.fwd = fwd;
    unit.globalOf = globalOf;
    for (let t = 0; t < termCount; t++) unit.setLocal(globalOf[t] as number, t);
    unit.df = df;
    unit.stamp = new Uint32Array(termCount + 16);
    unit.count = new Uint32Array(termCount + 16);
    unit.base = new Array<Uint32Array>(termCount);
    unit.tail = new Array<number[] | undefined>(termCount).fill(undefined);
    for (let t = 0; t < termCount; t++)
      unit.base[t] = postings.subarray(postOff[t] as number, postOff[t + 1] as number);
    unit.live = header.live as number;
    unit.totalLen = header.totalLen as number;
    unit.slotsInIdOrder = header.inOrder === true;
    return { unit, header };
  }

  /** The id of the last slot holding one (removed slots keep no id). */
  private lastId(): string {
    for (let slot = this.ids.length - 1; slot >= 0; slot--)
      if (this.ids[slot] !== '') return this.ids[slot] as string;
    return '';
  }

  private slotOf(): Map<string, number> {
    if (this.slotOfMap === undefined) {
      const map = new Map<string, number>();
      for (let slot = 0; slot < this.ids.length; slot++)
        if (this.alive[slot] === 1) map.set(this.ids[slot] as string, slot);
      this.slotOfMap = map;
    }
    return this.slotOfMap;
  }

  private localOf(term: number): number {
    if (this.localDense !== undefined)
      return term < this.localDense.length ? (this.localDense[term] as number) : -1;
    return this.localMap?.get(term) ?? -1;
  }

  private setLocal(term: number, t: number): void {
    if (this.localDense === undefined && this.globalOf.length > DENSE_AT) {
      this.localDense = new Int32Array(
        Math.max(this.dictionary.terms.length, term + 1) + 1024,
      ).fill(-1);
      for (const [g, l] of this.localMap ?? []) this.localDense[g] = l;
      this.localMap = undefined;
    }
    if (this.localDense !== undefined) {
      if (term >= this.localDense.length) {
        const dense = new Int32Array(Math.max(term + 1, this.dictionary.terms.length) * 2).fill(-1);
        dense.set(this.localDense);
        this.localDense = dense;
      }
      this.localDense[term] = t;
    } else {
      (this.localMap as Map<number, number>).set(term, t);
    }
  }

  private termOf(term: number): number {
    let t = this.localOf(term);
    if (t < 0) {
      t = this.globalOf.length;
      this.globalOf.push(term);
      this.setLocal(term, t);
      this.df = grow(this.df, t + 1, t);
      this.stamp = grow(this.stamp, t + 1, t);
      this.count = grow(this.count, t + 1, t);
      this.base.push(EMPTY);
      this.tail.push(undefined);
    }
    return t;
  }

  /**
   * Scores live blocks for the listed (global) terms: with `bm25` set, the BM25+ sum per block;
   * always the number of matched terms. Accumulators are reused between calls; the loops are
   * written out (no callback per posting) because they are the hot path of a page call.
   * @internal
   */
  accumulate(
    terms: readonly number[],
    bm25:
      | {
          readonly idf: readonly number[];
          readonly k1: number;
          readonly b: number;
          readonly d: number;
          readonly avgLen: number;
        }
      | undefined,
    maxCandidates = Number.MAX_SAFE_INTEGER,
  ): Accumulated {
    const slots = this.ids.length;
    let s = this.scratch;
    if (s === undefined || s.scores.length < slots) {
      const n = slots + 1024;
      s = {
        scores: new Float64Array(n),
        matched: new Uint8Array(n),
        touched: new Int32Array(n),
        values: new Float64Array(n),
        select: new Float64Array(n),
      };
      this.scratch = s;
    }
    const { scores, matched, touched } = s;
    const alive = this.alive;
    const docLen = this.docLen;
    let count = 0;
    const k1 = bm25?.k1 ?? 0;
    const d = bm25?.d ?? 0;
    // tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen)) = tf (k1 + 1) / (tf + c0 + c1 len)
    const c0 = bm25 === undefined ? 0 : k1 * (1 - bm25.b);
    const c1 = bm25 === undefined ? 0 : (k1 * bm25.b) / bm25.avgLen;
    for (let i = 0; i < terms.length; i++) {
      const t = this.localOf(terms[i] as number);
      if (t < 0) continue;
      const w = bm25 === undefined ? 0 : (bm25.idf[i] as number);
      // Once enough candidates are in, commoner terms only add to them (decided per term, so the
      // candidate set never depends on the order of slots).
      const admit = count < maxCandidates;
      // Postings live in a sealed base array and an appended tail; both are scored the same way.
      for (const list of [this.base[t] as Uint32Array, this.tail[t]]) {
        if (list === undefined) continue;
        for (let k = 0; k < list.length; k++) {
          const p = list[k] as number;
          const slot = p >>> 8;
          if (alive[slot] !== 1) continue;
          if (matched[slot] === 0) {
            if (!admit) continue;
            touched[count++] = slot;
          }
          matched[slot]!++;
          if (w !== 0) {
            const tf = p & 0xff;
            scores[slot]! += w * (d + (tf * (k1 + 1)) / (tf + c0 + c1 * (docLen[slot] as number)));
          }
        }
      }
    }
    return { scores, matched, touched, count };
  }

  /**
   * Takes the best `limit` accumulated blocks, scored `sum * matched` (BM25, as minisearch) or
   * `matched / distinct` (lexical, when `distinct` is given), ties by newer id, and clears the
   * accumulators. Linear in the matched blocks: a selection finds the cut-off, only the blocks
   * above it are sorted.
   * @internal
   */
  collect(acc: Accumulated, limit: number, distinct?: number): ScoredId[] {
    const { scores, matched, touched, count } = acc;
    const { values, select } = this.scratch as NonNullable<TextUnit['scratch']>;
    if (distinct === undefined) {
      for (let i = 0; i < count; i++) {
        const slot = touched[i] as number;
        values[i] = (scores[slot] as number) * (matched[slot] as number);
        scores[slot] = 0;
        matched[slot] = 0;
      }
    } else {
      for (let i = 0; i < count; i++) {
        const slot = touched[i] as number;
        values[i] = (matched[slot] as number) / distinct;
        matched[slot] = 0;
      }
    }
    const out: ScoredId[] = [];
    if (limit <= 0 || count === 0) return out;
    let cut = -Infinity;
    if (count > limit) cut = kthLargest(values, count, limit);
    let ties = 0;
    for (let i = 0; i < count; i++) {
      const v = values[i] as number;
      if (v > cut) out.push({ id: this.ids[touched[i] as number] as BlockId, score: v });
      else if (v === cut) select[ties++] = touched[i] as number;
    }
    const room = limit - out.length;
    if (ties > 0 && room > 0) {
      // Equal scores at the cut: the newest ids win. Slots follow id order while ids arrive in
      // order (the usual case), so the largest slots are the newest ids: select, don't sort.
      let picked: number[];
      if (this.slotsInIdOrder && ties > room) {
        const minSlot = kthLargest(select, ties, room);
        picked = [];
        for (let i = 0; i < ties; i++)
          if ((select[i] as number) >= minSlot) picked.push(select[i] as number);
      } else {
        picked = Array.from(select.subarray(0, ties), (slot) => slot);
        picked.sort((a, b) => ((this.ids[a] as string) < (this.ids[b] as string) ? 1 : -1));
        picked = picked.slice(0, room);
      }
      for (const slot of picked) out.push({ id: this.ids[slot] as BlockId, score: cut });
    }
    return out.sort(compareScored);
  }
}

/** @internal What {@link TextUnit.merge} reads of a part (a unit, or an encoded one in place). */
export interface Piece {
  readonly ids: readonly string[];
  readonly alive: Uint8Array;
  readonly docLen: Uint32Array;
  readonly fwdOff: Uint32Array;
  readonly fwd: Uint32Array;
  readonly globalOf: readonly number[];
  readonly df: Uint32Array;
  readonly live: number;
  readonly totalLen: number;
  postingCount(t: number): number;
  /** Copies local term `t`'s postings into `into` from `at`, slots moved by `shift`; returns the end. */
  copyPostings(t: number, into: Uint32Array, at: number, shift: number): number;
}

function pieceOf(part: TextUnit | Uint8Array, dictionary: TermDictionary): Piece {
  if (part instanceof TextUnit) return part.piece(dictionary);
  const { ids, alive, docLen, fwdOff, fwd, globalOf, df, postOff, postings, header } = readEncoded(
    part,
    dictionary,
  );
  return {
    ids,
    alive,
    docLen,
    fwdOff,
    fwd,
    globalOf,
    df,
    live: header.live as number,
    totalLen: header.totalLen as number,
    postingCount: (t) => (postOff[t + 1] as number) - (postOff[t] as number),
    copyPostings(t, into, at, shift) {
      const start = postOff[t] as number;
      const end = postOff[t + 1] as number;
      if (shift === 0) into.set(postings.subarray(start, end), at);
      else for (let j = start; j < end; j++) into[at + j - start] = (postings[j] as number) + shift;
      return at + end - start;
    },
  };
}

/** The sections of an encoded unit, viewed in place; its terms interned in `dictionary`. */
function readEncoded(buffer: Uint8Array, dictionary: TermDictionary) {
  const { header, sections } = unpackSections(buffer);
  if (header.format !== FORMAT || !READS.includes(header.version as number))
    throw new Error(`not a ${FORMAT} v${VERSION} snapshot`);
  type Bytes = Uint8Array<ArrayBuffer>;
  const [ids, alive, docLen, fwdOff, fwd, terms, df, postOff, postings] = sections as [
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
    Bytes,
  ];
  return {
    header,
    ids: unpackIds(ids, header.slots as number),
    alive,
    docLen: asUint32(docLen),
    fwdOff: asUint32(fwdOff),
    fwd: asUint32(fwd),
    globalOf: (header.terms as number) === 0 ? [] : dictionary.internLines(terms),
    df: asUint32(df),
    postOff: asUint32(postOff),
    postings: asUint32(postings),
  };
}

/** The first index of a sorted list whose value is at least `value`. */
function lowerBound(list: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when the ids that are set ('' marks a removed slot) increase slot by slot. */
function idsInOrder(ids: readonly string[]): boolean {
  let last = '';
  for (const id of ids) {
    if (id === '') continue;
    if (id <= last) return false;
    last = id;
  }
  return true;
}

/** Accumulated scores of one {@link TextUnit.accumulate} call. @internal */
export interface Accumulated {
  readonly scores: Float64Array;
  readonly matched: Uint8Array;
  readonly touched: Int32Array;
  readonly count: number;
}
