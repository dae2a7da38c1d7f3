// Handlers of the methods in ./contract-graph.ts; merged into the full map by ./handlers.ts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphEdgeView, GraphNodeView, GraphOutputs, GraphResult, GraphRole } from './contract-graph';
import { GRAPH_COUNT_LIMIT } from './contract-graph';
import type { FeatureContext, ImplementationsOf } from './handlers';
import { exportTurnBundle, getTrace, importTurnBundle, KIND_SECTION, Llm386Error, neighbourhood, parseTurnBundle, replay, Store, type BlockId, type TraceRecord } from './runtime';
import type { EdgeKind } from './contract-atoms';

/**
 * What main lends the handlers beyond the store: where imported bundles become stores, and how to
 * switch the open store to one of them. Without it, `bundle.import` fails with `invalid-input`.
 */
export interface InspectorHost {
  /** A folder main owns; each import makes a new store in a fresh folder under it. */
  readonly bundlesDir: string;
  /** Switches the inspector to the store in `dir` once the current call has answered. */
  readonly openStore?: ((dir: string) => void) | undefined;
}

type Mark = { readonly role: GraphRole; readonly reason: GraphNodeView['reason']; readonly tokens: number | null };

/** The implementations of this feature's methods over one open store. */
export function graphImplementations(context: FeatureContext): ImplementationsOf<keyof GraphOutputs> {
  const { store, blocks, host } = context;

  const graph = (roots: readonly BlockId[], depth: number, maxNodes: number, marks: ReadonlyMap<string, Mark>, kinds?: readonly EdgeKind[]) => {
    const hood = neighbourhood(store, roots, { depth, maxNodes, ...(kinds === undefined ? {} : { kinds }) });
    // The count walk runs only when the cap cut the first one short.
    const total = hood.truncated ? neighbourhood(store, roots, { depth, maxNodes: GRAPH_COUNT_LIMIT, ...(kinds === undefined ? {} : { kinds }) }) : hood;
    const nodes: GraphNodeView[] = [];
    for (const id of hood.nodes) {
      const record = store.getRecord(id);
      if (record === undefined) continue;
      const mark = marks.get(id) ?? { role: 'neighbour', reason: null, tokens: null };
      const summary = blocks.summary(record);
      nodes.push({ id, kind: record.kind, section: KIND_SECTION[record.kind], preview: summary.preview, session: record.sessions[0] ?? '', ...mark });
    }
    const edges: GraphEdgeView[] = hood.edges.map((e) => ({ from: e.from, kind: e.kind, to: e.to }));
    return { nodes, edges, total: total.nodes.length, totalIsLowerBound: total.truncated, truncated: hood.truncated };
  };

  return {
    'graph.around': (input): GraphResult => {
      store.requireRecord(input.block);
      const marks = new Map<string, Mark>([[input.block, { role: 'root', reason: null, tokens: null }]]);
      return { ...graph([input.block as BlockId], input.depth, input.maxNodes, marks, input.kinds), turn: null };
    },

    'graph.turn': (input): GraphResult => {
      const record = getTrace(store, input.callId);
      const marks = turnMarks(record);
      const present = [...marks.keys()].filter((id) => store.getRecord(id) !== undefined) as BlockId[];
      const result = graph(present, input.depth, Math.max(input.maxNodes, present.length), marks);
      return { ...result, turn: { callId: record.callId, session: record.session, task: record.task, missing: marks.size - present.length } };
    },

    'bundle.export': async (input) => {
      const bundle = await exportTurnBundle(store, input.callId);
      return { bundle: bundle as unknown as GraphOutputs['bundle.export']['bundle'], fileName: `llm386-turn-${bundle.callId}.json`, blocks: bundle.blocks.length };
    },

    'bundle.import': async (input) => {
      if (host === undefined) throw new Llm386Error('invalid-input', 'opening a bundle is not available here: use `llm386 trace import FILE --store NEWDIR`');
      let data: unknown;
      try {
        data = JSON.parse(input.text);
      } catch {
        throw new Llm386Error('bundle-invalid', 'the file is not JSON: pick a bundle saved with "Export bundle" or `llm386 trace export`');
      }
      const bundle = parseTurnBundle(data);
      // Opening a file must not send anything anywhere: replaying a turn whose policy embeds over
      // HTTP would post the bundle's text (with the user's API key) to a server the bundle names.
      const remote = bundle.trace.policy.retrievers.find((r) => r.embedder !== undefined && !/^hash(-\d+)?$/.test(r.embedder));
      if (remote !== undefined) {
        throw new Llm386Error('bundle-invalid', `this bundle's retriever "${remote.name}" embeds with ${remote.embedder ?? '?'} over the network; if you trust it, import it with \`llm386 trace import FILE --store NEWDIR\``);
      }
      mkdirSync(host.bundlesDir, { recursive: true });
      const dir = mkdtempSync(join(host.bundlesDir, 'turn-'));
      let made;
      try {
        made = importTurnBundle(dir, bundle);
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      const imported = Store.open(made.dir);
      let report;
      let session: string;
      try {
        report = await replay(imported, made.callId);
        session = getTrace(imported, made.callId).session;
      } finally {
        imported.close();
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
          divergence: report.divergence === undefined ? null : `${report.divergence.stage}: ${report.divergence.detail}`,
        },
        switched: host.openStore !== undefined,
      };
    },
  };
}

/** Each candidate of a recorded turn with its decision, reason and tokens. */
function turnMarks(record: TraceRecord): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const s of record.plan.selected) marks.set(s.id, { role: 'selected', reason: s.reason, tokens: s.tokens });
  for (const o of record.plan.omitted) if (!marks.has(o.id)) marks.set(o.id, { role: 'omitted', reason: o.reason, tokens: o.tokensNeeded });
  return marks;
}
