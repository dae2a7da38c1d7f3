// The arrays of one text index unit, shared by the files that read them: the unit itself
// (text-index.ts), its codec, slices, merges, compaction and scoring. Only those files use this
// state; everything else goes through TextUnit's methods.
import { assert } from '../base/index';
import type { TermDictionary } from './text-terms';

/** Term frequencies are capped at 255 (BM25 has long saturated by then). */
export const MAX_TF = 255;
/** A posting is `slot * 256 + tf` in one uint32 (a small integer in JS arrays). */
export const MAX_SLOTS = 2 ** 23;
/** Units with more terms than this map global term numbers with a dense array instead of a Map. */
const DENSE_AT = 4096;

/**
 * The arrays of a `TextUnit` (text-index.ts): slots (ids, liveness, lengths, forward lists of local term
 * numbers), local term numbers and their global numbers in `dictionary`, document frequencies and
 * postings (`slot * 256 + tf`, a sealed `base` view plus an appended `tail` per local term).
 * @internal
 */
export interface TextUnitState {
  /** The dictionary the unit's global term numbers are of. */
  readonly dictionary: TermDictionary;
  /** Slot -> block id; '' for a removed block. */
  ids: string[];
  slotOfMap: Map<string, number> | undefined;
  alive: Uint8Array;
  /** Distinct terms per block: minisearch's field length. */
  docLen: Uint32Array;
  fwdOff: Uint32Array;
  fwd: Uint32Array;
  /** Global term number (in `dictionary`) -> local term number: a Map while small, then a dense array. */
  localMap: Map<number, number> | undefined;
  localDense: Int32Array | undefined;
  globalOf: number[];
  df: Uint32Array;
  /** On a snapshot: which terms' `df` has been counted yet. */
  dfKnown: Uint8Array | undefined;
  base: Uint32Array[];
  tail: (number[] | undefined)[];
  /** Live blocks. */
  live: number;
  /** Sum of live blocks' lengths. */
  totalLen: number;
  /** Per-term scratch of `add` (stamped term-frequency counts). */
  stamp: Uint32Array;
  count: Uint32Array;
  /** True while every slot's id is larger than the previous slot's (ids arrived in order). */
  slotsInIdOrder: boolean;
}

/** The state of an empty unit whose terms are numbered in `dictionary`. @internal */
export function emptyState(dictionary: TermDictionary): TextUnitState {
  return {
    dictionary,
    ids: [],
    slotOfMap: new Map(),
    alive: new Uint8Array(16),
    docLen: new Uint32Array(16),
    fwdOff: new Uint32Array(17),
    fwd: new Uint32Array(64),
    localMap: new Map(),
    localDense: undefined,
    globalOf: [],
    df: new Uint32Array(16),
    dfKnown: undefined,
    base: [],
    tail: [],
    live: 0,
    totalLen: 0,
    stamp: new Uint32Array(16),
    count: new Uint32Array(16),
    slotsInIdOrder: true,
  };
}

/** The local number of a global term; -1 when the unit does not use it. @internal */
export function localOf(s: TextUnitState, term: number): number {
  if (s.localDense !== undefined)
    return term < s.localDense.length ? (s.localDense[term] as number) : -1;
  return s.localMap?.get(term) ?? -1;
}

/** Maps global term `term` to local number `t` (already pushed to `globalOf`). @internal */
export function setLocal(s: TextUnitState, term: number, t: number): void {
  if (s.localDense === undefined && s.globalOf.length > DENSE_AT) {
    s.localDense = new Int32Array(Math.max(s.dictionary.terms.length, term + 1) + 1024).fill(-1);
    for (const [g, l] of s.localMap ?? []) s.localDense[g] = l;
    s.localMap = undefined;
  }
  if (s.localDense !== undefined) {
    if (term >= s.localDense.length) {
      const dense = new Int32Array(Math.max(term + 1, s.dictionary.terms.length) * 2).fill(-1);
      dense.set(s.localDense);
      s.localDense = dense;
    }
    s.localDense[term] = t;
  } else {
    (s.localMap as Map<number, number>).set(term, t);
  }
}

/**
 * Renumbers the unit's terms after its dictionary was compacted (`remap` from
 * `TermDictionary.compact`). In place, so snapshots taken before stay valid. @internal
 */
export function remapTerms(s: TextUnitState, remap: Int32Array): void {
  const globalOf = s.globalOf;
  for (let t = 0; t < globalOf.length; t++) {
    const g = remap[globalOf[t] as number] ?? -1;
    assert(g >= 0, 'a compacted dictionary keeps every term its units use');
    globalOf[t] = g;
  }
  if (s.localDense !== undefined) {
    // Compaction only lowers numbers: the array is large enough.
    s.localDense.fill(-1);
    for (let t = 0; t < globalOf.length; t++) s.localDense[globalOf[t] as number] = t;
  } else if (s.localMap !== undefined) {
    s.localMap.clear();
    for (let t = 0; t < globalOf.length; t++) s.localMap.set(globalOf[t] as number, t);
  }
}

/** True when the ids that are set ('' marks a removed slot) increase slot by slot. @internal */
export function idsInOrder(ids: readonly string[]): boolean {
  let last = '';
  for (const id of ids) {
    if (id === '') continue;
    if (id <= last) return false;
    last = id;
  }
  return true;
}
