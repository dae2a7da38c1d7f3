// Salvage's scan: which blocks of a damaged store can still be read and checked, read from its
// data file page by page (lmdb-walk.ts), never through LMDB. Entries on a table's live tree are
// taken as they are. Entries on other pages are recognised by content (a 64-hex key whose value
// hashes to it is a body, a block id key with a record value is a record, ...) and taken only
// where they may be current: inside a key range the live tree lost, or on a page newer than the
// tree walked (when the newest meta page led nowhere). A block is recovered when a copy of its
// record (from `blocks`, else `session-blocks`) decodes and checks out and a body with its hash
// and size was found. The change log, whose entries never change, names blocks added and
// deleted and gives edges their direction.
import { createHash } from 'node:crypto';
import { isBlockId, type BlockId, type EdgeKind } from '../base/index';
import type { BlockRecord, Edge } from './block';
import type { LeafNode, PageFile, ValueRef } from './lmdb-pages';
import { KeyRanges, scanOrphanLeaves, walkLiveTrees, type LeafPage } from './lmdb-walk';
import type { ValueDecoder } from './salvage-decode';
import {
  BLOCK_KIND_SET,
  changeLogFacts,
  EDGE_KIND_SET,
  HASH_RE,
  isSession,
  keyParts,
  STRUCTURES_KEY,
  toRecord,
  withLoggedSessions,
  type ChangeLogFacts,
} from './salvage-entries';

/** A recovered block: its checked record and where its checked body lies in the damaged file. */
export interface SalvagedBlock {
  readonly record: BlockRecord;
  readonly body: ValueRef;
}

/** What a scan of a damaged store found. */
export interface SalvageScan {
  /** Recovered blocks by id. */
  readonly blocks: ReadonlyMap<BlockId, SalvagedBlock>;
  /** Edges whose both ends were recovered. */
  readonly edges: readonly Edge[];
  /** Blocks named by a readable key or the change log but not recovered (nor deleted), sorted. */
  readonly lost: readonly BlockId[];
  /** Edges seen but not recoverable: an end lost, or their direction unknown. */
  readonly edgesLost: number;
  readonly pages: {
    /** Whole pages in the file. */
    readonly total: number;
    /** Pages reached from the live trees. */
    readonly reached: number;
    /** Missing, garbage or damaged pages on the live trees' paths. */
    readonly damaged: number;
    /** Leaf pages outside the live trees, read by content. */
    readonly orphanLeaves: number;
    /** False when no meta page led to a readable main database: every entry was read by content. */
    readonly treesWalked: boolean;
  };
}

type RecordTable = 'blocks' | 'session-blocks';

/** A copy of a record; `tier` 2: on a page newer than the tree walked, 1: live, 0: in a lost range. */
interface Candidate {
  readonly raw: Buffer;
  readonly table: RecordTable;
  readonly tier: number;
  readonly txnId: number;
}

const MAX_CANDIDATES = 4;
const DECODE_BATCH = 1000;

/** Reads every recoverable block, body and edge of the LMDB file behind `file`. */
export function scanStore(file: PageFile, decoder: ValueDecoder): SalvageScan {
  const scan = new Scan(file);
  const walk = walkLiveTrees(file, (table, page) => scan.page(page, table));
  scan.ranges = (table) => walk.tables.get(table) ?? KeyRanges.all();
  scan.walkedTxn = walk.txnId ?? Number.POSITIVE_INFINITY;
  const orphans = scanOrphanLeaves(file, walk.reached, (page) => scan.page(page, undefined));
  const log = scan.changeLog(decoder);
  const blocks = scan.records(decoder, log);
  const { edges, edgesLost } = scan.resolveEdges(blocks, log);
  const named = new Set([...scan.seen, ...log.added]);
  const lost = [...named].filter((id) => !blocks.has(id) && !log.deleted.has(id)).sort();
  return {
    blocks,
    edges,
    lost,
    edgesLost,
    pages: {
      total: file.pages,
      reached: walk.reached.size,
      damaged: walk.damagedPages,
      orphanLeaves: orphans.leaves,
      treesWalked: walk.txnId !== undefined,
    },
  };
}

