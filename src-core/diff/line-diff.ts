// Histogram diff (the algorithm of JGit and `git diff --histogram`) over interned lines.
//
// Why not jsdiff's `diffLines`: it is Myers' O(ND) diff, so two unrelated 500 KB prompts take
// about 48 s and a prompt with its halves swapped about 9 s (measured, diff@9.0.0). Histogram diff
// anchors on the rarest common lines and recurses around the longest common run it finds, which
// is close to linear on prompts; unrelated inputs cost one pass. A range whose common lines are
// all very frequent (more than MAX_CHAIN times) falls back to Myers when small, and is otherwise
// split in half (each half then has fewer repeats, so anchors reappear). Every step keeps matches
// increasing, so the output is always a valid, complete diff (minimal except in such ranges) at
// any size, and the time stays near linear.

/** The longest chain of occurrences of one line that anchors a match (JGit's default). */
const MAX_CHAIN = 64;
/** Largest range (lines of a plus b) diffed by Myers; bigger anchorless ranges are split. */
const MYERS_MAX_LINES = 2000;

/**
 * For two sequences of line ids, the matched index of each `a` line in `b` (-1 when deleted).
 * Matches increase strictly in both sequences, so they describe a valid edit script.
 */
export function matchLines(a: Int32Array, b: Int32Array, distinct: number): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  const count = new Int32Array(distinct);
  const head = new Int32Array(distinct).fill(-1);
  const next = new Int32Array(a.length);
  // An explicit stack of ranges: recursion depth can reach the number of anchors.
  const stack: number[] = [0, a.length, 0, b.length];
  while (stack.length > 0) {
    let bEnd = stack.pop() as number;
    let bStart = stack.pop() as number;
    let aEnd = stack.pop() as number;
    let aStart = stack.pop() as number;
    while (aStart < aEnd && bStart < bEnd && a[aStart] === b[bStart]) match[aStart++] = bStart++;
    while (aStart < aEnd && bStart < bEnd && a[aEnd - 1] === b[bEnd - 1]) match[--aEnd] = --bEnd;
    if (aStart === aEnd || bStart === bEnd) continue;

    // Index the `a` range: occurrence counts and chains of positions, nearest first.
    for (let i = aEnd - 1; i >= aStart; i--) {
      const id = a[i] as number;
      next[i] = head[id] as number;
      head[id] = i;
      count[id] = (count[id] as number) + 1;
    }
    let bestAs = -1;
    let bestAe = -1;
    let bestBs = -1;
    let bestBe = -1;
    let bestCount = MAX_CHAIN + 1;
    let common = false;
    for (let j = bStart; j < bEnd;) {
      const id = b[j] as number;
      const c = count[id] as number;
      let nextJ = j + 1;
      if (c > 0) common = true;
      if (c > 0 && c <= bestCount) {
        for (let i = head[id] as number; i !== -1; i = next[i] as number) {
          let as = i;
          let bs = j;
          let ae = i + 1;
          let be = j + 1;
          let rc = c;
          while (as > aStart && bs > bStart && a[as - 1] === b[bs - 1]) {
            as--;
            bs--;
            rc = Math.min(rc, count[a[as] as number] as number);
          }
          while (ae < aEnd && be < bEnd && a[ae] === b[be]) {
            rc = Math.min(rc, count[a[ae] as number] as number);
            ae++;
            be++;
          }
          if (ae - as > bestAe - bestAs || rc < bestCount) {
            bestAs = as;
            bestAe = ae;
            bestBs = bs;
            bestBe = be;
            bestCount = rc;
          }
          if (be > nextJ) nextJ = be;
        }
      }
      j = nextJ;
    }
    for (let i = aStart; i < aEnd; i++) {
      const id = a[i] as number;
      head[id] = -1;
      count[id] = 0;
    }

    if (bestAs >= 0) {
      for (let i = bestAs; i < bestAe; i++) match[i] = bestBs + (i - bestAs);
      stack.push(bestAe, aEnd, bestBe, bEnd, aStart, bestAs, bStart, bestBs);
    } else if (common && aEnd - aStart + (bEnd - bStart) <= MYERS_MAX_LINES) {
      myers(a, aStart, aEnd, b, bStart, bEnd, match);
    } else if (common) {
      const aMid = aStart + ((aEnd - aStart) >> 1);
      const bMid = bStart + ((bEnd - bStart) >> 1);
      stack.push(aMid, aEnd, bMid, bEnd, aStart, aMid, bStart, bMid);
    }
  }
  return match;
}

/** Myers' greedy O(ND) diff of one small range, keeping the furthest-reaching frontier of every edit step. */
function myers(
  a: Int32Array,
  aStart: number,
  aEnd: number,
  b: Int32Array,
  bStart: number,
  bEnd: number,
  match: Int32Array,
): void {
  const n = aEnd - aStart;
  const m = bEnd - bStart;
  const maxD = n + m;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
          ? (v[offset + k + 1] as number)
          : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[aStart + x] === b[bStart + y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(offset - d - 1, offset + d + 2));
        backtrack(trace, d, n, m, aStart, bStart, match);
        return;
      }
    }
    trace.push(v.slice(offset - d - 1, offset + d + 2));
  }
}

/** Walks the frontiers back from (n, m), marking every diagonal step as a match. */
function backtrack(
  trace: readonly Int32Array[],
  dEnd: number,
  n: number,
  m: number,
  aStart: number,
  bStart: number,
  match: Int32Array,
): void {
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    // trace[d - 1] holds diagonals -d .. d (index k + d) of the frontier after d - 1 edits.
    const prev = trace[d - 1] as Int32Array;
    const at = (k: number) => prev[k + d] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    const startX = down ? prevX : prevX + 1;
    const startY = startX - k;
    for (let sx = startX, sy = startY; sx < x; sx++, sy++) match[aStart + sx] = bStart + sy;
    x = prevX;
    y = prevY;
  }
  for (let i = 0; i < x; i++) match[aStart + i] = bStart + i;
}
