// Loads what became of a list of recorded calls (turns.calls), newest first and a chunk at a time:
// main decodes each call's trace record once (up to 1 MB for a big turn), so the rows on screen
// fill in while the rest load, and a list of 1,000 turns never waits on one long request.
import { useEffect, useState } from 'react';
import type { CallFactsView } from '../../src-main/api/contract';
import type { ApiCall } from '../api/client';

/** Calls asked for per request. */
const CHUNK = 100;

export interface CallFactsState {
  readonly facts: Readonly<Record<string, CallFactsView>>;
  /** True until every call of the list was asked for. */
  readonly loading: boolean;
  readonly error: string | undefined;
}

/** Facts of `ids` (oldest first, as listed), reloaded when `key` changes (a store change). */
export function useCallFacts(call: ApiCall, ids: readonly string[], key: string): CallFactsState {
  const [state, setState] = useState<CallFactsState & { key: string }>({ facts: {}, loading: ids.length > 0, error: undefined, key });
  useEffect(() => {
    let cancelled = false;
    // A refresh keeps the facts on screen (they rarely change) while the new ones load.
    setState((prev) => ({ facts: prev.facts, loading: ids.length > 0, error: undefined, key }));
    void (async () => {
      const newestFirst = [...ids].reverse();
      for (let i = 0; i < newestFirst.length && !cancelled; i += CHUNK) {
        const result = await call('turns.calls', { callIds: newestFirst.slice(i, i + CHUNK) });
        if (cancelled) return;
        if (!result.ok) {
          setState((prev) => ({ ...prev, loading: false, error: result.error.message }));
          return;
        }
        const last = i + CHUNK >= newestFirst.length;
        setState((prev) => ({ ...prev, facts: { ...prev.facts, ...result.value.calls }, loading: !last }));
      }
    })();
    return () => {
      cancelled = true;
    };
    // `ids` is read through `key`, which names the list and the store change.
  }, [call, key]);
  return { facts: state.facts, loading: state.loading, error: state.error };
}
