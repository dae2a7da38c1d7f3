// Contract methods of the Graph view (the typed-edge graph around a block or a turn) and of turn
// bundles (export one recorded turn as JSON; open one as a new store). Merged into API_INPUTS and
// ApiOutputs by ./index.ts; the handlers live in ../handlers/handlers-graph.ts.
import { z } from 'zod';
import {
  blockId,
  EDGE_KINDS,
  type BlockKind,
  type EdgeKind,
  type OmitReason,
  type Section,
  type SelectReason,
} from './contract-atoms';

/** Most nodes a graph call returns. */
export const GRAPH_MAX_NODES = 5000;
/** Largest bundle text `bundle.import` accepts (characters of JSON). */
export const BUNDLE_TEXT_LIMIT = 32 * 1024 * 1024;

/** One zod schema per method of this feature. */
export const GRAPH_INPUTS = {
  'graph.around': z.strictObject({
    block: blockId,
    /** Hops from the block, over edges in both directions. */
    depth: z.number().int().min(1).max(6).default(2),
    maxNodes: z.number().int().min(1).max(GRAPH_MAX_NODES).default(500),
    /** Only these edge kinds; default all. */
    kinds: z.array(z.enum(EDGE_KINDS)).max(EDGE_KINDS.length).optional(),
  }),
  'graph.turn': z.strictObject({
    callId: blockId,
    /** Hops of neighbours around the turn's candidates (0: the candidates alone). */
    depth: z.number().int().min(0).max(3).default(1),
    maxNodes: z.number().int().min(1).max(GRAPH_MAX_NODES).default(2000),
  }),
  'bundle.export': z.strictObject({ callId: blockId }),
  'bundle.import': z.strictObject({
    /** The bundle file's text, as the user picked it; main parses and validates it. */
    text: z
      .string()
      .min(1)
      .max(BUNDLE_TEXT_LIMIT, `a bundle is at most ${BUNDLE_TEXT_LIMIT} characters`),
  }),
} as const satisfies Record<string, z.ZodType>;

/** A node's part in the graph: the block asked about, a candidate of the turn, or a neighbour. */
export type GraphRole = 'root' | 'selected' | 'omitted' | 'neighbour';

export interface GraphNodeView {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  /** The first characters of the text, on one line. */
  readonly preview: string;
  /** The block's first session (where the Blocks view opens it). */
  readonly session: string;
  readonly role: GraphRole;
  /** Turn graphs: why the block was selected or omitted. */
  readonly reason: SelectReason | OmitReason | null;
  /** Turn graphs: tokens the block took (selected) or needed (omitted). */
  readonly tokens: number | null;
  /**
   * The block's labels (`graph.around`, `graph.turn`). Absent from as-of graphs: a block put again
   * with new labels gains them, so today's labels may not be the turn's.
   */
  readonly labels?: readonly string[] | undefined;
}

export interface GraphEdgeView {
  readonly from: string;
  readonly kind: EdgeKind;
  readonly to: string;
}

export interface GraphResult {
  readonly nodes: readonly GraphNodeView[];
  readonly edges: readonly GraphEdgeView[];
  /** Nodes within reach (at most {@link GRAPH_COUNT_LIMIT}); more than `nodes.length` when the cap cut the walk or, for a turn, left candidates out. */
  readonly total: number;
  /** True when `total` is a lower bound (the count stopped at its own limit). */
  readonly totalIsLowerBound: boolean;
  readonly truncated: boolean;
  /**
   * Turn graphs: the candidates left out of the drawing to keep it within `maxNodes` (omitted
   * blocks with no edge in the graph and the lowest scores), in score order; the view lists them.
   * Empty around a block.
   */
  readonly listedOnly: readonly GraphNodeView[];
  /** Turn graphs: the call, its session and task; null around a block. */
  readonly turn: {
    readonly callId: string;
    readonly session: string;
    readonly task: string;
    readonly missing: number;
  } | null;
}

/** How far `total` counts before it gives up. */
export const GRAPH_COUNT_LIMIT = 50_000;

/** A turn bundle as it crosses the boundary: plain JSON the renderer saves as a file. */
export interface TurnBundleView {
  readonly format: string;
  readonly callId: string;
  readonly [field: string]: unknown;
}

export interface BundleImportResult {
  /** Where main created the new store (a folder it owns). */
  readonly dir: string;
  readonly callId: string;
  readonly session: string;
  readonly blocks: number;
  readonly edges: number;
  /** The call replayed in the new store. */
  readonly replay: {
    readonly identical: boolean;
    readonly recordedHash: string;
    readonly replayedHash: string | null;
    readonly divergence: string | null;
  };
  /** True when the inspector now shows the new store (the page sees it in `store.changes`). */
  readonly switched: boolean;
  /** The new store's id (`stores.open`, the page's `?store=`). */
  readonly store: string;
  /** True when this bundle was opened before: its store was reopened, not made again. */
  readonly reused: boolean;
}

/** The result type of each method of this feature. */
export interface GraphOutputs {
  'graph.around': GraphResult;
  'graph.turn': GraphResult;
  /** The bundle and a file name to save it under. */
  'bundle.export': {
    readonly bundle: TurnBundleView;
    readonly fileName: string;
    readonly blocks: number;
  };
  'bundle.import': BundleImportResult;
}
