// Reads an LMDB data file page by page with plain file reads, never mapping it: salvage reads
// files whose pages may be garbage or missing, where LMDB itself would crash. Every offset and
// length taken from a page is checked against the page and the file before it is used.
// Layout (lmdb-js's vendored mdb.c): a 24-byte page header (pgno u64, txnid u64, pad u16,
// flags u16, lower u16 / upper u16, or a u32 page count on overflow pages), then u16 node
// offsets counted from the end of the header. A node: lo u16, hi u16, flags u16, key size u16,
// the key, then the data (size lo | hi << 16), or on a branch page no data and the child page
// number in lo, hi and flags.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const MAGIC = 0xbeefc0de;
const HEADER = 24;
const NODE_HEADER = 8;
const DB_SIZE = 48;
const P_BRANCH = 0x01;
const P_LEAF = 0x02;
const P_OVERFLOW = 0x04;
const F_BIGDATA = 0x01;
const F_DUPDATA = 0x04;
/** The page size when neither meta page can be read. */
const FALLBACK_PAGE_SIZE = 4096;

/** A B-tree's entry in a meta page or in the main database: where its root is. */
export interface TreeRoot {
  /** The root page, or undefined for an empty tree. */
  readonly root: number | undefined;
  readonly depth: number;
  readonly entries: number;
}

/** One readable meta page. */
export interface MetaPage {
  readonly txnId: number;
  readonly lastPage: number;
  readonly main: TreeRoot;
}

/** Where a leaf node's value lies in the file, checked to be inside it. */
export interface ValueRef {
  readonly at: number;
  readonly size: number;
}

/** A node of a leaf page. `value` is undefined when the value cannot be read (its overflow pages are damaged or missing). */
export interface LeafNode {
  readonly key: Buffer;
  readonly value: ValueRef | undefined;
  /** The overflow pages holding the value, when it is not on the leaf page. */
  readonly overflow: { readonly first: number; readonly count: number } | undefined;
  /** A named database's record in the main database (F_SUBDATA). */
  readonly subdb: boolean;
}

/** A node of a branch page: the smallest key of its child (empty for the first) and the child. */
export interface BranchNode {
  readonly key: Buffer;
  readonly child: number;
}

/**
 * A page that parsed as a branch or leaf page (`damaged`: some of its nodes were out of bounds
 * and are left out), or the first page of an overflow run.
 */
export type Page =
  | {
      readonly kind: 'leaf';
      readonly pgno: number;
      readonly txnId: number;
      readonly nodes: readonly LeafNode[];
      readonly damaged: boolean;
    }
  | {
      readonly kind: 'branch';
      readonly pgno: number;
      readonly txnId: number;
      readonly nodes: readonly BranchNode[];
      readonly damaged: boolean;
    }
  | { readonly kind: 'overflow'; readonly pgno: number; readonly count: number };

/** A read-only LMDB data file, read with plain reads. */
export class PageFile {
  /** Valid meta pages, newest first (none when both are damaged). */
  readonly metas: readonly MetaPage[];
  readonly pageSize: number;
  /** Whole pages in the file. */
  readonly pages: number;
  /** Pages past this one belong to no committed transaction (the newest meta's last page, else the file's). */
  readonly lastPage: number;
  private readonly fd: number;

  private constructor(fd: number, fileSize: number) {
    this.fd = fd;
    const { pageSize, metas } = readMetas(fd);
    this.pageSize = pageSize;
    this.metas = metas;
    this.pages = Math.floor(fileSize / pageSize);
    this.lastPage = Math.min(metas[0]?.lastPage ?? Number.MAX_SAFE_INTEGER, this.pages - 1);
  }

