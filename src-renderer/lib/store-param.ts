// The open store in the page's URL: `?store=ID` beside the hash route, so a deep link names the
// store it was made in and reopens it, whichever store the inspector shows meanwhile. The query,
// not the hash: every view builds its hash from scratch, and the store must survive that.
import { useSyncExternalStore } from 'react';
import { formatHash, goTo, subscribeToUrl, type Route } from './route';

export const STORE_PARAM = 'store';

/** The store id `href` names, if any. */
export function storeOfUrl(href: string): string | undefined {
  const value = new URL(href).searchParams.get(STORE_PARAM);
  return value === null || value === '' ? undefined : value;
}

/** `href` as a same-document URL (path, query, hash) naming store `id`, and `route` when given. */
export function urlWithStore(href: string, id: string, route?: Route): string {
  const url = new URL(href);
  url.searchParams.set(STORE_PARAM, id);
  return `${url.pathname}${url.search}${route === undefined ? url.hash : formatHash(route)}`;
}

/** What to do when the URL's store and the server's differ. */
export type StoreAction =
  /** Nothing: they agree, or the server has not said yet. */
  | { readonly kind: 'none' }
  /** Put the server's store in the URL, which named none. */
  | { readonly kind: 'name'; readonly id: string }
  /**
   * The server switched (a bundle opened, a store opened from the File menu or dropped on the
   * window, another tab): go to its store, in a new history entry so Back returns.
   */
  | { readonly kind: 'follow'; readonly id: string }
  /** Switch the server to the URL's store: a deep link, the store menu, Back. */
  | { readonly kind: 'open'; readonly id: string };

/**
 * Reconciles the URL's store with the server's. `previous` is the server's store when last
 * reconciled: a change there came from the server, and the page follows it; otherwise the URL
 * changed, and the server follows the URL.
 */
export function storeAction(
  inUrl: string | undefined,
  server: string | undefined,
  previous: string | undefined,
): StoreAction {
  if (server === undefined || inUrl === server) return { kind: 'none' };
  if (inUrl === undefined) return { kind: 'name', id: server };
  if (previous !== undefined && previous !== server) return { kind: 'follow', id: server };
  return { kind: 'open', id: inUrl };
}

/** The store the page's URL names. */
export function useStoreInUrl(): string | undefined {
  return useSyncExternalStore(
    subscribeToUrl,
    () => storeOfUrl(window.location.href),
    () => undefined,
  );
}

/** Names store `id` in the URL; with `route`, goes there too (a new history entry unless `replace`). */
export function goToStore(id: string, options?: { route?: Route; replace?: boolean }): void {
  goTo(urlWithStore(window.location.href, id, options?.route), {
    replace: options?.replace ?? false,
  });
}
