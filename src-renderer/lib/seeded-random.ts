// A seeded pseudo-random source for the Graph view's layout. fcose (and cose-base under it) draw
// from Math.random: its spectral draft samples nodes at random and starts from random vectors, so
// the same graph came out in a different shape each time it was opened. The layout runs
// synchronously, so swapping Math.random for the length of one call is safe.

/** Mulberry32: a small, fast 32-bit generator; the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `run` with Math.random drawing from a generator seeded with `seed`, and puts Math.random
 * back afterwards (also when `run` throws). `run` must be synchronous.
 */
export function withSeededRandom<T>(seed: number, run: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return run();
  } finally {
    Math.random = original;
  }
}
