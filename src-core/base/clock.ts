/** Source of the current time in ms since the epoch; injected so tests and replay are deterministic. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that returns `start`, then advances by `stepMs` on every call. */
export function fixedClock(start: number, stepMs = 0): Clock {
  let t = start;
  return {
    now() {
      const v = t;
      t += stepMs;
      return v;
    },
  };
}
