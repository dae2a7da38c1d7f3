// The files `ingest` reads: named files, and folders walked depth-first in sorted order, one
// directory listing at a time (a folder of 200k files is one array, never a spread into a call).
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
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
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) yield* walkFolder(path, ancestors, notice);
    else if (isFile) yield path;
  }
  ancestors.delete(real);
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
