// Cutting a slot range out of a text index unit: as a unit of its own (a segment in memory) or
// straight to bytes (a segment saved without building that unit first).
import { assert } from '../base/index';
import { encodeUnit, packUnit } from './text-unit-codec';
import { emptyState, idsInOrder, setLocal, type TextUnitState } from './text-unit-state';

/**
 * The state of a new unit holding the blocks of slots `[lo, hi)` (removed ones too, until
 * compacted), renumbered from 0, with its own terms and document frequencies. Costs the range's
 * postings, not the whole unit's. @internal
 */
export function sliceState(s: TextUnitState, lo: number, hi: number): TextUnitState {
  const cut = cutRange(s, lo, hi);
  const out = emptyState(s.dictionary);
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
    out.globalOf.push(s.globalOf[cut.used[u] as number] as number);
    setLocal(out, out.globalOf[u] as number, u);
  }
  out.stamp = new Uint32Array(terms + 16);
  out.count = new Uint32Array(terms + 16);
  out.slotsInIdOrder = idsInOrder(out.ids);
  return out;
}

/**
 * Serialises the blocks of slots `[lo, hi)` as {@link sliceState} holds them (what encoding that
 * slice gives), without building it. @internal
 */
export function encodeRange(
  s: TextUnitState,
  lo: number,
  hi: number,
  header: Record<string, unknown>,
): Buffer {
  if (lo === 0 && hi === s.ids.length) return encodeUnit(s, header);
  const cut = cutRange(s, lo, hi);
  return packUnit(
    header,
    {
      slots: hi - lo,
      terms: cut.used.length,
      live: cut.live,
      totalLen: cut.totalLen,
      inOrder: idsInOrder(cut.ids),
    },
    s.dictionary,
    {
      ids: cut.ids,
      alive: cut.alive,
      docLen: cut.docLen,
      fwdOff: cut.fwdOff,
      fwd: cut.fwd,
      globalOf: cut.used.map((t) => s.globalOf[t] as number),
      df: cut.df,
      postOff: cut.postOff,
      postings: cut.postings,
    },
  );
}

/**
 * The arrays of slots `[lo, hi)` renumbered from 0, with the range's own terms (`used`: the
 * unit's local numbers, by first use) and document frequencies. Each (slot, term) pair of the
 * forward lists is exactly one posting, so the forward lists give every count.
 */
function cutRange(s: TextUnitState, lo: number, hi: number) {
  const n = hi - lo;
  const first = s.fwdOff[lo] as number;
  const postings = (s.fwdOff[hi] as number) - first;
  const alive = s.alive.slice(lo, hi);
  const docLen = s.docLen.slice(lo, hi);
  const fwdOff = new Uint32Array(n + 1);
  const fwd = new Uint32Array(postings);
  const local = new Int32Array(s.globalOf.length).fill(-1);
  const used: number[] = [];
  const sizes: number[] = [];
  for (let k = 0; k < postings; k++) {
    const t = s.fwd[first + k] as number;
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
    fwdOff[slot - lo + 1] = (s.fwdOff[slot + 1] as number) - first;
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
    for (const list of [s.base[t] as Uint32Array, s.tail[t]]) {
      if (list === undefined) continue;
      // Postings are in slot order: the range's are one run.
      for (let k = lowerBound(list, lo * 256); k < list.length; k++) {
        const p = list[k] as number;
        if (p >>> 8 >= hi) break;
        all[at++] = p - lo * 256;
      }
    }
    postOff[u + 1] = at;
    assert(at - (postOff[u] as number) === sizes[u], 'a slice finds one posting per forward entry');
  }
  return {
    ids: s.ids.slice(lo, hi),
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
