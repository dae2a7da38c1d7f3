import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { TextUnit } from './text-index';
import { bm25Search, lexicalSearch } from './text-search';
import { termIds } from './text-terms';

const WORDS = ['fox', 'dog', 'docker', 'logs', 'revenue', 'brown', 'quick', 'bread', 'deploy'];
const PARAMS = { k1: 1.2, b: 0.75, d: 0.5 };
const TIGHT = { maxTerms: 3, maxPostings: 40, maxCandidates: 5 };
const idOf = (i: number) => i.toString(16).padStart(32, '0') as BlockId;
const textOf = (words: readonly number[]) => words.map((w) => WORDS[w]).join(' ');

/** Everything the retrievers read of a unit, for a task. */
function answers(unit: TextUnit, task: string) {
  const terms = termIds(task);
  return {
    live: unit.live,
    totalLen: unit.totalLen,
    df: Array.from(terms, (t) => unit.docFreq(t)),
    bm25: bm25Search([unit], terms, 10, PARAMS),
    tight: bm25Search([unit], terms, 3, PARAMS, TIGHT),
    lexical: lexicalSearch([unit], terms, 10),
    // A replayed call: the unit as it was without the even-numbered blocks.
    snapshot: bm25Search(
      [unit.snapshot((id) => Number.parseInt(id, 16) % 2 === 1)],
      terms,
      10,
      PARAMS,
    ),
  };
}

const ops = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.nat(60).map((remove) => ({ remove })) },
  ),
  { maxLength: 60 },
);

function build(steps: readonly (number[] | { remove: number })[]): TextUnit {
  const unit = new TextUnit();
  let next = 0;
  for (const step of steps) {
    if (Array.isArray(step)) unit.add(idOf(next++), termIds(textOf(step)));
    else unit.remove(idOf(step.remove));
  }
  return unit;
}

describe('TextUnit.slice and TextUnit.merge', () => {
  it('merged slices answer exactly as the unit they were cut from (property)', () => {
    fc.assert(
      fc.property(
        ops,
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.nat(WORDS.length - 1), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('units', 'decoded', 'blobs', 'ranges'),
        (steps, cutSeeds, task, form) => {
          const unit = build(steps);
          const cuts = [...new Set(cutSeeds.map((c) => c % (unit.slots + 1)))].sort(
            (a, b) => a - b,
          );
          const bounds = [0, ...cuts, unit.slots];
          const slices = bounds.slice(1).map((hi, i) => unit.slice(bounds[i] as number, hi));
          // Persisted segments are merged from their blobs, read in place or decoded first; the
          // head stays a unit.
          const parts = slices.map((p, i) =>
            form === 'units' || i === slices.length - 1
              ? p
              : form === 'decoded'
                ? TextUnit.decode(p.encode()).unit
                : form === 'blobs'
                  ? p.encode()
                  : unit.encodeRange(bounds[i] as number, bounds[i + 1] as number),
          );
          slices.forEach((p, i) =>
            expect(unit.encodeRange(bounds[i] as number, bounds[i + 1] as number)).toEqual(
              p.encode(),
            ),
          );
          const merged = TextUnit.merge(parts);
          expect(merged.slots).toBe(unit.slots);
          expect(answers(merged, textOf(task))).toEqual(answers(unit, textOf(task)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a slice counts only its own live blocks and keeps taking new ones', () => {
    const unit = new TextUnit();
    unit.add(idOf(1), termIds('docker logs'));
    unit.add(idOf(2), termIds('docker fox'));
    unit.add(idOf(3), termIds('brown fox'));
    unit.remove(idOf(2));
    const tail = unit.slice(1, 3);
    expect(tail.slots).toBe(2);
    expect(tail.live).toBe(1);
    expect(tail.docFreq(termIds('fox')[0] as number)).toBe(1);
    expect(tail.docFreq(termIds('logs')[0] as number)).toBe(0);
    expect(tail.liveIn(0, 2)).toBe(1);
    expect(tail.idRangeIn(0, 2)).toEqual([idOf(3), idOf(3)]);
    tail.add(idOf(4), termIds('fox again'));
    expect(bm25Search([tail], termIds('fox'), 10, PARAMS).map((r) => r.id)).toEqual([
      idOf(4),
      idOf(3),
    ]);
  });
});
