// Contract methods of the "store as of a turn" view: the blocks, sessions and edges as a recorded
// call saw them (every write up to its watermark), and what was written between two calls. Merged
// into API_INPUTS and ApiOutputs by ./index.ts; the handlers live in ../handlers/handlers-asof.ts.
import { z } from 'zod';
import {
  BLOCK_KINDS,
  SECTIONS,
  blockId,
  session,
  type BlockKind,
  type EdgeKind,
  type Section,
} from './contract-atoms';
import type { BlockPage, BlockSummary, EdgeView } from './contract-views';
import type { GraphResult } from './contract-graph';

/** Most entries `asof.between` lists of each kind. */
export const BETWEEN_MAX = 5000;
/** Most writes `asof.between` reads from the change log (its counts stop there). */
export const BETWEEN_SCAN_MAX = 250_000;

/** One zod schema per method of this feature. */
export const ASOF_INPUTS = {
  /** The turn's watermark, and every session with the blocks it held then and holds now. */
  'asof.sessions': z.strictObject({ callId: blockId }),
  /**
   * One page of a session's blocks as they were at the turn's watermark (oldest first), filtered
   * like `blocks.list`; the label and search filters read the blocks as they are now.
   */
  'asof.blocks': z.strictObject({
    callId: blockId,
    session,
    kinds: z.array(z.enum(BLOCK_KINDS)).max(BLOCK_KINDS.length).optional(),
    sections: z.array(z.enum(SECTIONS)).max(SECTIONS.length).optional(),
    label: z.string().min(1).max(200).optional(),
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
    search: z.string().max(500).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  /** A block as the turn saw it: whether it existed, its sessions and edges then. */
  'asof.block': z.strictObject({ callId: blockId, id: blockId }),
  /** The typed-edge graph at the turn's watermark, around a block or (without one) the turn's candidates. */
  'asof.graph': z.strictObject({
    callId: blockId,
    block: blockId.optional(),
    depth: z.number().int().min(0).max(4).default(1),
    maxNodes: z.number().int().min(1).max(5000).default(1000),
  }),
  /**
   * What was written after turn `from` up to turn `to` (or up to now without `to`), oldest first:
   * every kind of write counted, at most `limit` of each listed.
   */
  'asof.between': z.strictObject({
    from: blockId,
    to: blockId.optional(),
    limit: z.number().int().min(1).max(BETWEEN_MAX).default(500),
  }),
} as const satisfies Record<string, z.ZodType>;

/** The point in the store's history a recorded turn saw. */
export interface AsOfTurnView {
  readonly callId: string;
  readonly session: string;
  /** The task, on one line, cut to the preview length. */
  readonly task: string;
  readonly createdAt: number;
  /** Its watermark: the write sequence number of the last write it saw. */
  readonly seq: number;
  /** A turn recorded before write sequences: the newest block id it saw (else null). */
  readonly watermarkId: string | null;
}

export interface AsOfSessionView {
  readonly session: string;
  /** Blocks it held at the turn (still in the store). */
  readonly blocks: number;
  /** Blocks it holds now. */
  readonly now: number;
}

export interface AsOfStoreView {
  readonly turn: AsOfTurnView;
  /** The store's newest write now. */
  readonly nowSeq: number;
  /** Sessions that held blocks at the turn, then those made since (with `blocks` 0). */
  readonly sessions: readonly AsOfSessionView[];
  /**
   * Blocks deleted and session memberships removed since the turn: those blocks are gone from the
   * store and so from these lists. Counted over at most {@link BETWEEN_MAX} later writes.
   */
  readonly goneSince: {
    readonly deleted: number;
    readonly removed: number;
    readonly lowerBound: boolean;
  };
}

/** A block row as it was at the turn: its sessions then. */
export type AsOfBlockPage = BlockPage;

export interface AsOfBlockView {
  readonly turn: AsOfTurnView;
  /** False when the block was written after the turn (then `sessions`, `out` and `in` are empty). */
  readonly existed: boolean;
  /** The write that created it (0 for blocks older than write sequences). */
  readonly writtenSeq: number;
  /** The block as it is now (its text never changes); `sessions` are those it had joined by the turn. */
  readonly block: BlockSummary & { readonly text: string; readonly truncated: boolean };
  /** Each session it was in at the turn, with the write that added it there. */
  readonly joined: readonly { readonly session: string; readonly seq: number }[];
  /** Sessions it joined after the turn. */
  readonly joinedLater: readonly { readonly session: string; readonly seq: number }[];
  /** Edges leaving and entering it at the turn, between blocks that existed then. */
  readonly out: readonly EdgeView[];
  readonly in: readonly EdgeView[];
  /** Edges touching it that were added after the turn. */
  readonly edgesLater: number;
}

/** One block a write names, with what the list shows of it (null when it is gone). */
export interface WrittenBlockView {
  readonly id: string;
  readonly kind: BlockKind | null;
  readonly section: Section | null;
  readonly preview: string | null;
}

/** A block added to a session between two points. */
export interface AddedWriteView extends WrittenBlockView {
  readonly session: string;
  readonly seq: number;
  /** True when the block existed before in another session (a fact deduplicated into this one). */
  readonly existedBefore: boolean;
}

export interface BetweenView {
  /** The earlier point: a turn. */
  readonly from: AsOfTurnView;
  /** The later point: a turn, or null for now. */
  readonly to: AsOfTurnView | null;
  /** True when `to` was recorded before `from`: the lists still run from the earlier to the later. */
  readonly reversed: boolean;
  /** Write sequence numbers: what lies after `fromSeq` up to `toSeq`. */
  readonly fromSeq: number;
  readonly toSeq: number;
  /** Blocks added to a session (new, or an existing fact deduplicated into it). */
  readonly added: readonly AddedWriteView[];
  /** Blocks taken out of a session. */
  readonly removed: readonly (WrittenBlockView & {
    readonly session: string;
    readonly seq: number;
  })[];
  readonly deleted: readonly { readonly id: string; readonly seq: number }[];
  readonly edges: readonly {
    readonly from: WrittenBlockView;
    readonly kind: EdgeKind;
    readonly to: WrittenBlockView;
    readonly seq: number;
  }[];
  readonly calls: readonly {
    readonly callId: string;
    readonly session: string;
    readonly seq: number;
    readonly task: string | null;
  }[];
  /** How many of each there are in all: a list holds the first `limit` of them. */
  readonly totals: {
    readonly added: number;
    readonly removed: number;
    readonly deleted: number;
    readonly edges: number;
    readonly calls: number;
  };
  /** True when more than {@link BETWEEN_SCAN_MAX} writes lie between: the counts cover the first of them only. */
  readonly truncated: boolean;
}

/** The result type of each method of this feature. */
export interface AsOfOutputs {
  'asof.sessions': AsOfStoreView;
  'asof.blocks': AsOfBlockPage;
  'asof.block': AsOfBlockView;
  'asof.graph': GraphResult;
  'asof.between': BetweenView;
}
