import { describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { TextUnit } from './text-index';
import { bm25Search } from './text-search';
import { STOP_WORDS, TermDictionary, termIds, termHash } from './text-terms';

const idOf = (i: number) => i.toString(16).padStart(32, '0') as BlockId;
const PARAMS = { k1: 1.2, b: 0.75, d: 0.5 };

describe('TermDictionary.compact', () => {
  it('keeps the marked terms and the stop-words, renumbered, and forgets the rest', () => {
    const dictionary = new TermDictionary();
    const kept = termIds('running dogs', dictionary);
    const dropped = termIds('invoice 4711', dictionary);
    const keep = new Uint8Array(dictionary.terms.length);
    for (const id of kept) keep[id] = 1;
    const remap = dictionary.compact(keep);
    expect(Array.from(kept, (id) => dictionary.terms[remap[id] as number])).toEqual(['run', 'dog']);
    expect(Array.from(dropped, (id) => remap[id])).toEqual([-1, -1]);
    expect(dictionary.terms).toHaveLength(STOP_WORDS.size + 2);
    for (const [i, term] of dictionary.terms.entries())
      expect(dictionary.hashes[i]).toBe(termHash(term));
    // Stop-words are still stop-words; kept terms are found again, dropped ones interned anew.
    expect(termIds('the dogs ran', dictionary)).toEqual(
      Uint32Array.from([remap[kept[1] as number] as number, dictionary.terms.indexOf('ran')]),
    );
    expect(Array.from(termIds('invoice', dictionary), (id) => dictionary.terms[id])).toEqual([
      'invoic',
    ]);
  });

  it('leaves a remapped unit answering as before, snapshots taken earlier included', () => {
    const dictionary = new TermDictionary();
    const unit = new TextUnit(dictionary);
    const docs = ['docker logs 17', 'fox and dog 18', 'docker fox 19', 'brown bread 20'];
    docs.forEach((text, i) => unit.add(idOf(i), termIds(text, dictionary)));
    termIds('many other terms nobody indexed 1 2 3', dictionary);
    const snapshot = unit.snapshot((id) => id !== idOf(2));
    const before = bm25Search([unit], termIds('docker fox', dictionary), 10, PARAMS);
    const beforeSnapshot = bm25Search([snapshot], termIds('docker fox', dictionary), 10, PARAMS);
    const keep = new Uint8Array(dictionary.terms.length);
    unit.markTerms(keep);
    const remap = dictionary.compact(keep);
    unit.remapTerms(remap);
    expect(dictionary.terms).not.toContain('nobodi');
    expect(bm25Search([unit], termIds('docker fox', dictionary), 10, PARAMS)).toEqual(before);
    expect(bm25Search([snapshot], termIds('docker fox', dictionary), 10, PARAMS)).toEqual(
      beforeSnapshot,
    );
    // Blocks added after the compaction are found with the new numbers.
    unit.add(idOf(9), termIds('docker zeppelin', dictionary));
    expect(
      bm25Search([unit], termIds('zeppelin', dictionary), 10, PARAMS).map((r) => r.id),
    ).toEqual([idOf(9)]);
    expect(TextUnit.decode(unit.encode(), new TermDictionary()).unit.live).toBe(5);
  });
});

describe('TermDictionary.internLines', () => {
  it('numbers persisted terms as intern does, known or new, ASCII or not', () => {
    const dictionary = new TermDictionary();
    const known = dictionary.intern('docker');
    const terms = ['docker', 'über', '漢字', 'log', 'docker'];
    const ids = dictionary.internLines(Buffer.from(terms.join('\n'), 'utf8'));
    expect(ids[0]).toBe(known);
    expect(ids.map((id) => dictionary.terms[id])).toEqual(terms);
    expect(ids[4]).toBe(known);
    expect(dictionary.hashes[ids[1] as number]).toBe(termHash('über'));
    expect(dictionary.internLines(Buffer.from('log', 'utf8'))).toEqual([ids[3]]);
  });
});
