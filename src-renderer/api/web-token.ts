// Web mode's access token, kept where only this origin can read it. The printed URL carries it as
// `?token=`; on load the page moves it into localStorage (per origin: scheme, host and port, so
// another local server never sees it, unlike a 127.0.0.1 cookie) and out of the address bar. Deep
// links without the token then work in any tab of the same browser profile, and a copied link
// never carries it.
import type { WebTokenHeader } from '../../src-main/api/contract';

/** The request header the server reads the token from (a typo is a compile error). */
export const TOKEN_HEADER: WebTokenHeader = 'X-LLM386-Token';
/** The localStorage key. localStorage is per origin, so each inspector port has its own. */
export const TOKEN_STORAGE_KEY = 'llm386.token';
const TOKEN_PARAM = 'token';

/** The parts of `window` this module touches, so tests pass fakes. */
export interface TokenHost {
  readonly location: { readonly href: string };
  readonly history: {
    readonly state: unknown;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  /** Undefined where the browser refuses storage (some privacy modes throw on access). */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

/** Reads the token for each API call. */
export type TokenSource = () => string | null;

/**
 * Takes `?token=` out of the page's URL (history.replaceState: no reload, the hash route stays)
 * and keeps it in storage; returns where later calls read it. The storage is read on every call,
 * so a tab opened on a restarted server's new URL updates the token for the tabs already open.
 * Without usable storage the token lives in memory: this tab works, tokenless deep links do not.
 */
export function adoptUrlToken(host: TokenHost): TokenSource {
  const url = new URL(host.location.href);
  const fromUrl = url.searchParams.get(TOKEN_PARAM);
  let remembered: string | null = null;
  if (fromUrl !== null) {
    remembered = fromUrl;
    safely(() => host.storage?.setItem(TOKEN_STORAGE_KEY, fromUrl));
    url.searchParams.delete(TOKEN_PARAM);
    host.history.replaceState(host.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  return () => safely(() => host.storage?.getItem(TOKEN_STORAGE_KEY)) ?? remembered;
}

/** This page's window as a {@link TokenHost}. */
export function browserTokenHost(): TokenHost {
  return {
    location: window.location,
    history: window.history,
    storage: safely(() => window.localStorage),
  };
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