  /** Opens `path` for reading only. */
  static open(path: string): PageFile {
    const fd = openSync(path, 'r');
    try {
      return new PageFile(fd, fstatSync(fd).size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  /** Reads `size` bytes at `at`, or undefined when the file is shorter. */
  read(at: number, size: number): Buffer | undefined {
    const out = Buffer.allocUnsafe(size);
    let done = 0;
    while (done < size) {
      const n = readSync(this.fd, out, done, size - done, at + done);
      if (n === 0) return undefined;
      done += n;
    }
    return out;
  }

  /** The bytes of a value. */
  value(ref: ValueRef): Buffer | undefined {
    return this.read(ref.at, ref.size);
  }

  /** The page count of an overflow run starting at `pgno`, or undefined when `pgno` does not start one. */
  overflowRun(pgno: number, header?: Buffer): number | undefined {
    const head =
      header ?? (pgno <= this.lastPage ? this.read(pgno * this.pageSize, HEADER) : undefined);
    if (
      head === undefined ||
      Number(head.readBigUInt64LE(0)) !== pgno ||
      (head.readUInt16LE(18) & 0x7f) !== P_OVERFLOW
    )
      return undefined;
    const count = head.readUInt32LE(20);
    return count >= 1 && pgno + count - 1 <= this.lastPage ? count : undefined;
  }

  /**
   * Reads page `pgno`; undefined when it is past the end, is another kind of page, says it is
   * another page (garbage, or the inside of an overflow run) or has bounds that do not fit it.
   */
  page(pgno: number): Page | undefined {
    if (!Number.isSafeInteger(pgno) || pgno < 2 || pgno > this.lastPage) return undefined;
    const ps = this.pageSize;
    const buf = this.read(pgno * ps, ps);
    if (buf === undefined || Number(buf.readBigUInt64LE(0)) !== pgno) return undefined;
    const flags = buf.readUInt16LE(18) & 0x7f;
    if (flags === P_OVERFLOW) {
      const run = this.overflowRun(pgno, buf);
      return run === undefined ? undefined : { kind: 'overflow', pgno, count: run };
    }
    if (flags !== P_LEAF && flags !== P_BRANCH) return undefined;
    const lower = buf.readUInt16LE(20);
    const upper = buf.readUInt16LE(22);
    if (lower % 2 !== 0 || lower > upper || upper > ps - HEADER) return undefined;
    const txnId = Number(buf.readBigUInt64LE(8));
    let damaged = false;
    const count = lower >> 1;
    if (flags === P_BRANCH) {
      const nodes: BranchNode[] = [];
      for (let i = 0; i < count; i++) {
        const at = HEADER + buf.readUInt16LE(HEADER + 2 * i);
        const ksize =
          at >= HEADER + upper && at + NODE_HEADER <= ps ? buf.readUInt16LE(at + 6) : -1;
        if (ksize < 0 || at + NODE_HEADER + ksize > ps) {
          damaged = true;
          continue;
        }
        const child =
          buf.readUInt16LE(at) +
          buf.readUInt16LE(at + 2) * 0x10000 +
          buf.readUInt16LE(at + 4) * 0x1_0000_0000;
        nodes.push({
          key: Buffer.from(buf.subarray(at + NODE_HEADER, at + NODE_HEADER + ksize)),
          child,
        });
      }
      return { kind: 'branch', pgno, txnId, nodes, damaged };
    }
    const nodes: LeafNode[] = [];
    for (let i = 0; i < count; i++) {
      const node = this.leafNode(buf, pgno, HEADER + buf.readUInt16LE(HEADER + 2 * i), upper);
      if (node === undefined) damaged = true;
      else nodes.push(node);
    }
    return { kind: 'leaf', pgno, txnId, nodes, damaged };
  }

  private leafNode(buf: Buffer, pgno: number, at: number, upper: number): LeafNode | undefined {
    const ps = this.pageSize;
    if (at < HEADER + upper || at + NODE_HEADER > ps) return undefined;
    const size = buf.readUInt16LE(at) + buf.readUInt16LE(at + 2) * 0x10000;
    const flags = buf.readUInt16LE(at + 4);
    const ksize = buf.readUInt16LE(at + 6);
    const data = at + NODE_HEADER + ksize;
    if (data > ps) return undefined;
    const key = Buffer.from(buf.subarray(at + NODE_HEADER, data));
    const subdb = (flags & 0x02) !== 0;
    if ((flags & F_DUPDATA) !== 0) return { key, value: undefined, overflow: undefined, subdb };
    if ((flags & F_BIGDATA) === 0) {
      if (data + size > ps) return undefined;
      return { key, value: { at: pgno * ps + data, size }, overflow: undefined, subdb };
    }
    if (data + 8 > ps) return undefined;
    const first = Number(buf.readBigUInt64LE(data));
    const count = this.overflowRun(first);
    // Readable only when the run starts where the node says and is long enough for the value.
    const fits = count !== undefined && HEADER + size <= count * ps;
    return {
      key,
      value: fits ? { at: first * ps + HEADER, size } : undefined,
      overflow: count === undefined ? undefined : { first, count },
      subdb,
    };
  }
}

function readTree(buf: Buffer, at: number): TreeRoot {
  const root = buf.readBigUInt64LE(at + 40);
  return {
    root:
      root === 0xffff_ffff_ffff_ffffn || root > BigInt(Number.MAX_SAFE_INTEGER)
        ? undefined
        : Number(root),
    depth: buf.readUInt16LE(at + 6),
    entries: Number(buf.readBigUInt64LE(at + 32)),
  };
}

/** Parses a named database's record (the data of an F_SUBDATA node). */
export function parseTreeRoot(data: Buffer): TreeRoot | undefined {
  return data.length === DB_SIZE ? readTree(data, 0) : undefined;
}

function readMeta(
  fd: number,
  at: number,
  pageSize: number | undefined,
): (MetaPage & { pageSize: number }) | undefined {
  const buf = Buffer.alloc(HEADER + 24 + 2 * DB_SIZE + 16);
  if (readSync(fd, buf, 0, buf.length, at) < buf.length || buf.readUInt32LE(HEADER) !== MAGIC)
    return undefined;
  const dbs = HEADER + 24;
  const size = buf.readUInt32LE(dbs);
  if (
    size < 512 ||
    size > 65536 ||
    (size & (size - 1)) !== 0 ||
    (pageSize !== undefined && size !== pageSize)
  )
    return undefined;
  const lastPage = Number(buf.readBigUInt64LE(dbs + 2 * DB_SIZE));
  const txnId = Number(buf.readBigUInt64LE(dbs + 2 * DB_SIZE + 8));
  return { pageSize: size, lastPage, txnId, main: readTree(buf, dbs + DB_SIZE) };
}

/** Both meta pages of an open LMDB file that still read, newest first, and the page size. */
export function readMetas(fd: number): { pageSize: number; metas: MetaPage[] } {
  const first = readMeta(fd, 0, undefined);
  // The second meta page sits one page in: try the first's page size, then common ones.
  const sizes =
    first === undefined
      ? [FALLBACK_PAGE_SIZE, 8192, 16384, 32768, 65536, 2048, 1024, 512]
      : [first.pageSize];
  let second: ReturnType<typeof readMeta>;
  for (const size of sizes) {
    second = readMeta(fd, size, size);
    if (second !== undefined) break;
  }
  const metas = [first, second]
    .filter((m): m is NonNullable<typeof m> => m !== undefined)
    .sort((a, b) => b.txnId - a.txnId);
  return { pageSize: first?.pageSize ?? second?.pageSize ?? FALLBACK_PAGE_SIZE, metas };
}
