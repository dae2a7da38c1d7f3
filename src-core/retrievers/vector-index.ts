import { MetricKind, exactSearch } from 'usearch';
import type { BlockId } from '../base/index';
import { asInt8, grow, packIds, packSections, unpackIds, unpackSections } from './binary';
import { TopK } from './rank';
import type { ScoredId } from './retriever';

const FORMAT = 'llm386-vector-index';
// 2: feature-hashing vectors hash Porter stems (TERMS_VERSION 2); older snapshots are rebuilt.
// 3: a session's index may be split into segments (see IndexFamily): the blob under the session's
// key lists them. Layout as 2, which is still read (one segment); older readers rebuild from 3.
const VERSION = 3;
const READS = [2, 3];
const SCALE = 127;

/**
 * The embeddings of one session's blocks for one embedder: a contiguous matrix of L2-normalised
 * vectors quantised to int8 (one row per slot), searched exactly with usearch's SIMD kernel.
 *
 * Why exact rather than an HNSW graph (measured on this machine, 100k x 256 dims): usearch's HNSW
 * inserts ran at 480-1,200 vectors/s (f32/f16, connectivity 16) and 5,600/s at its cheapest
 * (i8, connectivity 8, expansion 16) with recall@10 of 0.28, below the 5,000 blocks/s ingest
 * target once tokenising and storing are added, and its level generator makes the graph depend
 * on insertion batching and reloads. An exact int8 inner-product scan of 100k rows takes about
 * 4.5 ms, is deterministic by construction, has no recall loss, costs nothing at write time
 * beyond the append, and persists as the matrix itself.
 */
export class VectorUnit {
  readonly dimensions: number;
  private ids: string[] = [];
  private slotOfMap: Map<string, number> | undefined = new Map();
  /** Row-major int8 matrix; rows of removed blocks are zero (never match: score 0 is dropped). */
  private rows: Int8Array;
  /** Euclidean norm of each int8 row (0 for removed rows). */
  private norms = new Float64Array(16);
  live = 0;

