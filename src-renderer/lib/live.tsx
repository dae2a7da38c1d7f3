// Live refresh: polls `store.changes` and publishes the store's change sequence number. Views put
// it in their query keys, so anything another process writes shows up within a second.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiError } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';

/** How often the store is asked for its change sequence (ms). */
export const POLL_MS = 400;
/** Longest the views wait for the first change sequence number before mounting anyway (ms). */
const FIRST_ANSWER_MS = 1000;

interface Live {
  /** The newest change sequence number seen; undefined until the first answer. */
  readonly seq: number | undefined;
  /** Set while the store cannot be reached. */
  readonly error: ApiError | undefined;
  /**
   * True once the first answer came (or FIRST_ANSWER_MS passed). Views mount only then: they put
   * `seq` in their query keys, and fetching before it is known fetches everything twice at start.
   */
  readonly ready: boolean;
}

const LiveContext = createContext<Live>({ seq: undefined, error: undefined, ready: true });

export function LiveProvider({ children }: { children: ReactNode }) {
  const call = useApi();
  const [live, setLive] = useState<Omit<Live, 'ready'>>({ seq: undefined, error: undefined });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const result = await call('store.changes', {});
      if (stopped) return;
      setLive((prev) =>
        result.ok
          ? prev.seq === result.value.seq && prev.error === undefined
            ? prev
            : { seq: result.value.seq, error: undefined }
          : { seq: prev.seq, error: result.error },
      );
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [call]);
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaited(true), FIRST_ANSWER_MS);
    return () => clearTimeout(timer);
  }, []);
  const ready = waited || live.seq !== undefined || live.error !== undefined;
  const value = useMemo(() => ({ ...live, ready }), [live, ready]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** The store's change sequence number and connection state. */
export function useLive(): Live {
  return useContext(LiveContext);
}
