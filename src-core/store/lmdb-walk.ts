// Two ways over the pages of a possibly damaged LMDB file (see lmdb-pages.ts). The live walk
// follows each table's B-tree from the newest readable meta page with bounds-checked reads: a
// leaf it reaches belongs to that table and holds current entries, and where a page is missing
// or garbage it notes the key range that page covered, which is now unknown. The orphan scan
// then reads every page the walk did not reach, in file order: stale copies of pages (LMDB is
// copy-on-write, so freed old versions stay in the file) and pages cut off below a damaged
// branch page. Their entries are current only inside an unknown range; elsewhere the live tree
// is authoritative and an entry only on a stale page was deleted.
import type { LeafNode, PageFile, TreeRoot } from './lmdb-pages';
import { parseTreeRoot } from './lmdb-pages';

/** A leaf page: its number, the transaction that wrote it, and its nodes. */
export interface LeafPage {
  readonly pgno: number;
  readonly txnId: number;
  readonly nodes: readonly LeafNode[];
}

/** Key ranges (inclusive) of a table whose current entries could not be read from its tree. */
export class KeyRanges {
  private ranges: [Buffer | undefined, Buffer | undefined][] = [];
  private merged = true;

  /** The ranges of a table whose tree could not be found at all: every key. */
  static all(): KeyRanges {
    const all = new KeyRanges();
    all.add(undefined, undefined);
    return all;
  }

  /** Adds [lo, hi]; undefined is unbounded. */
  add(lo: Buffer | undefined, hi: Buffer | undefined): void {
    this.ranges.push([lo, hi]);
    this.merged = false;
  }

  /** True when no range was added: the tree was read whole. */
  get empty(): boolean {
    return this.ranges.length === 0;
  }

  /** Whether `key` falls in one of the ranges. */
  has(key: Buffer): boolean {
    if (!this.merged) this.merge();
    // The last range starting at or before the key is the only one that can hold it.
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = this.ranges[mid]?.[0];
      if (start === undefined || Buffer.compare(start, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const end = found < 0 ? null : this.ranges[found]?.[1];
    return end !== null && (end === undefined || Buffer.compare(key, end) <= 0);
  }

  private merge(): void {
    const sorted = this.ranges.sort((a, b) =>
      a[0] === undefined
        ? b[0] === undefined
          ? 0
          : -1
        : b[0] === undefined
          ? 1
          : Buffer.compare(a[0], b[0]),
    );
    const out: [Buffer | undefined, Buffer | undefined][] = [];
    for (const range of sorted) {
      const last = out[out.length - 1];
      if (
        last !== undefined &&
        (last[1] === undefined ||
          (range[0] !== undefined && Buffer.compare(range[0], last[1]) <= 0))
      ) {
        if (
          last[1] !== undefined &&
          (range[1] === undefined || Buffer.compare(range[1], last[1]) > 0)
        )
          last[1] = range[1];
      } else out.push([range[0], range[1]]);
    }
    this.ranges = out;
    this.merged = true;
  }
}

/** What the live walk found. */
export interface LiveWalk {
  /** Every table named in the main database, with the key ranges its tree lost. */
  readonly tables: ReadonlyMap<string, KeyRanges>;
  /** Pages the walk reached (tree and overflow pages): the orphan scan skips them. */
  readonly reached: ReadonlySet<number>;
  /** Pages on a tree path that were missing, garbage or damaged. */
  readonly damagedPages: number;
  /** The transaction of the meta page walked from, or undefined when no tree could be walked. */
  readonly txnId: number | undefined;
}

const MAX_DEPTH = 32;

/**
 * Walks the main database and every table's tree from the newest meta page whose main database
 * reads, calling `onLeaf` with each leaf page reached and the table it belongs to.
 */
export function walkLiveTrees(
  file: PageFile,
  onLeaf: (table: string, page: LeafPage) => void,
): LiveWalk {
  for (const meta of file.metas) {
    const reached = new Set<number>();
    const roots = new Map<string, TreeRoot>();
    const damaged = { pages: 0 };
    walkTree(file, meta.main, meta.txnId, reached, new KeyRanges(), damaged, (page) => {
      for (const node of page.nodes) {
        const data = node.subdb && node.value !== undefined ? file.value(node.value) : undefined;
        const root = data === undefined ? undefined : parseTreeRoot(data);
        // lmdb-js stores names with their C string terminator.
        if (root !== undefined) roots.set(node.key.toString('latin1').replace(/\0$/, ''), root);
      }
    });
    if (roots.size === 0) continue;
    const tables = new Map<string, KeyRanges>();
    for (const [name, root] of roots) {
      const lost = new KeyRanges();
      walkTree(file, root, meta.txnId, reached, lost, damaged, (page) => onLeaf(name, page));
      tables.set(name, lost);
    }
    return { tables, reached, damagedPages: damaged.pages, txnId: meta.txnId };
  }
  return { tables: new Map(), reached: new Set(), damagedPages: 0, txnId: undefined };
}

function walkTree(
  file: PageFile,
  tree: TreeRoot,
  maxTxn: number,
  reached: Set<number>,
  lost: KeyRanges,
  damaged: { pages: number },
  onLeaf: (page: LeafPage) => void,
): void {
  if (tree.root === undefined) return;
  const stack: { pgno: number; lo: Buffer | undefined; hi: Buffer | undefined; level: number }[] = [
    { pgno: tree.root, lo: undefined, hi: undefined, level: 1 },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { pgno, lo, hi, level } = next;
    // A page reached twice, or written after this meta page, is not part of this tree.
    const page = reached.has(pgno) || level > MAX_DEPTH ? undefined : file.page(pgno);
    if (page === undefined || page.kind === 'overflow' || page.txnId > maxTxn) {
      lost.add(lo, hi);
      damaged.pages++;
      continue;
    }
    reached.add(pgno);
    if (page.damaged) {
      lost.add(lo, hi);
      damaged.pages++;
    }
    if (page.kind === 'leaf') {
      for (const node of page.nodes) {
        if (node.overflow !== undefined)
          for (let i = 0; i < node.overflow.count; i++) reached.add(node.overflow.first + i);
      }
      onLeaf(page);
      continue;
    }
    page.nodes.forEach((node, i) => {
      // A branch node's key is the smallest key under its child (the first node's is empty).
      stack.push({
        pgno: node.child,
        lo: i === 0 ? lo : node.key,
        hi: page.nodes[i + 1]?.key ?? hi,
        level: level + 1,
      });
    });
  }
}

/**
 * Calls `onLeaf` with every leaf page the live walk did not reach, in file order, skipping
 * overflow runs and pages written by a transaction newer than any committed one.
 */
export function scanOrphanLeaves(
  file: PageFile,
  reached: ReadonlySet<number>,
  onLeaf: (page: LeafPage) => void,
): { leaves: number } {
  // With one meta page unreadable, the lost one may be the newest: one transaction newer.
  const [newest] = file.metas;
  const maxTxn =
    newest === undefined
      ? Number.POSITIVE_INFINITY
      : file.metas.length === 2
        ? newest.txnId
        : newest.txnId + 1;
  let leaves = 0;
  for (let pgno = 2; pgno <= file.lastPage; pgno++) {
    if (reached.has(pgno)) continue;
    const page = file.page(pgno);
    if (page === undefined) continue;
    if (page.kind === 'overflow') {
      pgno += page.count - 1;
      continue;
    }
    if (page.kind !== 'leaf' || page.txnId > maxTxn) continue;
    leaves++;
    onLeaf(page);
  }
  return { leaves };
}
