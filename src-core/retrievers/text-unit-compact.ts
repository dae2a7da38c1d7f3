// Compaction of a text index unit: removed blocks keep their postings (a removal only updates
// document frequencies) until this rewrite drops them with the terms no live block uses.
import { setLocal, type TextUnitState } from './text-unit-state';

/**
 * Rewrites the unit's arrays without removed blocks and unused terms, in one pass over the
 * postings. Scores do not change (they depend on live blocks only). @internal
 */
export function compactState(s: TextUnitState): void {
  const oldSlots = s.ids.length;
  const remap = new Int32Array(oldSlots).fill(-1);
  const ids: string[] = [];
  for (let slot = 0; slot < oldSlots; slot++) {
    if (s.alive[slot] !== 1) continue;
    remap[slot] = ids.length;
    ids.push(s.ids[slot] as string);
  }
  const oldTerms = s.globalOf.length;
  const termRemap = new Int32Array(oldTerms).fill(-1);
  const globalOf: number[] = [];
  const df: number[] = [];
  const base: Uint32Array[] = [];
  for (let t = 0; t < oldTerms; t++) {
    const n = s.df[t] as number;
    if (n === 0) continue;
    termRemap[t] = globalOf.length;
    globalOf.push(s.globalOf[t] as number);
    df.push(n);
    // Every live block has exactly one posting per distinct term: `n` live postings, in slot order.
    const list = new Uint32Array(n);
    let k = 0;
    const copy = (p: number) => {
      const to = remap[p >>> 8] as number;
      if (to >= 0) list[k++] = to * 256 + (p & 0xff);
    };
    for (const p of s.base[t] as Uint32Array) copy(p);
    for (const p of s.tail[t] ?? []) copy(p);
    base.push(list);
  }
  const live = ids.length;
  const alive = new Uint8Array(live + 16).fill(1, 0, live);
  const docLen = new Uint32Array(live + 16);
  const fwdOff = new Uint32Array(live + 17);
  const fwd = new Uint32Array(Math.max(64, (s.fwdOff[oldSlots] as number) + 16));
  let k = 0;
  for (let slot = 0; slot < oldSlots; slot++) {
    const to = remap[slot] as number;
    if (to < 0) continue;
    docLen[to] = s.docLen[slot] as number;
    const end = s.fwdOff[slot + 1] as number;
    for (let i = s.fwdOff[slot] as number; i < end; i++)
      fwd[k++] = termRemap[s.fwd[i] as number] as number;
    fwdOff[to + 1] = k;
  }
  s.ids = ids;
  s.slotOfMap = undefined;
  s.alive = alive;
  s.docLen = docLen;
  s.fwdOff = fwdOff;
  s.fwd = fwd;
  s.globalOf = [];
  s.localMap = new Map();
  s.localDense = undefined;
  for (let t = 0; t < globalOf.length; t++) {
    s.globalOf.push(globalOf[t] as number);
    setLocal(s, globalOf[t] as number, t);
  }
  s.df = Uint32Array.from(df);
  s.base = base;
  s.tail = new Array<number[] | undefined>(base.length).fill(undefined);
  s.stamp = new Uint32Array(base.length + 16);
  s.count = new Uint32Array(base.length + 16);
}