class Scan {
  /** The key ranges each table's live tree lost; set once the live walk is done. */
  ranges: (table: string) => KeyRanges = () => KeyRanges.all();
  /** The transaction of the trees walked: a page newer than this is a newer version of the data. */
  walkedTxn = Number.POSITIVE_INFINITY;
  readonly seen = new Set<BlockId>();
  private readonly bodies = new Map<string, ValueRef>();
  private readonly candidates = new Map<BlockId, Candidate[]>();
  private readonly liveStructures = new Map<RecordTable, Buffer>();
  private readonly staleStructures: { raw: Buffer; txnId: number }[] = [];
  /** 'from|kind|to' of edges read from a live edge tree. */
  private readonly liveEdges = new Set<string>();
  /** Edge keys read by content, with the edge tables they may belong to. */
  private readonly orphanEdges = new Map<string, { out: boolean; in: boolean }>();
  /** Sessions of each block read from membership rows and session-copy keys (format 2 records have no list). */
  private readonly memberships = new Map<BlockId, Set<string>>();
  /** Change-log values by sequence number (any copy: entries never change). */
  private readonly changes = new Map<number, Buffer>();

  constructor(private readonly file: PageFile) {}

  /** Takes the entries of a leaf page of `table` (live), or of unknown table (an orphan page). */
  page(page: LeafPage, table: string | undefined): void {
    for (const node of page.nodes) this.entry(node, table, page.txnId);
  }

  private entry(node: LeafNode, table: string | undefined, txnId: number): void {
    const { key } = node;
    const live = table !== undefined;
    const newer = !live && txnId > this.walkedTxn;
    // An orphan entry of `name` may be current only on a newer page or inside a lost range.
    const maybe = (name: string) => !live && (newer || this.ranges(name).has(key));
    const tier = newer ? 2 : live ? 1 : 0;
    if (key.equals(STRUCTURES_KEY)) {
      const raw = this.value(node);
      if (raw === undefined) return;
      if (table === 'blocks' || table === 'session-blocks') this.liveStructures.set(table, raw);
      else if (!live) this.staleStructures.push({ raw, txnId });
      return;
    }
    if (table === 'changes' || (!live && key.length === 4)) {
      // Change-log keys are sequence numbers (uint32, little-endian); its values are small.
      const seq = key.length === 4 ? key.readUInt32LE(0) : undefined;
      const raw =
        seq === undefined ||
        this.changes.has(seq) ||
        node.value === undefined ||
        node.value.size > 1024
          ? undefined
          : this.value(node);
      if (seq !== undefined && raw !== undefined) this.changes.set(seq, raw);
      return;
    }
    const parts = keyParts(key);
    if (parts === undefined) return;
    const [a, b, c] = parts;
    if (parts.length === 1 && a !== undefined && HASH_RE.test(a) && (table === 'bodies' || !live)) {
      this.body(a, node);
    } else if (parts.length === 1 && isBlockId(a) && (table === 'blocks' || maybe('blocks'))) {
      this.seen.add(a);
      this.candidate(a, node, 'blocks', tier, txnId);
    } else if (parts.length === 2 && isBlockId(b) && a !== undefined) {
      // by-hash values are null (one byte); session-blocks values are records.
      const small = node.value !== undefined && node.value.size <= 1;
      if (table === 'session-blocks' || (!small && isSession(a) && maybe('session-blocks'))) {
        this.seen.add(b);
        this.member(b, a);
        this.candidate(b, node, 'session-blocks', tier, txnId);
      } else if (table === 'by-hash' || (small && HASH_RE.test(a) && maybe('by-hash')))
        this.seen.add(b);
    } else if (
      parts.length === 2 &&
      isBlockId(a) &&
      b !== undefined &&
      isSession(b) &&
      (table === 'memberships' ||
        (node.value !== undefined && node.value.size <= 9 && maybe('memberships')))
    ) {
      // Format 2: [id, session] -> the write that added it (a small number).
      this.seen.add(a);
      this.member(a, b);
    } else if (parts.length === 3 && isBlockId(c) && b !== undefined && a !== undefined) {
      if (EDGE_KIND_SET.has(b) && isBlockId(a)) this.edge(a, b, c, table, key, newer);
      else if (BLOCK_KIND_SET.has(b) && (table === 'session-kind' || maybe('session-kind')))
        this.seen.add(c);
    }
  }

