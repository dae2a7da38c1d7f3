import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextUnit } from './text-index';
import { bm25Search, lexicalSearch } from './text-search';
import { termIds } from './text-terms';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'kappa', 'sigma', 'zeta'];
const PARAMS = { k1: 1.2, b: 0.75, d: 0.5 };

type Op =
  { add: number; words: number[] } | { remove: number } | { compact: true } | { roundTrip: true };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      add: fc.integer({ min: 0, max: 30 }),
      words: fc.array(fc.integer({ min: 0, max: WORDS.length - 1 }), {
        minLength: 1,
        maxLength: 8,
      }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ remove: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.constant({ compact: true as const }) },
  { weight: 1, arbitrary: fc.constant({ roundTrip: true as const }) },
);

const idOf = (i: number) => i.toString(16).padStart(32, '0');
const textOf = (words: readonly number[]) => words.map((w) => WORDS[w] as string).join(' ');

describe('TextUnit (property)', () => {
  it('answers like an index built from scratch over the live blocks, whatever the history', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: WORDS.length - 1 }), { minLength: 1, maxLength: 4 }),
        (ops, task) => {
          let unit = new TextUnit();
          const live = new Map<number, number[]>();
          for (const o of ops) {
            if ('add' in o) {
              if (!live.has(o.add)) {
                unit.add(idOf(o.add), termIds(textOf(o.words)));
                live.set(o.add, o.words);
              }
            } else if ('remove' in o) {
              unit.remove(idOf(o.remove));
              live.delete(o.remove);
            } else if ('compact' in o) {
              unit.compact();
            } else {
              unit = TextUnit.decode(unit.encode()).unit;
            }
          }
          // The reference adds live blocks in id order: arrival order must not matter.
          const fresh = new TextUnit();
          for (const [i, words] of [...live].sort(([a], [b]) => a - b))
            fresh.add(idOf(i), termIds(textOf(words)));
          const terms = termIds(textOf(task));
          const got = bm25Search([unit], terms, 10, PARAMS);
          const want = bm25Search([fresh], terms, 10, PARAMS);
          // Identical, not just close: the same terms are summed in the same order.
          expect(got).toEqual(want);
          expect(lexicalSearch([unit], terms, 10)).toEqual(lexicalSearch([fresh], terms, 10));
          expect(unit.live).toBe(live.size);
        },
      ),
      { numRuns: 300 },
    );
  });
});
