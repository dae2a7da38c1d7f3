// The byte layout of a saved text index unit: a header and nine typed-array sections (binary.ts),
// terms stored as strings (term numbers differ between processes), read back in place.
import { asUint32, packIds, packSections, unpackIds, unpackSections } from './binary';
import type { TermDictionary } from './text-terms';
import { emptyState, setLocal, type TextUnitState } from './text-unit-state';

const FORMAT = 'llm386-text-index';
// 2: terms are Porter stems (TERMS_VERSION 2); older snapshots are rebuilt from the tables.
// 3: a session's index may be split into segments (see IndexFamily): the blob under the session's
// key lists them. Layout as 2, which is still read (one segment); older readers rebuild from 3.
const VERSION = 3;
const READS = [2, 3];

/** The counts an encoded unit's header carries beside the caller's fields. @internal */
export interface EncodedCounts {
  readonly slots: number;
  readonly terms: number;
  readonly live: number;
  readonly totalLen: number;
  readonly inOrder: boolean;
}

/** The sections of an encoded unit, in their stored order. @internal */
export interface EncodedSections {
  readonly ids: readonly string[];
  readonly alive: Uint8Array;
  readonly docLen: Uint32Array;
  readonly fwdOff: Uint32Array;
  readonly fwd: Uint32Array;
  /** The unit's terms as global numbers of `dictionary`, by local number. */
  readonly globalOf: readonly number[];
  readonly df: Uint32Array;
  readonly postOff: Uint32Array;
  readonly postings: Uint32Array;
}

/** Packs an encoded unit: the caller's header fields, the counts and the sections. @internal */
export function packUnit(
  header: Record<string, unknown>,
  counts: EncodedCounts,
  dictionary: TermDictionary,
  sections: EncodedSections,
): Buffer {
  return packSections({ ...header, format: FORMAT, version: VERSION, ...counts }, [
    packIds(sections.ids),
    sections.alive,
    sections.docLen,
    sections.fwdOff,
    sections.fwd,
    termBytes(dictionary, sections.globalOf),
    sections.df,
    sections.postOff,
    sections.postings,
  ]);
}

/** Terms (global numbers) as the newline-separated UTF-8 an encoded unit stores. */
function termBytes(dictionary: TermDictionary, globals: readonly number[]): Buffer {
  return Buffer.from(globals.map((g) => dictionary.terms[g] as string).join('\n'), 'utf8');
}

/** Serialises a whole unit; {@link decodeUnit} reads it back identically. @internal */
export function encodeUnit(s: TextUnitState, header: Record<string, unknown>): Buffer {
  const slots = s.ids.length;
  const termCount = s.globalOf.length;
  const postOff = new Uint32Array(termCount + 1);
  for (let t = 0; t < termCount; t++)
    postOff[t + 1] =
      (postOff[t] as number) + (s.base[t] as Uint32Array).length + (s.tail[t]?.length ?? 0);
  const postings = new Uint32Array(postOff[termCount] as number);
  for (let t = 0; t < termCount; t++) {
    const base = s.base[t] as Uint32Array;
    let at = postOff[t] as number;
    postings.set(base, at);
    at += base.length;
    for (const p of s.tail[t] ?? []) postings[at++] = p;
  }
  return packUnit(
    header,
    {
      slots,
      terms: termCount,
      live: s.live,
      totalLen: s.totalLen,
      inOrder: s.slotsInIdOrder,
    },
    s.dictionary,
    {
      ids: s.ids,
      alive: s.alive.subarray(0, slots),
      docLen: s.docLen.subarray(0, slots),
      fwdOff: s.fwdOff.subarray(0, slots + 1),
      fwd: s.fwd.subarray(0, s.fwdOff[slots] as number),
      globalOf: s.globalOf,
      df: s.df.subarray(0, termCount),
      postOff,
      postings,
    },
  );
}

/** The sections of an encoded unit, viewed in place; its terms interned in `dictionary`. @internal */
export function readEncoded(buffer: Uint8Array, dictionary: TermDictionary) {
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

/** Reads an encoded unit, its terms numbered in `dictionary`; postings stay views into one buffer. @internal */
export function decodeUnit(
  buffer: Uint8Array,
  dictionary: TermDictionary,
): { state: TextUnitState; header: Record<string, unknown> } {
  const { header, ids, alive, docLen, fwdOff, fwd, globalOf, df, postOff, postings } = readEncoded(
    buffer,
    dictionary,
  );
  const termCount = globalOf.length;
  const unit = emptyState(dictionary);
  unit.ids = ids;
  unit.slotOfMap = undefined; // built on first add/remove: a reader never needs it
  unit.alive = alive;
  unit.docLen = docLen;
  unit.fwdOff = fwdOff;
  unit.fwd = fwd;
  unit.globalOf = globalOf;
  for (let t = 0; t < termCount; t++) setLocal(unit, globalOf[t] as number, t);
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
  return { state: unit, header };
}