  private member(id: BlockId, session: string): void {
    let of = this.memberships.get(id);
    if (of === undefined) this.memberships.set(id, (of = new Set()));
    of.add(session);
  }

  private value(node: LeafNode): Buffer | undefined {
    return node.value === undefined ? undefined : this.file.value(node.value);
  }

  private body(hash: string, node: LeafNode): void {
    if (this.bodies.has(hash) || node.value === undefined) return;
    const raw = this.file.value(node.value);
    // The check: a body is taken only when its bytes still hash to its key.
    if (raw !== undefined && createHash('sha256').update(raw).digest('hex') === hash)
      this.bodies.set(hash, node.value);
  }

  private candidate(
    id: BlockId,
    node: LeafNode,
    table: RecordTable,
    tier: number,
    txnId: number,
  ): void {
    const raw = this.value(node);
    if (raw === undefined) return;
    const list = this.candidates.get(id) ?? [];
    list.push({ raw, table, tier, txnId });
    list.sort((x, y) => y.tier - x.tier || y.txnId - x.txnId || (x.table === 'blocks' ? -1 : 1));
    if (list.length > MAX_CANDIDATES) list.length = MAX_CANDIDATES;
    this.candidates.set(id, list);
  }

  private edge(
    a: BlockId,
    kind: string,
    b: BlockId,
    table: string | undefined,
    key: Buffer,
    newer: boolean,
  ): void {
    if (table === 'edges-out' || table === 'edges-in') {
      this.seen.add(a);
      this.seen.add(b);
      this.liveEdges.add(table === 'edges-out' ? `${a}|${kind}|${b}` : `${b}|${kind}|${a}`);
      return;
    }
    if (table !== undefined) return;
    // edges-out keys are [from, kind, to] and edges-in keys [to, kind, from]: by content alone the
    // direction is unknown. A lost range of only one of the tables tells it; else the log does.
    const out = newer || this.ranges('edges-out').has(key);
    const into = newer || this.ranges('edges-in').has(key);
    if (!out && !into) return;
    this.seen.add(a);
    this.seen.add(b);
    const id = `${a}|${kind}|${b}`;
    const known = this.orphanEdges.get(id);
    this.orphanEdges.set(id, {
      out: out || (known?.out ?? false),
      in: into || (known?.in ?? false),
    });
  }

  /** Decodes every change-log entry found, oldest first. */
  changeLog(decoder: ValueDecoder): ChangeLogFacts {
    const raws = [...this.changes].sort((x, y) => x[0] - y[0]).map(([, raw]) => raw);
    this.changes.clear();
    const values: unknown[] = [];
    for (let i = 0; i < raws.length; i += DECODE_BATCH)
      values.push(...decoder.plainValues(raws.slice(i, i + DECODE_BATCH)));
    return changeLogFacts(values);
  }

