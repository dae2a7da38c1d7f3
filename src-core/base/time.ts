/** Times before this (as a number) are Unix seconds; from it on, milliseconds (1973-03-03 in ms). */
const SECONDS_BELOW = 1e11;
/** The largest time a Date can hold, in ms. */
const MAX_MS = 8.64e15;

/**
 * Reads a point in time given by a person or a file: an ISO 8601 string (`2024-05-30`,
 * `2024-05-30T23:40:00Z`, with or without an offset: without one it is read as UTC), or a
 * number (or a string of digits) of Unix seconds (below 1e11) or milliseconds. Returns ms since
 * the epoch, or undefined when the value is none of those.
 */
export function parseTimestamp(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) n = Number(text);
    else if (
      /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)
    ) {
      // A date-time without an offset is UTC, not the machine's zone: the same file reads the same everywhere.
      const withZone =
        /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/[T ]/.test(text) ? text : `${text}Z`;
      const ms = Date.parse(withZone.replace(' ', 'T'));
      return Number.isFinite(ms) && ms >= 0 && ms <= MAX_MS ? ms : undefined;
    } else return undefined;
  } else return undefined;
  if (!Number.isFinite(n) || n < 0) return undefined;
  const ms = n < SECONDS_BELOW ? n * 1000 : n;
  return ms <= MAX_MS ? Math.floor(ms) : undefined;
}
