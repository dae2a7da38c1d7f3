// The Page view's "now": the call's time, which recency scores count back from. By default the
// store's newest block time, not the clock: a store written in January and opened today would
// otherwise score every block's recency 0. The URL's `now` picks another: `clock` (the current
// time, the server's) or a local date and time (`2026-01-12T10:00`).

/** Which time the page call uses. */
export type NowChoice =
  | { readonly kind: 'newest' }
  | { readonly kind: 'clock' }
  | { readonly kind: 'at'; readonly at: number; readonly text: string };

/** The choice a URL's `now` names; anything unreadable is the default (the newest block). */
export function parseNow(param: string | undefined): NowChoice {
  if (param === undefined || param === '') return { kind: 'newest' };
  if (param === 'clock') return { kind: 'clock' };
  // A date and time without a zone reads as local time (as a datetime-local field gives it).
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(param)
    ? new Date(param).getTime()
    : NaN;
  return Number.isFinite(at) && at >= 0 ? { kind: 'at', at, text: param } : { kind: 'newest' };
}

/** The newest block's creation time over the sessions listed; undefined when no block has one. */
export function newestBlockTime(
  sessions: readonly { readonly lastAt: number | null }[],
): number | undefined {
  let newest: number | undefined;
  for (const s of sessions)
    if (s.lastAt !== null && (newest === undefined || s.lastAt > newest)) newest = s.lastAt;
  return newest;
}

/** The `now` to send (ms), or undefined to let the server use its clock. */
export function nowToSend(choice: NowChoice, newest: number | undefined): number | undefined {
  switch (choice.kind) {
    case 'newest':
      return newest;
    case 'clock':
      return undefined;
    case 'at':
      return choice.at;
  }
}

/** Where the time used came from, in words. */
export function nowSource(choice: NowChoice, newest: number | undefined): string {
  switch (choice.kind) {
    case 'newest':
      return newest === undefined
        ? 'the current time (no block time is known)'
        : 'the store’s newest block';
    case 'clock':
      return 'the current time';
    case 'at':
      return 'the time set';
  }
}

/** A time as a datetime-local field's value (local, to the second): `2026-01-12T10:09:45`. */
export function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
