// `llm386://` links, which OpenTelemetry spans carry (src-core/tracer/telemetry.ts `turnLink`):
// `llm386://turn?store=<absolute store path>&session=<session>&call=<call id>` opens that turn.
// The desktop app registers the scheme; a link only ever chooses which local store to show and
// which turn, never where data goes.
import { isAbsolute } from 'node:path';

/** The scheme the desktop inspector registers. */
export const DEEP_LINK_SCHEME = 'llm386';

/** A turn named by a deep link. */
export interface TurnLink {
  readonly store: string;
  readonly session: string;
  readonly call: string;
}

const CALL_ID = /^[0-9a-f]{32}$/;
const SESSION = /^[A-Za-z0-9._:@/-]{1,200}$/;

/** The turn a `llm386://turn?...` link names, or undefined for anything else (a malformed link is ignored). */
export function parseTurnLink(link: string): TurnLink | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:` || url.hostname !== 'turn') return undefined;
  const store = url.searchParams.get('store') ?? '';
  const session = url.searchParams.get('session') ?? '';
  const call = url.searchParams.get('call') ?? '';
  if (!isAbsolute(store) || store.includes('\0') || !SESSION.test(session) || !CALL_ID.test(call))
    return undefined;
  return { store, session, call };
}

/** The first deep link among a process's arguments (Windows and Linux pass the link as one). */
export function turnLinkIn(argv: readonly string[]): TurnLink | undefined {
  for (const arg of argv) {
    if (!arg.startsWith(`${DEEP_LINK_SCHEME}:`)) continue;
    const link = parseTurnLink(arg);
    if (link !== undefined) return link;
  }
  return undefined;
}

/** The inspector page showing a turn: the app page with the Turn route. */
export function turnPageUrl(appUrl: string, link: TurnLink): string {
  const url = new URL(appUrl);
  url.search = '';
  url.hash = `#/turn?${new URLSearchParams({ call: link.call, session: link.session }).toString()}`;
  return url.href;
}