  constructor(dimensions: number) {
    this.dimensions = dimensions;
    this.rows = new Int8Array(dimensions * 16);
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

  /** Adds a block's embedding; false when already indexed or when the vector is all zeros (nothing to match). */
  add(id: string, vector: Float32Array): boolean {
    if (vector.length !== this.dimensions)
      throw new Error(`vector has ${vector.length} dimensions, index has ${this.dimensions}`);
    const slotOf = this.slotOf();
    if (slotOf.has(id)) return false;
    const q = quantize(vector);
    if (q === undefined) return false;
    const slot = this.ids.length;
    this.rows = grow(this.rows, (slot + 1) * this.dimensions, slot * this.dimensions);
    this.rows.set(q, slot * this.dimensions);
    this.norms = grow(this.norms, slot + 1, slot);
    this.norms[slot] = norm(q);
    this.ids.push(id);
    slotOf.set(id, slot);
    this.live++;
    return true;
  }

  /** Removes a block; false when it was not indexed. */
  remove(id: string): boolean {
    const slotOf = this.slotOf();
    const slot = slotOf.get(id);
    if (slot === undefined) return false;
    slotOf.delete(id);
    this.ids[slot] = '';
    this.rows.fill(0, slot * this.dimensions, (slot + 1) * this.dimensions);
    this.norms[slot] = 0;
    this.live--;
    return true;
  }

  /** Drops removed rows. Results do not change. */
  compact(): void {
    const d = this.dimensions;
    let w = 0;
    const ids: string[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      const id = this.ids[slot] as string;
      if (id === '') continue;
      if (w !== slot) {
        this.rows.copyWithin(w * d, slot * d, (slot + 1) * d);
        this.norms[w] = this.norms[slot] as number;
      }
      ids.push(id);
      w++;
    }
    this.rows.fill(0, w * d);
    this.norms.fill(0, w);
    this.ids = ids;
    this.slotOfMap = undefined;
  }

  /** Live blocks among slots `[lo, hi)`. */
  liveIn(lo: number, hi: number): number {
    let n = 0;
    for (let slot = lo; slot < hi; slot++) if (this.ids[slot] !== '') n++;
    return n;
  }

  /** The smallest and largest ids of live blocks among slots `[lo, hi)`; '' when none. */
  idRangeIn(lo: number, hi: number): readonly [min: string, max: string] {
    let min = '';
    let max = '';
    for (let slot = lo; slot < hi; slot++) {
      const id = this.ids[slot] as string;
      if (id === '') continue;
      if (min === '' || id < min) min = id;
      if (id > max) max = id;
    }
    return [min, max];
  }

  /** A new unit holding the rows of slots `[lo, hi)`, renumbered from 0 (removed rows too). */
  slice(lo: number, hi: number): VectorUnit {
    const d = this.dimensions;
    const out = new VectorUnit(d);
    out.ids = this.ids.slice(lo, hi);
    out.slotOfMap = undefined;
    out.rows = this.rows.slice(lo * d, hi * d);
    out.norms = this.norms.slice(lo, hi);
    out.live = out.liveIn(0, out.ids.length);
    return out;
  }

  /**
   * One unit holding the rows of `parts` in order: the inverse of {@link VectorUnit.slice}, so
   * searches give what the unit the parts were cut from gave (one matrix, rows in the same order).
   * A part is a unit or an encoded one, read in place (one copy of its rows). Empty parts are
   * skipped (an empty placeholder may not know the dimensions yet).
   */
  static merge(parts: readonly (VectorUnit | Uint8Array)[]): VectorUnit {
    const used = parts.map(rowsOf).filter((part) => part.ids.length > 0);
    const d = used[0]?.dimensions ?? rowsOf(parts[0] ?? new VectorUnit(1)).dimensions;
    const out = new VectorUnit(d);
    let slots = 0;
    for (const part of used) {
      if (part.dimensions !== d)
        throw new Error(`cannot merge ${part.dimensions}- and ${d}-dimension vector units`);
      slots += part.ids.length;
    }
    // Its own buffer at offset 0: exactSearch ignores byteOffset (see search).
    out.rows = new Int8Array(Math.max(slots, 16) * d);
    out.norms = new Float64Array(Math.max(slots, 16));
    out.ids = new Array<string>(slots);
    let at = 0;
    for (const part of used) {
      const n = part.ids.length;
      out.rows.set(part.rows.subarray(0, n * d), at * d);
      out.norms.set(part.norms.subarray(0, n), at);
      for (let slot = 0; slot < n; slot++) out.ids[at + slot] = part.ids[slot] as string;
      at += n;
      out.live += part.live;
    }
    out.slotOfMap = undefined;
    return out;
  }

  /** @internal What {@link VectorUnit.merge} reads of this unit. */
  parts(): Rows {
    const { dimensions, ids, rows, norms, live } = this;
    return { dimensions, ids, rows, norms, live };
  }

  /**
   * The `k` most similar live blocks to `query` (cosine similarity in [-1, 1], computed on the
   * int8 rows), best first, ties by newer id. Blocks with similarity <= 0 are not returned.
   */
  search(query: Float32Array, k: number, visible?: (id: BlockId) => boolean): ScoredId[] {
    const n = this.ids.length;
    if (k <= 0 || this.live === 0) return [];
    const q = quantize(query);
    if (q === undefined) return [];
    const d = this.dimensions;
    // Ask for a few more than k so ties at the cut are settled by id here, not by row order.
    // With `visible` (a replayed call), widen until that many visible rows are among them.
    let want = Math.min(n, k + 16);
    let matches: ReturnType<typeof exactSearch>;
    for (;;) {
      // usearch reads typed arrays from the start of their ArrayBuffer (it ignores byteOffset), so
      // the matrix must begin at offset 0 (it does: it is its own buffer) and the query is a copy.
      matches = exactSearch(this.rows.subarray(0, n * d), q, d, want, MetricKind.IP, 1);
      if (visible === undefined || want >= n) break;
      let seen = 0;
      for (let i = 0; i < Math.min(matches.keys.length, want); i++) {
        const id = this.ids[Number(matches.keys[i])];
        if (id !== undefined && id !== '' && visible(id as BlockId)) seen++;
      }
      if (seen >= k + 16) break;
      want = Math.min(n, want * 4);
    }
    const top = new TopK(k);
    const qNorm = norm(q);
    const count = Math.min(matches.keys.length, want);
    for (let i = 0; i < count; i++) {
      const slot = Number(matches.keys[i]);
      const id = this.ids[slot];
      if (id === undefined || id === '' || (visible !== undefined && !visible(id as BlockId)))
        continue;
      // usearch's int8 inner-product distance is 1 - dot, exact for these magnitudes.
      const dot = 1 - (matches.distances[i] as number);
      const score = dot / (qNorm * (this.norms[slot] as number));
      if (score > 0) top.push(id as BlockId, score);
    }
    return top.result();
  }

  /** Serialises the index; {@link VectorUnit.decode} reads it back identically. */
  encode(header: Record<string, unknown> = {}): Buffer {
    return this.encodeRange(0, this.ids.length, header);
  }

  /** Serialises the rows of slots `[lo, hi)` as `slice(lo, hi).encode(header)` would, without the copy. */
  encodeRange(lo: number, hi: number, header: Record<string, unknown> = {}): Buffer {
    const d = this.dimensions;
    const ids = lo === 0 && hi === this.ids.length ? this.ids : this.ids.slice(lo, hi);
    return packSections(
      {
        ...header,
        format: FORMAT,
        version: VERSION,
        dimensions: d,
        slots: hi - lo,
        live: this.liveIn(lo, hi),
      },
      [packIds(ids), this.rows.subarray(lo * d, hi * d), this.norms.subarray(lo, hi)],
    );
  }

  /** Reads an encoded index. */
  static decode(buffer: Uint8Array): { unit: VectorUnit; header: Record<string, unknown> } {
    const { header, ...rows } = readEncoded(buffer);
    const unit = new VectorUnit(rows.dimensions);
    unit.ids = rows.ids;
    unit.slotOfMap = undefined;
    // A fresh buffer at offset 0: exactSearch ignores byteOffset (see search).
    unit.rows = new Int8Array(rows.rows);
    unit.norms = rows.norms;
    unit.live = rows.live;
    return { unit, header };
  }

  private slotOf(): Map<string, number> {
    if (this.slotOfMap === undefined) {
      const map = new Map<string, number>();
      for (let slot = 0; slot < this.ids.length; slot++)
        if (this.ids[slot] !== '') map.set(this.ids[slot] as string, slot);
      this.slotOfMap = map;
    }
    return this.slotOfMap;
  }
}

/** @internal The rows of a unit, or of an encoded one viewed in place. */
export interface Rows {
  readonly dimensions: number;
  readonly ids: readonly string[];
  readonly rows: Int8Array;
  readonly norms: Float64Array;
  readonly live: number;
}

function rowsOf(part: VectorUnit | Uint8Array): Rows {
  return part instanceof VectorUnit ? part.parts() : readEncoded(part);
}

function readEncoded(buffer: Uint8Array): {
  header: Record<string, unknown>;
  dimensions: number;
  ids: string[];
  rows: Int8Array;
  norms: Float64Array<ArrayBuffer>;
  live: number;
} {
  const { header, sections } = unpackSections(buffer);
  if (header.format !== FORMAT || !READS.includes(header.version as number))
    throw new Error(`not a ${FORMAT} v${VERSION} snapshot`);
  const [ids, rows, norms] = sections as [
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
    Uint8Array<ArrayBuffer>,
  ];
  return {
    header,
    dimensions: header.dimensions as number,
    ids: unpackIds(ids, header.slots as number),
    rows: asInt8(rows),
    norms: new Float64Array(norms.buffer, norms.byteOffset, norms.byteLength / 8),
    live: header.live as number,
  };
}

/** L2-normalises and scales to int8; undefined for a zero (or non-finite) vector. */
function quantize(vector: Float32Array): Int8Array | undefined {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) * (vector[i] as number);
  const length = Math.sqrt(sum);
  if (!(length > 0) || !Number.isFinite(length)) return undefined;
  const out = new Int8Array(vector.length);
  let any = false;
  for (let i = 0; i < vector.length; i++) {
    const v = Math.round(((vector[i] as number) / length) * SCALE);
    out[i] = v;
    if (v !== 0) any = true;
  }
  return any ? out : undefined;
}

function norm(v: Int8Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] as number) * (v[i] as number);
  return Math.sqrt(s);
}
