// The typed-edge graph as a recorded turn saw it: around a block, or around the turn's selection,
// over the edges added by its watermark between blocks that existed then. Drawn by the Graph
// view's canvas (lazy: cytoscape is large); clicking a node shows it beside the graph, and the
// side panel opens it in the store as of the turn.
import { lazy, Suspense, useState } from 'react';
import type { GraphNodeView } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { formatInt, shortId } from '../lib/format';
import { useQuery } from '../lib/use-query';
import { sizeText } from '../views/graph-view';
import { GraphLegend } from './graph-legend';
import { KindBadge } from './kind-badge';
import { EmptyState, ErrorState, Loading } from './states';
import '../views/graph-view.css';
import './graph-side-panel.css';
import './asof-graph.css';

const GraphCanvas = lazy(() => import('./graph-canvas').then((m) => ({ default: m.GraphCanvas })));

export interface AsOfGraphProps {
  readonly callId: string;
  /** The block to draw around; the turn's selection without one. */
  readonly block: string | undefined;
  readonly depth: number;
  readonly node: string | undefined;
  readonly onNode: (id: string | undefined) => void;
  readonly onDepth: (depth: number) => void;
  /** Opens a block in the Blocks tab of the store as of the turn. */
  readonly onOpen: (node: GraphNodeView) => void;
  readonly onAroundTurn: () => void;
}

export function AsOfGraph({
  callId,
  block,
  depth,
  node,
  onNode,
  onDepth,
  onOpen,
  onAroundTurn,
}: AsOfGraphProps) {
  const call = useApi();
  const key = `asof.graph:${callId}:${block ?? ''}:${depth}`;
  const graph = useQuery(key, () =>
    call('asof.graph', {
      callId,
      ...(block === undefined ? {} : { block }),
      depth,
      maxNodes: 1500,
    }),
  );
  const [fit, setFit] = useState(0);
  if (graph.error !== undefined)
    return (
      <ErrorState title="The graph could not be built" error={graph.error} onRetry={graph.reload} />
    );
  const data = graph.data;
  if (data === undefined) return <Loading label="Walking the graph as it was…" />;
  const selected = data.nodes.find((n) => n.id === node);
  return (
    <div className="asof-graph">
      <div className="toolbar asof-graph-bar">
        <span role="status" aria-label="Graph size">
          {block === undefined
            ? `Around the ${formatInt(data.nodes.filter((n) => n.role === 'selected').length)} blocks the turn selected, with the edges it saw`
            : `Around block ${shortId(block)}, with the edges the turn saw`}
          : {sizeText(data)}
        </span>
        <label className="field">
          <span>Hops</span>
          <select value={depth} onChange={(e) => onDepth(Number(e.target.value))}>
            {[0, 1, 2, 3, 4].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setFit((n) => n + 1)}>
          Fit
        </button>
        {block === undefined ? null : (
          <button type="button" className="link-button" onClick={onAroundTurn}>
            Around the turn instead
          </button>
        )}
      </div>
      {data.nodes.length === 0 ? (
        <EmptyState title="Nothing to draw">
          <p>
            {block === undefined
              ? 'None of the blocks this turn selected is still in the store.'
              : 'This block was written after the turn: it is not in the graph as the turn saw it.'}
          </p>
        </EmptyState>
      ) : (
        <div className="graph-body">
          <Suspense fallback={<Loading label="Loading the graph renderer…" />}>
            <GraphCanvas
              nodes={data.nodes}
              edges={data.edges}
              cursor={node}
              onSelect={onNode}
              fitSignal={fit}
            />
          </Suspense>
          <aside className="graph-side">
            {selected === undefined ? (
              <p className="muted">Click a block to see it here.</p>
            ) : (
              <section className="graph-details" aria-labelledby="asof-graph-selected">
                <h4 id="asof-graph-selected">Selected block</h4>
                <p>
                  <KindBadge kind={selected.kind} section={selected.section} />{' '}
                  {selected.role === 'neighbour' ? (
                    <span className="muted">neighbour</span>
                  ) : (
                    <span className={`role role-${selected.role}`}>
                      {selected.role}
                      {selected.reason === null ? '' : `: ${selected.reason}`}
                    </span>
                  )}
                </p>
                <p className="graph-details-text">
                  {selected.preview || <span className="muted">(empty)</span>}
                </p>
                <p className="graph-details-links">
                  <button type="button" className="link-button" onClick={() => onOpen(selected)}>
                    Open as of this turn
                  </button>
                </p>
              </section>
            )}
            <GraphLegend turn />
          </aside>
        </div>
      )}
    </div>
  );
}
