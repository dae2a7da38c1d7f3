// Handlers of the methods in ../contract/contract-graph.ts; merged into the full map by ./index.ts.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  GraphEdgeView,
  GraphNodeView,
  GraphOutputs,
  GraphResult,
  GraphRole,
} from '../contract/contract-graph';
import { GRAPH_COUNT_LIMIT } from '../contract/contract-graph';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import {
  canonicalJson,
  exportTurnBundle,
  getTrace,
  importTurnBundle,
  KIND_SECTION,
  Llm386Error,
  neighbourhood,
  parseTurnBundle,
  replay,
  sha256Hex,
  Store,
  STORE_FILE,
  type BlockId,
  type TraceRecord,
} from '../../runtime';
import { storeId } from './store-id';
import type { EdgeKind } from '../contract/contract-atoms';

type Mark = {
  readonly role: GraphRole;
  readonly reason: GraphNodeView['reason'];
  readonly tokens: number | null;
  readonly score?: number;
};

/** True when `dir` holds a store with the trace `callId` (a bundle opened before). */
function holdsTurn(dir: string, callId: string): boolean {
  if (!existsSync(join(dir, STORE_FILE))) return false;
  try {
    const existing = Store.open(dir);
    try {
      getTrace(existing, callId);
      return true;
    } finally {
      existing.close();
    }
  } catch {
    return false;
  }
}

