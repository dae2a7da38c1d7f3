// Joining text index units end to end (the inverse of a slice): segments read back from their
// blobs in place, or units in memory, into one unit.
import { assert } from '../base/index';
import type { TermDictionary } from './text-terms';
import { readEncoded } from './text-unit-codec';
import { emptyState, idsInOrder, localOf, setLocal, type TextUnitState } from './text-unit-state';

/** What a merge reads of a part (a unit, or an encoded one in place). @internal */
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

/** What a merge reads of a unit in memory (not a snapshot). @internal */
export function pieceOfState(s: TextUnitState, dictionary: TermDictionary): Piece {
  assert(s.dfKnown === undefined, 'snapshots are not merged');
  assert(s.dictionary === dictionary, 'merged units share a dictionary');
  const { base, tail } = s;
  return {
    ids: s.ids,
    alive: s.alive,
    docLen: s.docLen,
    fwdOff: s.fwdOff,
    fwd: s.fwd,
    globalOf: s.globalOf,
    df: s.df,
    live: s.live,
    totalLen: s.totalLen,
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

/** What a merge reads of an encoded unit, viewed in place; its terms interned in `dictionary`. @internal */
export function pieceOfEncoded(part: Uint8Array, dictionary: TermDictionary): Piece {
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

/**
 * The state of one unit holding the blocks of `pieces` in order (slots of the first piece
 * first). Costs one copy of the pieces' postings. @internal
 */
export function mergePieces(pieces: readonly Piece[], dictionary: TermDictionary): TextUnitState {
  const out = emptyState(dictionary);
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
      let u = localOf(out, g);
      if (u < 0) {
        u = out.globalOf.length;
        out.globalOf.push(g);
        setLocal(out, g, u);
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
