import { porterStem } from './stem';

/**
 * English stop-words, removed from indexed text and from tasks: they match almost every block,
 * so they cost the most to score and say the least.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves s t d ll m re ve don doesn didn isn wasn aren weren let us also may might ' +
    'shall must'
  ).split(' '),
);

/**
 * Version of the term rules (split, stop-words, stemming): persisted indexes made under other
 * rules are rebuilt.
 */
export const TERMS_VERSION = 2;

/** Longest term indexed; longer runs (hashes, base64) are noise. */
const MAX_TERM_LENGTH = 40;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// ASCII letters and digits; everything else in ASCII separates terms.
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) ASCII_WORD[c] = 1;
for (let c = 97; c <= 122; c++) ASCII_WORD[c] = 1;
for (let c = 65; c <= 90; c++) ASCII_WORD[c] = 1;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const wide = new Map<number, boolean>();

function isWordChar(c: number): boolean {
  if (c < 128) return ASCII_WORD[c] === 1;
  // Surrogates: keep astral letters (and emoji) inside terms rather than splitting them in half.
  if (c >= 0xd800 && c <= 0xdfff) return true;
  let w = wide.get(c);
  if (w === undefined) {
    w = WORD_CHAR.test(String.fromCharCode(c));
    if (wide.size < 65_536) wide.set(c, w);
  }
  return w;
}

/** Spreads FNV-1a's bits (murmur3 finaliser step) so buckets and sign bits are well mixed. */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** FNV-1a of a string with the avalanche step: the hash every term is known by. */
export function termHash(term: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), FNV_PRIME);
  return avalanche(h);
}

/**
 * A term dictionary: interns every term once and numbers it, so tokenising a body makes no
 * substring or map entry per known term, and indexes and the feature-hashing embedder work on
 * numbers. Numbers are private to the dictionary (persisted indexes store the strings); nothing
 * may order by them. Each `IndexSet` has its own; {@link TERMS} serves everything else.
 */
export class TermDictionary {
  terms: string[] = [];
  hashes = new Uint32Array(1024);
  stop = new Uint8Array(1024);
  /** The number of each term's stem, or -1 until first asked. */
  stems = new Int32Array(1024).fill(-1);
  private table = new Int32Array(4096).fill(-1);
  private mask = 4095;

  constructor() {
    for (const word of STOP_WORDS) this.stop[this.intern(word)] = 1;
  }