/** The implementations of this feature's methods over one open store. */
export function graphImplementations(
  context: FeatureContext,
): ImplementationsOf<keyof GraphOutputs> {
  const { store, blocks, host, config } = context;

  const graph = (
    roots: readonly BlockId[],
    depth: number,
    maxNodes: number,
    marks: ReadonlyMap<string, Mark>,
    kinds?: readonly EdgeKind[],
  ) => {
    const hood = neighbourhood(store, roots, {
      depth,
      maxNodes,
      ...(kinds === undefined ? {} : { kinds }),
    });
    // The count walk runs only when the cap cut the first one short.
    const total = hood.truncated
      ? neighbourhood(store, roots, {
          depth,
          maxNodes: GRAPH_COUNT_LIMIT,
          ...(kinds === undefined ? {} : { kinds }),
        })
      : hood;
    const nodes: GraphNodeView[] = [];
    for (const id of hood.nodes) {
      const record = store.getRecord(id);
      if (record === undefined) continue;
      const mark = marks.get(id) ?? { role: 'neighbour', reason: null, tokens: null };
      const summary = blocks.summary(record);
      nodes.push({
        id,
        kind: record.kind,
        section: KIND_SECTION[record.kind],
        preview: summary.preview,
        session: record.sessions[0] ?? '',
        labels: record.labels,
        ...mark,
      });
    }
    const edges: GraphEdgeView[] = hood.edges.map((e) => ({
      from: e.from,
      kind: e.kind,
      to: e.to,
    }));
    return {
      nodes,
      edges,
      total: total.nodes.length,
      totalIsLowerBound: total.truncated,
      truncated: hood.truncated,
      listedOnly: [],
    };
  };

  const view = (id: string, mark: Mark): GraphNodeView | undefined => {
    const record = store.getRecord(id);
    if (record === undefined) return undefined;
    return {
      id,
      kind: record.kind,
      section: KIND_SECTION[record.kind],
      preview: blocks.summary(record).preview,
      session: record.sessions[0] ?? '',
      labels: record.labels,
      ...mark,
    };
  };

  /**
   * A turn's graph, readable at any size: its selected blocks (always), then the omitted candidates
   * with an edge (to the selection or to each other), their edge neighbours, then the other omitted
   * candidates by score, up to `maxNodes`. Those left over are listed (`listedOnly`), not drawn.
   */
  const turnGraph = (
    present: readonly BlockId[],
    marks: ReadonlyMap<string, Mark>,
    depth: number,
    maxNodes: number,
  ) => {
    // Depth 0 still draws the edges among the candidates: walk one hop, keep only candidates.
    const walk = neighbourhood(store, present, {
      depth: Math.max(1, depth),
      maxNodes: GRAPH_COUNT_LIMIT,
    });
    const within = depth === 0 ? new Set<string>(present) : new Set<string>(walk.nodes);
    const edges = walk.edges.filter((e) => within.has(e.from) && within.has(e.to));
    const linked = new Set<string>();
    for (const e of edges) {
      linked.add(e.from);
      linked.add(e.to);
    }
    const score = (id: string) => marks.get(id)?.score ?? -Infinity;
    const byScore = (a: string, b: string) => score(b) - score(a) || (a < b ? -1 : 1);
    const selected = present.filter((id) => marks.get(id)?.role === 'selected');
    const omitted = present.filter((id) => marks.get(id)?.role === 'omitted');
    const order = [
      ...selected,
      ...omitted.filter((id) => linked.has(id)).sort(byScore),
      ...[...within].filter((id) => !marks.has(id)),
      ...omitted.filter((id) => !linked.has(id)).sort(byScore),
    ];
    // The selection is drawn whole even past the cap; the rest stops at it.
    const drawn = new Set(order.slice(0, Math.max(maxNodes, selected.length)));
    const nodes: GraphNodeView[] = [];
    const listedOnly: GraphNodeView[] = [];
    for (const id of order) {
      const mark = marks.get(id);
      if (!drawn.has(id) && mark === undefined) continue;
      const node = view(
        id,
        mark === undefined
          ? { role: 'neighbour', reason: null, tokens: null }
          : { role: mark.role, reason: mark.reason, tokens: mark.tokens },
      );
      if (node !== undefined) (drawn.has(id) ? nodes : listedOnly).push(node);
    }
    return {
      nodes,
      edges: edges
        .filter((e) => drawn.has(e.from) && drawn.has(e.to))
        .map((e): GraphEdgeView => ({ from: e.from, kind: e.kind, to: e.to })),
      total: within.size,
      totalIsLowerBound: walk.truncated,
      truncated: drawn.size < within.size,
      listedOnly,
    };
  };

  return {
    'graph.around': (input): GraphResult => {
      store.requireRecord(input.block);
      const marks = new Map<string, Mark>([
        [input.block, { role: 'root', reason: null, tokens: null }],
      ]);
      return {
        ...graph([input.block as BlockId], input.depth, input.maxNodes, marks, input.kinds),
        turn: null,
      };
    },

    'graph.turn': (input): GraphResult => {
      const record = getTrace(store, input.callId);
      const marks = turnMarks(record);
      const present = [...marks.keys()].filter((id) => store.hasBlock(id)) as BlockId[];
      const turn = {
        callId: record.callId,
        session: record.session,
        task: record.task,
        missing: marks.size - present.length,
      };
      return { ...turnGraph(present, marks, input.depth, input.maxNodes), turn };
    },

    'bundle.export': async (input) => {
      const bundle = await exportTurnBundle(store, input.callId);
      return {
        bundle: bundle as unknown as GraphOutputs['bundle.export']['bundle'],
        fileName: `llm386-turn-${bundle.callId}.json`,
        blocks: bundle.blocks.length,
      };
    },

    'bundle.import': async (input) => {
      if (host === undefined)
        throw new Llm386Error(
          'invalid-input',
          'opening a bundle is not available here: use `llm386 trace import FILE --store NEWDIR`',
        );
      let data: unknown;
      try {
        data = JSON.parse(input.text);
      } catch {
        throw new Llm386Error(
          'bundle-invalid',
          'the file is not JSON: pick a bundle saved with "Export bundle" or `llm386 trace export`',
        );
      }
      // parseTurnBundle refuses endpoints, key variables and modules; replay below takes them
      // from the inspector's config only, so opening a file never sends anything anywhere.
      const bundle = parseTurnBundle(data);
      mkdirSync(host.bundlesDir, { recursive: true });
      // One folder per bundle content: opening the same bundle again reopens the store made from it.
      const dir = resolve(
        host.bundlesDir,
        `turn-${bundle.callId.slice(0, 8)}-${sha256Hex(canonicalJson(bundle)).slice(0, 12)}`,
      );
      const open = resolve(store.dir) === dir;
      const reused = open || holdsTurn(dir, bundle.callId);
      let made = {
        dir,
        callId: bundle.callId,
        blocks: bundle.blocks.length,
        edges: bundle.edges.length,
      };
      if (!reused) {
        // A folder left half-made by an interrupted import is made again.
        rmSync(dir, { recursive: true, force: true });
        try {
          made = importTurnBundle(dir, bundle);
        } catch (error) {
          rmSync(dir, { recursive: true, force: true });
          throw error;
        }
      }
      // The same bundle opened twice in a row: its store is the open one; replay on that handle.
      const imported = open ? store : Store.open(made.dir);
      let report;
      let session: string;
      try {
        report = await replay(imported, made.callId, { config });
        session = getTrace(imported, made.callId).session;
      } finally {
        if (!open) imported.close();
      }
      host.openStore?.(made.dir);
      return {
        dir: made.dir,
        callId: made.callId,
        session,
        blocks: made.blocks,
        edges: made.edges,
        replay: {
          identical: report.identical,
          recordedHash: report.recordedHash,
          replayedHash: report.replayedHash,
          divergence:
            report.divergence === undefined
              ? null
              : `${report.divergence.stage}: ${report.divergence.detail}`,
        },
        switched: host.openStore !== undefined,
        store: storeId(made.dir),
        reused,
      };
    },
  };
}

/** Each candidate of a recorded turn with its decision, reason and tokens. */
function turnMarks(record: TraceRecord): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const s of record.plan.selected)
    marks.set(s.id, { role: 'selected', reason: s.reason, tokens: s.tokens, score: s.score });
  for (const o of record.plan.omitted)
    if (!marks.has(o.id))
      marks.set(o.id, {
        role: 'omitted',
        reason: o.reason,
        tokens: o.tokensNeeded,
        score: o.score,
      });
  return marks;
}
