import { describe, expect, it } from 'vitest';
import { mulberry32, withSeededRandom } from './seeded-random';

describe('mulberry32', () => {
  it('gives the same sequence for the same seed, in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it('gives another sequence for another seed', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });
});

describe('withSeededRandom', () => {
  it('makes Math.random repeat its draws inside, and restores it after', () => {
    const original = Math.random;
    const draw = () => [Math.random(), Math.random(), Math.random()];
    expect(withSeededRandom(42, draw)).toEqual(withSeededRandom(42, draw));
    expect(Math.random).toBe(original);
  });

  it('restores Math.random when the call throws', () => {
    const original = Math.random;
    expect(() =>
      withSeededRandom(1, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });
});
