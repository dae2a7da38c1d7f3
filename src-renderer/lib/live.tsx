// Live refresh: polls `store.changes` and publishes the store's change sequence number. Views put
// it in their query keys, so anything another process writes shows up within a second, and the id
// of the store the inspector shows, which changes when it switches stores. While the
// server does not answer, polls back off (./poller.ts) and the state says when the next one is.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ApiError } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { startPoller, type Poller } from './poller';

/** Longest the views wait for the first change sequence number before mounting anyway (ms). */
const FIRST_ANSWER_MS = 1000;

interface Live {
  /** The newest change sequence number seen; undefined until the first answer. */
  readonly seq: number | undefined;
  /** The id of the store the inspector shows; undefined until the first answer. */
  readonly store: string | undefined;
  /** Set while the store cannot be reached. */
  readonly error: ApiError | undefined;
  /**
   * True once the first answer came (or FIRST_ANSWER_MS passed). Views mount only then: they put
   * `seq` in their query keys, and fetching before it is known fetches everything twice at start.
   */
  readonly ready: boolean;
  /** While the store cannot be reached: the wait before the next try (ms). */
  readonly retryInMs: number | undefined;
  /** Tries again at once. */
  readonly retryNow: () => void;
}

const LiveContext = createContext<Live>({
  seq: undefined,
  store: undefined,
  error: undefined,
  ready: true,
  retryInMs: undefined,
  retryNow: () => undefined,
});

export function LiveProvider({ children }: { children: ReactNode }) {
  const call = useApi();
  const [live, setLive] = useState<{
    seq: number | undefined;
    store: string | undefined;
    error: ApiError | undefined;
    retryInMs: number | undefined;
  }>({
    seq: undefined,
    store: undefined,
    error: undefined,
    retryInMs: undefined,
  });
  const poller = useRef<Poller | undefined>(undefined);
  useEffect(() => {
    let last: ApiError | undefined;
    const running = startPoller(
      async () => {
        const result = await call('store.changes', {});
        last = result.ok ? undefined : result.error;
        if (result.ok) {
          const { seq, store } = result.value;
          setLive((prev) =>
            prev.seq === seq && prev.store === store && prev.error === undefined
              ? prev
              : { seq, store, error: undefined, retryInMs: undefined },
          );
        }
        return result.ok;
      },
      (delay, failures) => {
        if (failures > 0) setLive((prev) => ({ ...prev, error: last, retryInMs: delay }));
      },
    );
    poller.current = running;
    return () => {
      running.stop();
      poller.current = undefined;
    };
  }, [call]);
  const retryNow = useCallback(() => poller.current?.now(), []);
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaited(true), FIRST_ANSWER_MS);
    return () => clearTimeout(timer);
  }, []);
  const ready = waited || live.seq !== undefined || live.error !== undefined;
  const value = useMemo(() => ({ ...live, ready, retryNow }), [live, ready, retryNow]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** The store's change sequence number and connection state. */
export function useLive(): Live {
  return useContext(LiveContext);
}
