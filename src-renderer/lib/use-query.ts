// Loads one API result for the current inputs. Results of an older request never overwrite a newer
// one. With the same `family` (e.g. a live refresh of the same selection) the previous data stays on
// screen while the new one loads, so a refresh never flashes a loading state.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, ApiResult } from '../../src-main/api/contract';

export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  /** True while a request for the current key is outstanding. */
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useQuery<T>(
  key: string | undefined,
  run: () => Promise<ApiResult<T>>,
  family: string = key ?? '',
): QueryState<T> {
  const [state, setState] = useState<{
    key?: string;
    family?: string;
    data?: T;
    error?: ApiError;
    loading: boolean;
  }>({ loading: key !== undefined });
  const latest = useRef(0);
  const runRef = useRef(run);
  runRef.current = run;
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (key === undefined) {
      setState({ loading: false });
      return;
    }
    const id = ++latest.current;
    setState((prev) =>
      prev.family === family ? { ...prev, key, loading: true } : { key, family, loading: true },
    );
    void runRef.current().then((result) => {
      if (id !== latest.current) return;
      setState(
        result.ok
          ? { key, family, data: result.value, loading: false }
          : { key, family, error: result.error, loading: false },
      );
    });
  }, [key, family, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
