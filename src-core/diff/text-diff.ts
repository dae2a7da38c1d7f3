import { matchLines } from './line-diff';

/** One hunk of a unified diff; `lines` start with ` `, `-` or `+` (or `\` for "No newline at end of file"). */
export interface TextHunk {
  /** 1-based first line in `a` (the line before the hunk when `oldLines` is 0). */
  readonly oldStart: number;
  readonly oldLines: number;
  /** 1-based first line in `b` (the line before the hunk when `newLines` is 0). */
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly string[];
}

/** A complete line diff of two texts. */
export interface TextDiff {
  /** The diff in unified format (`---`/`+++` headers, `@@` hunks); empty when the texts are equal. */
  readonly unified: string;
  readonly hunks: readonly TextHunk[];
  /** Lines only in `b`. */
  readonly added: number;
  /** Lines only in `a`. */
  readonly removed: number;
}

/** Options of {@link diffText}. */
export interface DiffTextOptions {
  /** Unchanged lines shown around each change; default 3. */
  readonly context?: number | undefined;
  /** Names in the `---` and `+++` headers; default `a` and `b`. */
  readonly names?: readonly [before: string, after: string] | undefined;
}

const NO_NEWLINE = '\\ No newline at end of file';

/**
 * A line diff of two texts (rendered prompts), complete and with no size cap.
 *
 * Lines end at `\n` (a `\r` stays part of its line). Uses histogram diff (see `line-diff.ts`), so
 * two ~500 KB prompts diff in well under a second whether nearly equal or unrelated.
 */
export function diffText(a: string, b: string, options: DiffTextOptions = {}): TextDiff {
  const context = Math.max(0, Math.floor(options.context ?? 3));
  const [nameA, nameB] = options.names ?? ['a', 'b'];
  const la = splitLines(a);
  const lb = splitLines(b);
  const ids = new Map<string, number>();
  const intern = (lines: readonly string[]) =>
    Int32Array.from(lines, (line) => {
      let id = ids.get(line);
      if (id === undefined) {
        id = ids.size;
        ids.set(line, id);
      }
      return id;
    });
  const ia = intern(la);
  const ib = intern(lb);
  const match = matchLines(ia, ib, ids.size);

  // The edit script as runs: 0 equal, 1 delete, 2 insert.
  const ops: number[] = [];
  let added = 0;
  let removed = 0;
  for (let i = 0, j = 0; i < la.length || j < lb.length;) {
    const mi = i < la.length ? (match[i] as number) : -2;
    if (mi === j) {
      ops.push(0);
      i++;
      j++;
    } else if (mi === -1) {
      ops.push(1);
      removed++;
      i++;
    } else {
      ops.push(2);
      added++;
      j++;
    }
  }
  const hunks = buildHunks(ops, la, lb, context);
  if (hunks.length === 0) return { unified: '', hunks, added, removed };
  const parts: string[] = [`--- ${nameA}\n+++ ${nameB}\n`];
  for (const h of hunks) {
    parts.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@\n`);
    for (const line of h.lines) parts.push(line, '\n');
  }
  return { unified: parts.join(''), hunks, added, removed };
}

function range(start: number, lines: number): string {
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

/** Lines with their `\n` (the last may lack one); an empty text has no lines. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl + 1;
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

function buildHunks(
  ops: readonly number[],
  la: readonly string[],
  lb: readonly string[],
  context: number,
): TextHunk[] {
  const hunks: TextHunk[] = [];
  // Positions in `a` and `b` before each op.
  const posA = new Int32Array(ops.length + 1);
  const posB = new Int32Array(ops.length + 1);
  for (let k = 0; k < ops.length; k++) {
    posA[k + 1] = (posA[k] as number) + (ops[k] === 2 ? 0 : 1);
    posB[k + 1] = (posB[k] as number) + (ops[k] === 1 ? 0 : 1);
  }
  let k = 0;
  while (k < ops.length) {
    if (ops[k] === 0) {
      k++;
      continue;
    }
    // A hunk: from `context` equal lines before this change to `context` after the last change
    // that is at most 2 x context equal lines from the previous one.
    const start = Math.max(0, k - context);
    let end = k;
    let equalRun = 0;
    for (let x = k; x < ops.length; x++) {
      if (ops[x] === 0) {
        equalRun++;
        if (equalRun > 2 * context) break;
      } else {
        equalRun = 0;
        end = x + 1;
      }
    }
    const stop = Math.min(ops.length, end + context);
    const lines: string[] = [];
    for (let x = start; x < stop; x++) {
      const op = ops[x] as number;
      const line = op === 2 ? (lb[posB[x] as number] as string) : (la[posA[x] as number] as string);
      const body = line.endsWith('\n') ? line.slice(0, -1) : line;
      lines.push((op === 0 ? ' ' : op === 1 ? '-' : '+') + body);
      if (!line.endsWith('\n')) lines.push(NO_NEWLINE);
    }
    const oldLines = (posA[stop] as number) - (posA[start] as number);
    const newLines = (posB[stop] as number) - (posB[start] as number);
    hunks.push({
      oldStart: (posA[start] as number) + (oldLines === 0 ? 0 : 1),
      oldLines,
      newStart: (posB[start] as number) + (newLines === 0 ? 0 : 1),
      newLines,
      lines,
    });
    k = stop;
  }
  return hunks;
}
