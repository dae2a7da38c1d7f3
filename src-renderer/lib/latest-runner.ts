// At most one request in flight, newest inputs win: a request made while one runs waits for it
// and replaces any request already waiting; a result for inputs that are no longer the newest is
// dropped. What `useLatestQuery` runs on; plain so it is tested without a DOM.

interface Job<T> {
  readonly key: string;
  readonly run: () => Promise<T>;
}

export class LatestRunner<T> {
  private busy = false;
  private waiting: Job<T> | undefined;
  private newest: string | undefined;

  /** `onResult` gets each result whose key is still the newest when it arrives. */
  constructor(private readonly onResult: (key: string, result: T) => void) {}

  /** Asks for `key`; `run` is called now, or once the request in flight settles (if still newest). */
  request(key: string, run: () => Promise<T>): void {
    this.newest = key;
    if (this.busy) this.waiting = { key, run };
    else this.start({ key, run });
  }

  private start(job: Job<T>): void {
    this.busy = true;
    const settle = (result: T | undefined, ok: boolean) => {
      this.busy = false;
      if (ok && job.key === this.newest) this.onResult(job.key, result as T);
      const next = this.waiting;
      this.waiting = undefined;
      if (next !== undefined && next.key === this.newest) this.start(next);
    };
    job.run().then(
      (result) => settle(result, true),
      () => settle(undefined, false),
    );
  }
}
