// What became of a list of recorded calls: `turns.list` brings it for every call whose summary
// carries it, so the list paints once, with it. Calls recorded before summaries did are asked for
// (turns.calls) a chunk at a time, in list order (the rows on screen first), after the list has
// painted: main decodes each one's trace record once (up to 1 MB for a big turn), so a list of
// 1,000 such turns never waits on one long request, and a request for another view waits behind
// at most one chunk of records to decode.
import { useEffect, useMemo, useState } from 'react';
import type { CallFactsView } from '../../src-main/api/contract';
import type { ApiCall } from '../api/client';

/**
 * Calls asked for by the first request (about a screenful), then by the next; a chunk answered
 * quickly (summaries, or records main had decoded already) doubles the next, up to MAX_CHUNK (a
 * quick first chunk: MAX_CHUNK at once).
 */
const FIRST_CHUNK = 40;
const CHUNK = 100;
const MAX_CHUNK = 1000;
const QUICK_MS = 100;
/** Longest time facts that arrived wait before they are shown. */
const COMMIT_MS = 1000;

export interface CallFactsState {
  readonly facts: Readonly<Record<string, CallFactsView>>;
  /** True until every call of the list was asked for. */
  readonly loading: boolean;
  readonly error: string | undefined;
}

/**
 * Facts of `ids` (oldest first, as listed) of `session`: those `listed` with the turns (read from
 * their summaries), and the others asked for, reloaded when `key` changes (a store change).
 */
export function useCallFacts(
  call: ApiCall,
  session: string | undefined,
  ids: readonly string[],
  key: string,
  listed: Readonly<Record<string, CallFactsView>> | undefined,
): CallFactsState {
  // Facts of an earlier key stay (they rarely change) while the new ones load.
  const [state, setState] = useState<{
    key: string;
    done: boolean;
    facts: Readonly<Record<string, CallFactsView>>;
    error: string | undefined;
  }>({ key: '', done: true, facts: {}, error: undefined });
  useEffect(() => {
    let cancelled = false;
    const missing = ids.filter((id) => listed?.[id] === undefined);
    const load = async () => {
      // Each update re-lays out the whole table (about 100-250 ms at 1,000 rows): a slow first
      // chunk (records to decode) is shown at once, the rest at most every COMMIT_MS and at the
      // end. A quick first chunk (main read summaries) is followed by all the rest in one request,
      // and everything is shown in one update.
      let pending: Record<string, CallFactsView> = {};
      let committed = performance.now();
      let size = CHUNK;
      for (let i = 0; i < missing.length && !cancelled;) {
        const end = i + (i === 0 ? FIRST_CHUNK : size);
        const asked = performance.now();
        const result = await call('turns.calls', {
          callIds: missing.slice(i, end),
          ...(session === undefined ? {} : { session }),
        });
        const quick = performance.now() - asked < QUICK_MS;
        size = !quick ? CHUNK : i === 0 ? MAX_CHUNK : Math.min(MAX_CHUNK, size * 2);
        if (cancelled) return;
        if (!result.ok) {
          const error = result.error.message;
          setState((prev) => ({
            ...prev,
            key,
            done: true,
            error,
            facts: { ...prev.facts, ...pending },
          }));
          return;
        }
        pending = { ...pending, ...result.value.calls };
        const done = end >= missing.length;
        if ((i === 0 && !quick) || done || performance.now() - committed > COMMIT_MS) {
          const add = pending;
          pending = {};
          committed = performance.now();
          setState((prev) => ({ key, done, facts: { ...prev.facts, ...add }, error: undefined }));
        }
        i = end;
      }
    };
    // After the list's first paint: the rows come first, their facts after.
    const timer = missing.length === 0 ? undefined : setTimeout(() => void load(), 0);
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // `ids` and `listed` are read through `key`, which names the list and the store change.
  }, [call, key]);
  // The listed facts are the newer where both have a call (an output recorded since).
  const facts = useMemo(
    () => (listed === undefined ? state.facts : { ...state.facts, ...listed }),
    [state.facts, listed],
  );
  const asks = ids.some((id) => listed?.[id] === undefined);
  // Loading is derived, not set when a key arrives: setting it would render every row once more.
  return {
    facts,
    loading: asks && (state.key !== key || !state.done),
    error: state.key === key ? state.error : undefined,
  };
}
