// Looks at an LMDB data file before it is mapped. Mapping a damaged file can kill the process
// with a signal (a truncated file: SIGBUS on the first page past its end), so its two meta pages
// are read with plain file reads and checked first. Layout (lmdb-js's vendored mdb.c): a page
// header of 16 or 24 bytes, then MDB_meta: magic u32, version u32, address u64, mapsize u64,
// two MDB_db of 48 bytes (the first's md_pad is the page size), last page u64, txnid u64.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
const DB_SIZE = 48;

/** What the meta pages say, or why the file is not a sound LMDB file. */
export type LmdbFileCheck =
  | { readonly ok: true; readonly pageSize: number; readonly lastPage: number; readonly txnId: number; readonly fileSize: number }
  | { readonly ok: false; readonly problem: 'not-lmdb' | 'truncated' | 'bad-meta'; readonly detail: string; readonly fileSize: number };

interface Meta {
  readonly pageSize: number;
  readonly lastPage: number;
  readonly txnId: number;
}

function readMeta(page: Buffer, header: number): Meta | undefined {
  if (page.length < header + 24 + 2 * DB_SIZE + 16 || page.readUInt32LE(header) !== MAGIC) return undefined;
  const dbs = header + 24;
  const pageSize = page.readUInt32LE(dbs);
  const lastPage = Number(page.readBigUInt64LE(dbs + 2 * DB_SIZE));
  const txnId = Number(page.readBigUInt64LE(dbs + 2 * DB_SIZE + 8));
  return { pageSize, lastPage, txnId };
}

/** Reads both meta pages of `path` and checks that the file holds every page the newest one uses. */
export function checkLmdbFile(path: string): LmdbFileCheck {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const first = Buffer.alloc(512);
    const got = readSync(fd, first, 0, first.length, 0);
    const header = got >= 32 && first.readUInt32LE(16) === MAGIC ? 16 : got >= 32 && first.readUInt32LE(24) === MAGIC ? 24 : undefined;
    if (header === undefined) return { ok: false, problem: 'not-lmdb', detail: 'no LMDB magic number on its first page', fileSize };
    const meta0 = readMeta(first.subarray(0, got), header);
    const pageSize = meta0?.pageSize ?? 0;
    if (meta0 === undefined || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
      return { ok: false, problem: 'bad-meta', detail: `its first meta page is damaged (page size ${pageSize})`, fileSize };
    }
    const second = Buffer.alloc(512);
    const got1 = readSync(fd, second, 0, second.length, pageSize);
    const meta1 = readMeta(second.subarray(0, got1), header);
    const metas = [meta0, meta1].filter((m): m is Meta => m !== undefined && m.pageSize === pageSize);
    const newest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a));
    const needed = (newest.lastPage + 1) * pageSize;
    if (fileSize < needed) {
      return { ok: false, problem: 'truncated', detail: `it is ${fileSize} bytes but its last transaction (${newest.txnId}) uses ${needed}: the end of the file is missing`, fileSize };
    }
    return { ok: true, pageSize, lastPage: newest.lastPage, txnId: newest.txnId, fileSize };
  } finally {
    closeSync(fd);
  }
}
