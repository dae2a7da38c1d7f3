// Whether an omitted candidate can ever fit its section under a plan's fractions and budget, and
// what would let it. The pager splits what is left of the budget after the task, required and
// System blocks (the rest) by fraction: a section's allocation is floor(rest x fraction). Weights
// and switches only reorder who competes for that allocation, so a candidate needing more tokens
// than the section can hold never gets in however it scores. With spill, unused budget of the other
// sections can flow in, but never more than they were allotted: the ceiling is then the sum of
// every section's allocation. Pure: computed from the plan's own numbers.
import type { FillSection } from '../../src-main/api/contract';

/** The fraction step the what-if sliders move in; suggestions are multiples of it. */
export const FRACTION_STEP = 0.01;

export interface SectionFitInput {
  /** Tokens the candidate needed (with the blocks it travels with), as the plan recorded. */
  readonly tokens: number;
  readonly section: FillSection;
  /** The fractions the plan ran with. */
  readonly fractions: Readonly<Record<FillSection, number>>;
  /** Each fill section's allocation in the plan. */
  readonly allocated: Readonly<Partial<Record<FillSection, number>>>;
  /** The plan's input budget. */
  readonly budget: number;
  readonly spill: boolean;
  /**
   * Tokens its section had taken before its turn came (allocation less the tokens left then; the
   * fill order does not depend on fractions, so the same blocks come first at any fraction).
   * Counted without spill only; default 0.
   */
  readonly ahead?: number | undefined;
}

/** A candidate that cannot fit its section under the plan's fractions and budget. */
export interface NeverFits {
  readonly tokens: number;
  readonly section: FillSection;
  /** The most its section can hold: its allocation, or with spill every section's allocation together. */
  readonly capacity: number;
  /** The budget left to split by fraction (input budget minus task, required and System blocks). */
  readonly rest: number;
  /** Tokens taken before its turn, which it must fit beside. */
  readonly ahead: number;
  /**
   * The smallest fraction of the section (a multiple of {@link FRACTION_STEP}) that would let it in
   * beside what was taken before its turn; null when no fraction can.
   */
  readonly fraction: number | null;
  /** The fractions' sum with {@link fraction} in place: over 1 means other sections must give way. */
  readonly sumAfter: number | null;
  /** When the sum would pass 1: the section with the largest fraction, lowered by the excess (null when none can give that much). */
  readonly lower: { readonly section: FillSection; readonly fraction: number } | null;
  /** The smallest input budget that would let it in at the current fractions; null when no budget helps (the section's fraction is 0, and without spill). */
  readonly budget: number | null;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
const allocation = (rest: number, fraction: number) => Math.floor(rest * fraction);

/**
 * The rest the allocations were split from: the smallest whole number r with
 * floor(r x f) = allocated for every section with a fraction above 0 (floats rounded as the pager
 * rounds them); the largest lower bound when no whole number agrees with all. Undefined when no
 * section has a fraction above 0.
 */
export function restOf(
  allocated: Readonly<Partial<Record<FillSection, number>>>,
  fractions: Readonly<Record<FillSection, number>>,
): number | undefined {
  const known = (Object.keys(fractions) as FillSection[]).filter(
    (s) => fractions[s] > 0 && allocated[s] !== undefined,
  );
  if (known.length === 0) return undefined;
  let low = 0;
  let high = Infinity;
  for (const s of known) {
    const a = allocated[s] as number;
    const f = fractions[s];
    low = Math.max(low, Math.ceil(round(a / f)));
    high = Math.min(high, Math.ceil(round((a + 1) / f)) - 1);
  }
  for (let r = Math.max(0, low - 1); r <= Math.min(high + 1, low + 1000); r++) {
    if (known.every((s) => allocation(r, fractions[s]) === allocated[s])) return r;
  }
  return low;
}

function capacityOf(
  rest: number,
  fractions: Readonly<Record<FillSection, number>>,
  section: FillSection,
  fraction: number,
  spill: boolean,
): number {
  if (!spill) return allocation(rest, fraction);
  let total = 0;
  for (const s of Object.keys(fractions) as FillSection[])
    total += allocation(rest, s === section ? fraction : fractions[s]);
  return total;
}

/**
 * Undefined when the candidate fits what its section can hold; otherwise how far off it is: the
 * section's capacity, the smallest fraction of that section that would let it in beside what came
 * before it (and which section would give way when the fractions would sum over 1), and the
 * smallest budget that would at the current fractions.
 */
export function neverFits(input: SectionFitInput): NeverFits | undefined {
  const { tokens, section, fractions, allocated, budget, spill } = input;
  const ahead = spill ? 0 : Math.max(0, input.ahead ?? 0);
  const wanted = tokens + ahead;
  const rest = restOf(allocated, fractions);
  if (rest === undefined) return undefined;
  const current = fractions[section];
  const capacity = capacityOf(rest, fractions, section, current, spill);
  if (tokens <= capacity) return undefined;

  const others = round(
    Object.entries(fractions).reduce((n, [s, f]) => (s === section ? n : n + f), 0),
  );
  let fraction: number | null = null;
  for (
    let k = Math.max(0, Math.floor(current / FRACTION_STEP));
    k * FRACTION_STEP <= 1 + 1e-9;
    k++
  ) {
    const f = round(k * FRACTION_STEP);
    // With spill the others' allocations count too: lowering them to make room gains nothing.
    if (spill && others + f > 1 + 1e-9) break;
    if (capacityOf(rest, fractions, section, f, spill) >= wanted) {
      fraction = f;
      break;
    }
  }

  // The fixed charges stay when the budget grows: only the rest does.
  const fixed = budget - rest;
  let needed: number | null = null;
  const share = spill ? Object.values(fractions).reduce((a, b) => a + b, 0) : current;
  if (share > 0) {
    let r = Math.max(rest, Math.floor(wanted / share) - 2);
    while (capacityOf(r, fractions, section, current, spill) < wanted) r++;
    needed = fixed + r;
  }
  const sumAfter = fraction === null ? null : round(others + fraction);
  let lower: NeverFits['lower'] = null;
  if (sumAfter !== null && sumAfter > 1 + 1e-9) {
    const [giver] = (Object.keys(fractions) as FillSection[])
      .filter((s) => s !== section)
      .sort((a, b) => fractions[b] - fractions[a]);
    const excess = round(sumAfter - 1);
    if (giver !== undefined && fractions[giver] - excess >= 0)
      lower = { section: giver, fraction: round(fractions[giver] - excess) };
  }
  return { tokens, section, capacity, rest, ahead, fraction, sumAfter, lower, budget: needed };
}
