// The pace of live refresh: poll every POLL_MS while the server answers; after a failure wait
// FIRST_RETRY_MS, doubling with each failure in a row up to MAX_RETRY_MS, so a tab left open on a
// stopped server does not hammer it (it sent hundreds of requests a minute); back to POLL_MS at the
// first answer.

/** How often the store is asked for its change sequence while the server answers (ms). */
export const POLL_MS = 400;
/** The wait after the first failed poll (ms); it doubles with each failure in a row. */
export const FIRST_RETRY_MS = 1000;
/** The longest wait between two failed polls (ms). */
export const MAX_RETRY_MS = 30_000;

/** The wait before the next poll after `failures` failed polls in a row. */
export function pollDelay(failures: number): number {
  if (failures <= 0) return POLL_MS;
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(failures - 1, 30));
}

export interface Poller {
  /** Polls at once (a "Retry now"), cancelling the wait under way. */
  now(): void;
  /** Stops polling; a poll in flight is ignored. */
  stop(): void;
}

/**
 * Calls `poll` (resolving true when the server answered) at once, then again after each result at
 * the pace of {@link pollDelay}. `onWait` hears each wait before it starts, with the failures in a
 * row so far. One poll is in flight at a time.
 */
export function startPoller(
  poll: () => Promise<boolean>,
  onWait: (delayMs: number, failures: number) => void,
): Poller {
  let stopped = false;
  let inFlight = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    timer = undefined;
    inFlight = true;
    let answered = false;
    try {
      answered = await poll();
    } catch {
      answered = false;
    }
    inFlight = false;
    if (stopped) return;
    failures = answered ? 0 : failures + 1;
    const delay = pollDelay(failures);
    onWait(delay, failures);
    timer = setTimeout(() => void tick(), delay);
  };
  void tick();
  return {
    now: () => {
      if (stopped || inFlight) return;
      if (timer !== undefined) clearTimeout(timer);
      void tick();
    },
    stop: () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