  /** The number of a term, interning it when new. */
  intern(term: string): number {
    const h = termHash(term);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.table[slot] as number;
      if (id < 0) return this.insert(term, h, slot);
      if (this.hashes[id] === h && this.terms[id] === term) return id;
    }
  }

  /**
   * The numbers of newline-separated terms in UTF-8 `bytes` (as persisted indexes store them),
   * interning new ones. An ASCII term already known costs a hash and a compare, no string.
   */
  internLines(bytes: Uint8Array): number[] {
    const out: number[] = [];
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    for (let i = 0; i <= buffer.length; i++) {
      if (i < buffer.length && buffer[i] !== 0x0a) continue;
      out.push(this.internUtf8(buffer, start, i));
      start = i + 1;
    }
    return out;
  }

  private internUtf8(bytes: Buffer, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) {
      const c = bytes[i] as number;
      if (c >= 0x80) return this.intern(bytes.toString('utf8', start, end));
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    h = avalanche(h);
    const length = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.table[slot] as number;
      if (id < 0) return this.insert(bytes.toString('latin1', start, end), h, slot);
      if (this.hashes[id] !== h) continue;
      const term = this.terms[id] as string;
      if (term.length !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (term.charCodeAt(i) !== bytes[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  /** The number of a known term, or -1. */
  find(term: string): number {
    const h = termHash(term);
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.table[slot] as number;
      if (id < 0) return -1;
      if (this.hashes[id] === h && this.terms[id] === term) return id;
    }
  }

  /** The number of `s[start, end)` (already lower-cased), hash `h` given, interning it when new. */
  internSlice(s: string, start: number, end: number, h: number): number {
    const length = end - start;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.table[slot] as number;
      if (id < 0) return this.insert(s.slice(start, end), h, slot);
      if (this.hashes[id] !== h) continue;
      const term = this.terms[id] as string;
      if (term.length !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (term.charCodeAt(i) !== s.charCodeAt(start + i)) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  private insert(term: string, h: number, slot: number): number {
    const id = this.terms.length;
    this.terms.push(term);
    if (id >= this.hashes.length) {
      const hashes = new Uint32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const stop = new Uint8Array(this.stop.length * 2);
      stop.set(this.stop);
      this.stop = stop;
      const stems = new Int32Array(this.stems.length * 2).fill(-1);
      stems.set(this.stems);
      this.stems = stems;
    }
    this.hashes[id] = h;
    this.table[slot] = id;
    if (this.terms.length * 2 > this.table.length) this.rehash();
    return id;
  }

  /**
   * Keeps only the terms `keep` marks (and the stop-words), renumbered in their order, and returns
   * each old number's new one (-1: dropped). Whoever holds numbers of this dictionary must remap
   * them (see `TextUnit.remapTerms`) or drop them. A dropped term is interned again when met.
   */
  compact(keep: Uint8Array): Int32Array {
    const n = this.terms.length;
    const remap = new Int32Array(n).fill(-1);
    const terms: string[] = [];
    for (let id = 0; id < n; id++) {
      if (keep[id] !== 1 && this.stop[id] !== 1) continue;
      remap[id] = terms.length;
      terms.push(this.terms[id] as string);
    }
    let capacity = 1024;
    while (capacity < terms.length) capacity *= 2;
    const hashes = new Uint32Array(capacity);
    const stop = new Uint8Array(capacity);
    const stems = new Int32Array(capacity).fill(-1);
    for (let id = 0; id < n; id++) {
      const to = remap[id] as number;
      if (to < 0) continue;
      hashes[to] = this.hashes[id] as number;
      stop[to] = this.stop[id] as number;
      const stem = this.stems[id] as number;
      // A dropped stem is found again when next asked.
      stems[to] = stem < 0 ? -1 : (remap[stem] as number);
    }
    this.terms = terms;
    this.hashes = hashes;
    this.stop = stop;
    this.stems = stems;
    let size = 4096;
    while (terms.length * 2 > size) size *= 2;
    this.rehash(size);
    return remap;
  }

  /** The number of the Porter stem of term `id` (interned once, then read from a table). */
  stemOf(id: number): number {
    let stem = this.stems[id] as number;
    if (stem < 0) {
      stem = this.intern(porterStem(this.terms[id] as string));
      this.stems[id] = stem;
    }
    return stem;
  }

  private rehash(size = this.table.length * 2): void {
    const table = new Int32Array(size).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.terms.length; id++) {
      let slot = (this.hashes[id] as number) & mask;
      while ((table[slot] as number) >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** @internal The default dictionary: standalone units, tasks embedded without an index set. */
export const TERMS = new TermDictionary();

/**
 * The terms of a text in order, as numbers in {@link TERMS}: maximal runs of Unicode letters,
 * digits and marks, lower-cased, without stop-words and runs over 40 characters, each reduced to
 * its Porter stem ({@link porterStem}). This is minisearch's default split (on spaces and
 * punctuation) extended to symbols and tabs, done in one pass that hashes as it scans: a known
 * term costs no allocation.
 */
export function termIds(text: string, dictionary: TermDictionary = TERMS): Uint32Array {
  const s = text.toLowerCase();
  const n = s.length;
  let out = new Uint32Array(Math.min(n, 64));
  let count = 0;
  let start = -1;
  let h = FNV_OFFSET;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 32;
    if (c < 128 ? ASCII_WORD[c] === 1 : isWordChar(c)) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (start < 0) continue;
    if (i - start <= MAX_TERM_LENGTH) {
      const raw = dictionary.internSlice(s, start, i, avalanche(h));
      if (dictionary.stop[raw] !== 1) {
        const id = dictionary.stemOf(raw);
        if (count === out.length) {
          const next = new Uint32Array(out.length * 2);
          next.set(out);
          out = next;
        }
        out[count++] = id;
      }
    }
    start = -1;
  }
  return out.subarray(0, count);
}

/** The terms of a text in order, as strings (see {@link termIds}). */
export function textTerms(text: string): string[] {
  return Array.from(termIds(text), (id) => TERMS.terms[id] as string);
}
