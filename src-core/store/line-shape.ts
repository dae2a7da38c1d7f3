// The shape of a block's rendered line (`blockLine`): whether it starts with `/` and whether it
// ends with punctuation. o200k joins such a line's leading slash to a preceding `]\n` or `.\n`, so
// token counts then do not add across the join (see packer/format.ts `SegmentSum`). Computed once
// when a block is written and kept in its record, so paging never reads a body to learn it.

/** The line starts with `/`. */
export const STARTS_SLASH = 1;
/** The line ends with punctuation (a following `/` would join it). */
export const ENDS_JOINABLE = 2;

const LETTER_NUMBER_SPACE = /^[\s\p{L}\p{N}]$/u;

/**
 * True when a segment ends with punctuation and its newline (a following `/` would join it).
 * Reads only the last characters: segments can be long.
 */
export function endsJoinable(segment: string): boolean {
  const n = segment.length;
  if (n < 2 || segment.charCodeAt(n - 1) !== 10) return false;
  const c = segment.charCodeAt(n - 2);
  if (c < 128)
    return !(
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 32 ||
      (c >= 9 && c <= 13)
    );
  const start = c >= 0xdc00 && c <= 0xdfff && n >= 3 ? n - 3 : n - 2;
  return !LETTER_NUMBER_SPACE.test(String.fromCodePoint(segment.codePointAt(start) ?? c));
}

/** The shape of `blockLine(text)` without building it: `STARTS_SLASH | ENDS_JOINABLE` from its first and last non-space characters. */
export function lineShapeOf(text: string): number {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return ENDS_JOINABLE; // '(whitespace only)' ends with ')'
  let j = text.length - 1;
  while (j > i && isSpace(text.charCodeAt(j))) j--;
  const last = text.charCodeAt(j);
  const lastChar =
    last >= 0xdc00 && last <= 0xdfff && j > i
      ? String.fromCodePoint(text.codePointAt(j - 1) ?? last)
      : String.fromCharCode(last);
  return (
    (text.charCodeAt(i) === 47 ? STARTS_SLASH : 0) |
    (endsJoinable(`${lastChar}\n`) ? ENDS_JOINABLE : 0)
  );
}

/** The whitespace `String.prototype.trim` removes, for the characters a body can end with. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}
