// Scoring one text index unit: BM25+ sums and matched-term counts per block over the postings,
// then the best blocks. The hot path of a page call: the loops are written out (no callback per
// posting) and the accumulators are reused between calls.
import type { BlockId } from '../base/index';
import { compareScored, kthLargest } from './rank';
import type { ScoredId } from './retriever';
import { localOf, type TextUnitState } from './text-unit-state';

/** Accumulated scores of one {@link accumulate} call. @internal */
export interface Accumulated {
  readonly scores: Float64Array;
  readonly matched: Uint8Array;
  readonly touched: Int32Array;
  readonly count: number;
}

/** The reusable accumulators of a unit, one entry per slot. @internal */
export interface Scratch {
  readonly scores: Float64Array;
  readonly matched: Uint8Array;
  readonly touched: Int32Array;
  readonly values: Float64Array;
  readonly select: Float64Array;
}

/** The BM25+ weights of one search: per listed term its idf, and the pool's parameters. @internal */
export interface Bm25Weights {
  readonly idf: readonly number[];
  readonly k1: number;
  readonly b: number;
  readonly d: number;
  readonly avgLen: number;
}

/** `scratch` when it has room for `slots`, else new accumulators with some to spare. @internal */
export function scratchFor(scratch: Scratch | undefined, slots: number): Scratch {
  if (scratch !== undefined && scratch.scores.length >= slots) return scratch;
  const n = slots + 1024;
  return {
    scores: new Float64Array(n),
    matched: new Uint8Array(n),
    touched: new Int32Array(n),
    values: new Float64Array(n),
    select: new Float64Array(n),
  };
}

/**
 * Scores live blocks for the listed (global) terms into `scratch`: with `bm25` set, the BM25+ sum
 * per block; always the number of matched terms. Once `maxCandidates` blocks matched, later terms
 * only add to their scores. @internal
 */
export function accumulate(
  s: TextUnitState,
  scratch: Scratch,
  terms: readonly number[],
  bm25: Bm25Weights | undefined,
  maxCandidates: number,
): Accumulated {
  const { scores, matched, touched } = scratch;
  const alive = s.alive;
  const docLen = s.docLen;
  let count = 0;
  const k1 = bm25?.k1 ?? 0;
  const d = bm25?.d ?? 0;
  // tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen)) = tf (k1 + 1) / (tf + c0 + c1 len)
  const c0 = bm25 === undefined ? 0 : k1 * (1 - bm25.b);
  const c1 = bm25 === undefined ? 0 : (k1 * bm25.b) / bm25.avgLen;
  for (let i = 0; i < terms.length; i++) {
    const t = localOf(s, terms[i] as number);
    if (t < 0) continue;
    const w = bm25 === undefined ? 0 : (bm25.idf[i] as number);
    // Once enough candidates are in, commoner terms only add to them (decided per term, so the
    // candidate set never depends on the order of slots).
    const admit = count < maxCandidates;
    // Postings live in a sealed base array and an appended tail; both are scored the same way.
    for (const list of [s.base[t] as Uint32Array, s.tail[t]]) {
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
 * above it are sorted. @internal
 */
export function collect(
  s: TextUnitState,
  scratch: Scratch,
  acc: Accumulated,
  limit: number,
  distinct: number | undefined,
): ScoredId[] {
  const { scores, matched, touched, count } = acc;
  const { values, select } = scratch;
  const ids = s.ids;
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
    if (v > cut) out.push({ id: ids[touched[i] as number] as BlockId, score: v });
    else if (v === cut) select[ties++] = touched[i] as number;
  }
  const room = limit - out.length;
  if (ties > 0 && room > 0) {
    // Equal scores at the cut: the newest ids win. Slots follow id order while ids arrive in
    // order (the usual case), so the largest slots are the newest ids: select, don't sort.
    let picked: number[];
    if (s.slotsInIdOrder && ties > room) {
      const minSlot = kthLargest(select, ties, room);
      picked = [];
      for (let i = 0; i < ties; i++)
        if ((select[i] as number) >= minSlot) picked.push(select[i] as number);
    } else {
      picked = Array.from(select.subarray(0, ties), (slot) => slot);
      picked.sort((a, b) => ((ids[a] as string) < (ids[b] as string) ? 1 : -1));
      picked = picked.slice(0, room);
    }
    for (const slot of picked) out.push({ id: ids[slot] as BlockId, score: cut });
  }
  return out.sort(compareScored);
}
