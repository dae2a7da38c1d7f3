import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FillSection } from '../../src-main/api/contract';
import { neverFits, restOf } from './section-fit';

const DEFAULTS: Record<FillSection, number> = {
  state: 0.1,
  plan: 0.05,
  retrieved: 0.55,
  tools: 0.1,
  recent: 0.1,
  background: 0.05,
};
const split = (rest: number, fractions: Record<FillSection, number>) =>
  Object.fromEntries(
    Object.entries(fractions).map(([s, f]) => [s, Math.floor(rest * f)]),
  ) as Record<FillSection, number>;
const FIXED = 70;

describe('restOf', () => {
  it('recovers the budget split by fraction from the floored allocations', () => {
    expect(restOf(split(430, DEFAULTS), DEFAULTS)).toBe(430);
  });

  it('is undefined when no section has a fraction', () => {
    expect(
      restOf(
        {},
        { ...DEFAULTS, state: 0, plan: 0, retrieved: 0, tools: 0, recent: 0, background: 0 },
      ),
    ).toBeUndefined();
  });

  it('gives a rest whose split is the plan’s, for any rest and fractions', () => {
    const fraction = fc.integer({ min: 0, max: 30 }).map((k) => k / 100);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }),
        fc.record({
          state: fraction,
          plan: fraction,
          retrieved: fraction,
          tools: fraction,
          recent: fraction,
          background: fraction,
        }),
        (rest, fractions) => {
          const allocated = split(rest, fractions);
          const found = restOf(allocated, fractions);
          if (Object.values(fractions).every((f) => f === 0)) return found === undefined;
          return (
            found !== undefined &&
            JSON.stringify(split(found, fractions)) === JSON.stringify(allocated)
          );
        },
      ),
    );
  });
});

describe('neverFits', () => {
  const input = (tokens: number, section: FillSection, spill = false, fractions = DEFAULTS) => ({
    tokens,
    section,
    fractions,
    allocated: split(430, fractions),
    budget: FIXED + 430,
    spill,
  });

  it('says nothing of a candidate its section could hold', () => {
    expect(neverFits(input(21, 'background'))).toBeUndefined();
  });

  it('without spill, a 32-token chunk can never fit a 21-token Background: 0.08 or a budget of 710 would hold it', () => {
    expect(neverFits(input(32, 'background'))).toEqual({
      tokens: 32,
      section: 'background',
      capacity: 21,
      rest: 430,
      ahead: 0,
      fraction: 0.08,
      sumAfter: 0.98,
      lower: null,
      budget: FIXED + 640,
    });
  });

  it('the fraction and budget make room beside what the section took before its turn', () => {
    // 10 tokens were taken ahead of it: 42 are needed, 0.10 holds 43.
    const found = neverFits({ ...input(32, 'background'), ahead: 10 });
    expect(found).toMatchObject({
      capacity: 21,
      ahead: 10,
      fraction: 0.1,
      sumAfter: 1,
      lower: null,
      budget: FIXED + 840,
    });
  });

  it('the suggested fraction is the smallest step that holds it, and may ask the others to give way', () => {
    const found = neverFits(input(300, 'retrieved'));
    expect(found?.fraction).toBe(0.7);
    expect(Math.floor(430 * 0.69)).toBeLessThan(300);
    expect(found?.sumAfter).toBe(1.1);
    // The largest other fraction gives way: State (0.10, tied with Tools and Recent) by 0.1.
    expect(found?.lower).toEqual({ section: 'state', fraction: 0 });
  });

  it('when the sum would pass 1, the largest other fraction gives way', () => {
    const found = neverFits({ ...input(32, 'background'), ahead: 30 });
    expect(found).toMatchObject({
      fraction: 0.15,
      sumAfter: 1.05,
      lower: { section: 'retrieved', fraction: 0.5 },
    });
  });

  it('a candidate needing more than the whole rest fits no fraction, only a larger budget', () => {
    const found = neverFits(input(500, 'retrieved'));
    expect(found?.fraction).toBeNull();
    expect(found?.budget).toBe(FIXED + 910);
    expect(Math.floor(909 * 0.55)).toBeLessThan(500);
  });

  it('a section at fraction 0 has a fraction to suggest but no budget that helps', () => {
    const fractions = { ...DEFAULTS, plan: 0 };
    const found = neverFits(input(10, 'plan', false, fractions));
    expect(found).toMatchObject({ capacity: 0, fraction: 0.03, budget: null });
  });

  it('with spill the section can take what the others were allotted: only more than all of it never fits', () => {
    expect(neverFits(input(400, 'background', true))).toBeUndefined();
    const found = neverFits(input(420, 'background', true));
    expect(found?.capacity).toBe(407);
    // Raising Background to 0.08 (sum 0.98) adds 13 tokens to what can be spilled around.
    expect(found?.fraction).toBe(0.08);
    expect(neverFits(input(480, 'background', true))?.fraction).toBeNull();
  });
});