  /**
   * Decodes and checks the best record of each block the log does not say was deleted, with the
   * sessions the log says it has; keeps those whose body was found.
   */
  records(decoder: ValueDecoder, log: ChangeLogFacts): Map<BlockId, SalvagedBlock> {
    const stale = [...this.staleStructures]
      .sort((x, y) => y.raw.length - x.raw.length || y.txnId - x.txnId)
      .map((s) => s.raw);
    const structuresFor = (table: RecordTable): Buffer[] => {
      const other = this.liveStructures.get(table === 'blocks' ? 'session-blocks' : 'blocks');
      // Structures only grow, so the longest stale copy reads every older record.
      return distinct([this.liveStructures.get(table), ...stale.slice(0, 3), other]);
    };
    const out = new Map<BlockId, SalvagedBlock>();
    const accept = (id: BlockId, value: unknown): boolean => {
      const decoded = toRecord(value, id, this.memberships.get(id));
      const record =
        decoded === undefined ? undefined : withLoggedSessions(decoded, log.sessions.get(id));
      const body = record === undefined ? undefined : this.bodies.get(record.hash);
      if (
        record === undefined ||
        record.sessions.length === 0 ||
        body === undefined ||
        body.size !== record.size
      )
        return false;
      out.set(id, { record, body });
      return true;
    };
    const ids = [...this.candidates.keys()].filter((id) => !log.deleted.has(id));
    // The common case in batches: each id's best copy with its table's first structures.
    const retry: BlockId[] = [];
    for (const table of ['blocks', 'session-blocks'] as const) {
      const first = structuresFor(table)[0];
      const batch = ids.filter((id) => this.candidates.get(id)?.[0]?.table === table);
      for (let i = 0; i < batch.length; i += DECODE_BATCH) {
        const part = batch.slice(i, i + DECODE_BATCH);
        const values =
          first === undefined
            ? []
            : decoder.sharedValues(
                first,
                part.map((id) => this.candidates.get(id)?.[0]?.raw ?? Buffer.alloc(0)),
              );
        part.forEach((id, j) => {
          if (!accept(id, values[j])) retry.push(id);
        });
      }
    }
    for (const id of retry) {
      search: for (const candidate of this.candidates.get(id) ?? []) {
        for (const structures of structuresFor(candidate.table)) {
          if (accept(id, decoder.sharedValues(structures, [candidate.raw])[0])) break search;
        }
      }
    }
    return out;
  }

  /**
   * The edges among recovered blocks: from the live edge trees, and from keys read by content
   * whose direction is known (from the lost range they fall in, else the change log, else for a
   * tool-invocation from which end made calls), and from the change log.
   */
  resolveEdges(
    blocks: ReadonlyMap<BlockId, SalvagedBlock>,
    log: ChangeLogFacts,
  ): { edges: Edge[]; edgesLost: number } {
    const found = new Set(this.liveEdges);
    const caller = (x: BlockId) => (blocks.get(x)?.record.toolCalls?.length ?? 0) > 0;
    let edgesLost = 0;
    for (const [id, where] of this.orphanEdges) {
      const [a, kind, b] = id.split('|') as [BlockId, string, BlockId];
      const flipped = `${b}|${kind}|${a}`;
      if (found.has(id) || found.has(flipped)) continue;
      if (where.out !== where.in) found.add(where.out ? id : flipped);
      else if (log.edges.has(id) || (kind === 'tool-invocation' && caller(a) && !caller(b)))
        found.add(id);
      else if (log.edges.has(flipped) || (kind === 'tool-invocation' && caller(b) && !caller(a)))
        found.add(flipped);
      else edgesLost++;
    }
    // Edges go only with a deleted end, so every edge the log names between live blocks exists.
    for (const id of log.edges) {
      const [a, kind, b] = id.split('|') as [BlockId, string, BlockId];
      if (!found.has(`${b}|${kind}|${a}`)) found.add(id);
    }
    const edges: Edge[] = [];
    for (const id of found) {
      const [from, kind, to] = id.split('|') as [BlockId, EdgeKind, BlockId];
      if (blocks.has(from) && blocks.has(to) && from !== to) edges.push({ from, kind, to });
      else if (!log.deleted.has(from) && !log.deleted.has(to)) edgesLost++;
    }
    edges.sort((x, y) => (x.from + x.kind + x.to < y.from + y.kind + y.to ? -1 : 1));
    return { edges, edgesLost };
  }
}

function distinct(buffers: readonly (Buffer | undefined)[]): Buffer[] {
  const out: Buffer[] = [];
  for (const b of buffers) if (b !== undefined && !out.some((o) => o.equals(b))) out.push(b);
  return out;
}
