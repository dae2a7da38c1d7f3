// The files `ingest` reads: named files, and folders walked depth-first in sorted order, one
// directory listing at a time (a folder of 200k files is one string of names, never a spread
// into a call).
import { createReadStream } from 'node:fs';
import { opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Llm386Error } from '../base/index';

/** Something the walk skipped and says so. */
export type WalkNotice = { readonly kind: 'loop'; readonly path: string };

/**
 * Yields every file under `paths` (files as named; folders recursively, skipping dot-entries and
 * node_modules, entries in code-unit order). A folder reached again through a symlink while it is
 * being walked (a loop) is skipped and reported through `notice`. A missing path is a usage error.
 */
export async function* walkFiles(
  paths: readonly string[],
  notice: (n: WalkNotice) => void = () => undefined,
): AsyncGenerator<string> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new Llm386Error('usage', `ingest: cannot read ${path}: check the path`);
    }
    if (info.isFile()) yield path;
    else if (info.isDirectory()) yield* walkFolder(path, new Set(), notice);
  }
}

async function* walkFolder(
  dir: string,
  ancestors: Set<string>,
  notice: (n: WalkNotice) => void,
): AsyncGenerator<string> {
  const real = await realpath(dir);
  if (ancestors.has(real)) {
    notice({ kind: 'loop', path: dir });
    return;
  }
  ancestors.add(real);
  const listing = await Listing.read(dir);
  for (const i of listing.sorted()) {
    const path = join(dir, listing.name(i));
    let kind = listing.kind(i);
    if (kind === SYMLINK) {
      const target = await stat(path).catch(() => undefined);
      kind = target?.isDirectory() === true ? DIR : target?.isFile() === true ? FILE : OTHER;
    }
    if (kind === DIR) yield* walkFolder(path, ancestors, notice);
    else if (kind === FILE) yield path;
  }
  ancestors.delete(real);
}

const OTHER = 0;
const FILE = 1;
const DIR = 2;
const SYMLINK = 3;

/**
 * A folder's entries (dot-entries and node_modules left out), read a few at a time and kept as
 * one string of names with offsets and kinds: a folder of 200k files costs a few MB for the
 * whole walk, not 200k objects. Sorted in code-unit order, as `<` orders strings.
 */
class Listing {
  private constructor(
    private readonly names: string,
    private readonly starts: Uint32Array,
    private readonly kinds: Uint8Array,
  ) {}

  static async read(dir: string): Promise<Listing> {
    const pieces: string[] = [];
    let chunk: string[] = [];
    let starts = new Uint32Array(1024);
    let kinds = new Uint8Array(1024);
    let count = 0;
    let length = 0;
    for await (const entry of await opendir(dir, { bufferSize: 256 })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (count + 1 >= starts.length) {
        starts = grown(starts);
        kinds = grown(kinds);
      }
      kinds[count] = entry.isSymbolicLink()
        ? SYMLINK
        : entry.isDirectory()
          ? DIR
          : entry.isFile()
            ? FILE
            : OTHER;
      length += entry.name.length;
      starts[++count] = length;
      chunk.push(entry.name);
      if (chunk.length === 4096) {
        pieces.push(chunk.join(''));
        chunk = [];
      }
    }
    pieces.push(chunk.join(''));
    return new Listing(pieces.join(''), starts.subarray(0, count + 1), kinds.subarray(0, count));
  }

  /** Entry numbers in name order. */
  sorted(): Uint32Array {
    const { names, starts } = this;
    const order = Uint32Array.from({ length: this.kinds.length }, (_, i) => i);
    return order.sort((a, b) => {
      const sa = starts[a] as number;
      const sb = starts[b] as number;
      const la = (starts[a + 1] as number) - sa;
      const lb = (starts[b + 1] as number) - sb;
      for (let i = 0; i < la && i < lb; i++) {
        const d = names.charCodeAt(sa + i) - names.charCodeAt(sb + i);
        if (d !== 0) return d;
      }
      return la - lb;
    });
  }

  name(i: number): string {
    return this.names.slice(this.starts[i], this.starts[i + 1]);
  }

  kind(i: number): number {
    return this.kinds[i] as number;
  }
}

function grown<T extends Uint32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array);
  return next;
}

/** One line of a text file, numbered from 1, without its line break. */
export interface Line {
  readonly text: string;
  readonly number: number;
}

/**
 * Reads a UTF-8 file line by line in 1 MB chunks: memory stays bounded by the longest line.
 * Lines are split on the byte 0x0A (never part of a multi-byte UTF-8 sequence) and decoded one by
 * one, so invalid UTF-8 is an `invalid-input` error naming the file and line.
 */
export async function* readLines(file: string): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let number = 0;
  const line = (bytes: Buffer): Line => {
    number++;
    try {
      return { text: decoder.decode(bytes), number };
    } catch {
      throw new Llm386Error(
        'invalid-input',
        `${file}:${number}: not UTF-8 text: a .jsonl transcript must be UTF-8`,
      );
    }
  };
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    let start = 0;
    for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
      yield line(bytes.subarray(start, end));
      start = end + 1;
    }
    rest = Buffer.from(bytes.subarray(start));
  }
  if (rest.length > 0) yield line(rest);
}
