// A query for inputs that change quickly (what-if controls): at most one request in flight. A
// change while one runs waits for it and then sends only the newest inputs, so dragging a slider
// costs one request per round trip, not one per step; a result for inputs that are no longer
// current is dropped (./latest-runner.ts). The last good result stays on screen (marked stale)
// while the next runs.
import { useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult } from '../../src-main/api/contract';
import { LatestRunner } from './latest-runner';

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

export function useLatestQuery<T>(
  key: string | undefined,
  run: () => Promise<ApiResult<T>>,
): LatestQueryState<T> {
  const [state, setState] = useState<{
    data?: T;
    dataKey?: string;
    error?: ApiError;
    errorKey?: string;
  }>({});
  const runner = useRef<LatestRunner<ApiResult<T>> | undefined>(undefined);
  runner.current ??= new LatestRunner<ApiResult<T>>((done, result) =>
    setState((prev) =>
      result.ok
        ? { data: result.value, dataKey: done }
        : { ...prev, error: result.error, errorKey: done },
    ),
  );

  useEffect(() => {
    // `run` belongs to `key`: a new closure for the same key needs no new request.
    if (key !== undefined) runner.current?.request(key, run);
  }, [key]);

  return {
    data: state.data,
    dataKey: state.dataKey,
    error: state.errorKey === key ? state.error : undefined,
    pending: key !== undefined && state.dataKey !== key && state.errorKey !== key,
  };
}
