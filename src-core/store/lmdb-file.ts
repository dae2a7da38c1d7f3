// Looks at an LMDB data file before it is mapped. Mapping a damaged file can kill the process
// with a signal (a truncated file: SIGBUS on the first page past its end), so its two meta pages
// are read with plain file reads (lmdb-pages.ts, which salvage shares) and checked first.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readMetas } from './lmdb-pages';

const MAGIC = 0xbeefc0de;

/** What the meta pages say, or why the file is not a sound LMDB file. */
export type LmdbFileCheck =
  | {
      readonly ok: true;
      readonly pageSize: number;
      readonly lastPage: number;
      readonly txnId: number;
      readonly fileSize: number;
    }
  | {
      readonly ok: false;
      readonly problem: 'not-lmdb' | 'truncated' | 'bad-meta';
      readonly detail: string;
      readonly fileSize: number;
    };

/** Reads both meta pages of `path` and checks that the file holds every page the newest one uses. */
export function checkLmdbFile(path: string): LmdbFileCheck {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const head = Buffer.alloc(32);
    const got = readSync(fd, head, 0, head.length, 0);
    if (got < 32 || (head.readUInt32LE(16) !== MAGIC && head.readUInt32LE(24) !== MAGIC)) {
      return {
        ok: false,
        problem: 'not-lmdb',
        detail: 'no LMDB magic number on its first page',
        fileSize,
      };
    }
    const { pageSize, metas } = readMetas(fd);
    const newest = metas[0];
    if (newest === undefined)
      return {
        ok: false,
        problem: 'bad-meta',
        detail: 'both of its meta pages are damaged',
        fileSize,
      };
    const needed = (newest.lastPage + 1) * pageSize;
    // The size read after the meta pages: a writer in another process writes a transaction's pages
    // (growing the file) before its meta page, so a size read before the metas could be older than
    // the newest meta and make a live store look truncated.
    const sizeNow = fstatSync(fd).size;
    if (sizeNow < needed) {
      return {
        ok: false,
        problem: 'truncated',
        detail: `it is ${sizeNow} bytes but its last transaction (${newest.txnId}) uses ${needed}: the end of the file is missing`,
        fileSize: sizeNow,
      };
    }
    return {
      ok: true,
      pageSize,
      lastPage: newest.lastPage,
      txnId: newest.txnId,
      fileSize: sizeNow,
    };
  } finally {
    closeSync(fd);
  }
}
