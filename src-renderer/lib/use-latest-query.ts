// A query for inputs that change quickly (what-if controls): at most one request in flight. A
// change while one runs waits for it and then sends only the newest inputs, so dragging a slider
// costs one request per round trip, not one per step; a result for inputs that are no longer
// current is dropped. The last good result stays on screen (marked stale) while the next runs.
import { useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult } from '../../src-main/api/contract';

export interface LatestQueryState<T> {
  /** The result for the newest inputs that finished; may be older than the current inputs. */
  readonly data: T | undefined;
  /** The error for the current inputs, if they failed. */
  readonly error: ApiError | undefined;
  /** True while the shown data is not for the current inputs. */
  readonly pending: boolean;
  /** The key `data` belongs to. */
  readonly dataKey: string | undefined;
}

export function useLatestQuery<T>(key: string | undefined, run: () => Promise<ApiResult<T>>): LatestQueryState<T> {
  const [state, setState] = useState<{ data?: T; dataKey?: string; error?: ApiError; errorKey?: string }>({});
  const current = useRef<string | undefined>(key);
  current.current = key;
  const busy = useRef(false);
  const queued = useRef<{ key: string; run: () => Promise<ApiResult<T>> } | undefined>(undefined);

  useEffect(() => {
    if (key === undefined) return;
    const start = (job: { key: string; run: () => Promise<ApiResult<T>> }) => {
      busy.current = true;
      void job.run().then((result) => {
        busy.current = false;
        if (job.key === current.current) {
          setState((prev) => (result.ok ? { data: result.value, dataKey: job.key } : { ...prev, error: result.error, errorKey: job.key }));
        }
        const next = queued.current;
        queued.current = undefined;
        if (next !== undefined && next.key === current.current) start(next);
      });
    };
    const job = { key, run };
    if (busy.current) queued.current = job;
    else start(job);
    // `run` belongs to `key`: a new closure for the same key needs no new request.
  }, [key]);

  return {
    data: state.data,
    dataKey: state.dataKey,
    error: state.errorKey === key ? state.error : undefined,
    pending: key !== undefined && state.dataKey !== key && state.errorKey !== key,
  };
}
