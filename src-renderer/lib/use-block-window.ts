// The rows of a (possibly huge) filtered block list, loaded in pages by offset as the virtual list
// asks for them. A new filter starts over; a store change (or a retry) reloads the pages on screen
// while their old rows stay visible, so a live refresh never blanks the list.
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ApiError,
  ApiInput,
  ApiResult,
  BlockKind,
  BlockPage,
  BlockSummary,
  Section,
} from '../../src-main/api/contract';
import type { ApiCall } from '../api/client';

export const PAGE_SIZE = 200;

/** The filters of the Blocks view, as `blocks.list` takes them (empty values mean no filter). */
export interface BlockListFilters {
  readonly kinds: readonly BlockKind[];
  readonly sections: readonly Section[];
  readonly label: string;
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly search: string;
}

/**
 * Where the pages come from: `blocks.list` by default, or another method taking the same request
 * (the store as of a turn). `key` names it: a new key starts over like a new filter.
 */
export interface BlockSource {
  readonly key: string;
  readonly list: (
    request: ApiInput<'blocks.list'> & { offset: number },
  ) => Promise<ApiResult<BlockPage>>;
}

export interface BlockWindow {
  /** Rows matching the filter; undefined until the first page answers. */
  readonly total: number | undefined;
  readonly row: (index: number) => BlockSummary | undefined;
  /** Asks for the pages covering rows [start, end]. */
  readonly ensure: (start: number, end: number) => void;
  readonly error: ApiError | undefined;
  readonly reload: () => void;
}

interface Page {
  readonly generation: string;
  readonly items: readonly BlockSummary[];
}

interface WindowState {
  readonly filter: string;
  readonly total: number | undefined;
  readonly pages: ReadonlyMap<number, Page>;
  readonly error: ApiError | undefined;
}

export function useBlockWindow(
  call: ApiCall,
  session: string | undefined,
  filters: BlockListFilters,
  seq: number | undefined,
  source?: BlockSource,
): BlockWindow {
  const { kinds, sections, label, from, to, search } = filters;
  const filter = JSON.stringify([
    session,
    kinds,
    sections,
    label,
    from ?? null,
    to ?? null,
    search,
    source?.key ?? null,
  ]);
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const [attempt, setAttempt] = useState(0);
  const generation = `${filter}|${seq ?? ''}|${attempt}`;
  const [state, setState] = useState<WindowState>({
    filter,
    total: undefined,
    pages: new Map(),
    error: undefined,
  });
  const live = useRef({
    generation,
    filter,
    state,
    wanted: [0, PAGE_SIZE - 1] as [number, number],
  });
  live.current.generation = generation;
  live.current.filter = filter;
  live.current.state = state;
  const inFlight = useRef(new Set<string>());

  const load = useCallback(
    (page: number) => {
      const { generation: gen, filter: f } = live.current;
      if (session === undefined || inFlight.current.has(`${gen}#${page}`)) return;
      inFlight.current.add(`${gen}#${page}`);
      const request = {
        session,
        limit: PAGE_SIZE,
        offset: page * PAGE_SIZE,
        ...(kinds.length === 0 ? {} : { kinds: [...kinds] }),
        ...(sections.length === 0 ? {} : { sections: [...sections] }),
        ...(label === '' ? {} : { label }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        ...(search === '' ? {} : { search }),
      };
      const list = sourceRef.current?.list ?? ((r: typeof request) => call('blocks.list', r));
      void list(request).then((result) => {
        inFlight.current.delete(`${gen}#${page}`);
        if (live.current.filter !== f) return;
        setState((prev) => {
          const base =
            prev.filter === f
              ? prev
              : { filter: f, total: undefined, pages: new Map<number, Page>(), error: undefined };
          if (!result.ok) return { ...base, error: result.error };
          const pages = new Map(base.pages);
          pages.set(page, { generation: gen, items: result.value.items });
          return { filter: f, total: result.value.total, pages, error: undefined };
        });
      });
    },
    // Every filter is part of `filter`.
    [call, session, filter],
  );

  const ensure = useCallback(
    (start: number, end: number) => {
      live.current.wanted = [start, end];
      const { state: s, generation: gen, filter: f } = live.current;
      for (
        let p = Math.floor(Math.max(0, start) / PAGE_SIZE);
        p <= Math.floor(Math.max(0, end) / PAGE_SIZE);
        p++
      ) {
        const page = s.filter === f ? s.pages.get(p) : undefined;
        if (page === undefined || page.generation !== gen) load(p);
      }
    },
    [load],
  );

  // A new filter, store change or retry: fetch what is on screen again.
  useEffect(() => {
    if (state.filter !== filter)
      setState({ filter, total: undefined, pages: new Map(), error: undefined });
    const [start, end] = live.current.wanted;
    ensure(state.filter !== filter ? 0 : start, state.filter !== filter ? PAGE_SIZE - 1 : end);
  }, [generation]); // Only a new generation refetches; ensure reads the rest through `live`.

  const current = state.filter === filter;
  return {
    total: current ? state.total : undefined,
    row: (index) =>
      current
        ? state.pages.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE]
        : undefined,
    ensure,
    error: current ? state.error : undefined,
    reload: () => setAttempt((n) => n + 1),
  };
}
