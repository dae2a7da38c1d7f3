// Hash routing: every view and selection lives in the URL (`#/blocks?session=a&block=ID`), so a
// deep link reopens the same view. The hash leaves the page's query (web mode's ?token=) alone.
import { useCallback, useSyncExternalStore } from 'react';

export const VIEWS = [
  'store',
  'blocks',
  'turns',
  'turn',
  'page',
  'compare',
  'whatif',
  'graph',
  'asof',
] as const;
export type ViewName = (typeof VIEWS)[number];

export interface Route {
  readonly view: ViewName;
  readonly params: Readonly<Record<string, string>>;
}

/** Parses `#/view?a=1&b=2`; anything unknown is the Store view. */
export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  const view = (VIEWS as readonly string[]).includes(path) ? (path as ViewName) : 'store';
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (value !== '') params[key] = value;
  return { view, params };
}

/** The hash of a route; empty parameters are left out, the rest keep a stable order. */
export function formatHash(route: Route): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(route.params).sort()) {
    const value = route.params[key];
    if (value !== undefined && value !== '') query.set(key, value);
  }
  const text = query.toString();
  return `#/${route.view}${text === '' ? '' : `?${text}`}`;
}

/** A route with some parameters changed; `undefined` removes one. */
export function withParams(
  route: Route,
  changes: Readonly<Record<string, string | undefined>>,
): Route {
  const params: Record<string, string> = { ...route.params };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') delete params[key];
    else params[key] = value;
  }
  return { view: route.view, params };
}

const listeners = new Set<() => void>();
/** Calls `listener` whenever the page's URL changes: the hash, or the query (`?store=`, Back). */
export function subscribeToUrl(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
}
const subscribe = subscribeToUrl;

/** Moves the page to `url` (same document: query and hash) without loading it, and tells the subscribers. */
export function goTo(url: string, options?: { replace?: boolean }): void {
  if (options?.replace === true) window.history.replaceState(window.history.state, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
}
const getHash = () => window.location.hash;

export type Navigate = (route: Route, options?: { replace?: boolean }) => void;

/** The current route and a way to change it (push by default; `replace` for moving a selection). */
export function useRoute(): [Route, Navigate] {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  const navigate = useCallback<Navigate>((route, options) => {
    const next = formatHash(route);
    if (next === window.location.hash) return;
    if (options?.replace === true) {
      window.history.replaceState(window.history.state, '', next);
      for (const listener of listeners) listener();
    } else {
      window.location.hash = next;
    }
  }, []);
  return [parseHash(hash), navigate];
}

/** Deep link to Compare: turn `b` against turn `a` (call ids); without `a`, against the turn before `b`. */
export function compareRoute(b: string, a?: string): Route {
  return { view: 'compare', params: a === undefined ? { b } : { a, b } };
}

/** Deep link to What-if on a recorded turn. */
export function whatIfRoute(call: string): Route {
  return { view: 'whatif', params: { call } };
}

/** Deep link to the store as it was at a recorded turn (`#/asof?call=ID`), optionally with a tab and more. */
export function asOfRoute(call: string, params: Readonly<Record<string, string>> = {}): Route {
  return { view: 'asof', params: { ...params, call } };
}
