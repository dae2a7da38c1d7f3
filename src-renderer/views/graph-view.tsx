// The Graph view: the typed-edge graph around a block (`#/graph?block=ID`) or around a recorded
// turn's candidates (`#/graph?call=ID`), coloured by section, selected solid and omitted hollow,
// dependency pulls and tool pairs by shape. Filters (part of the turn, connected only, section,
// kind; in the URL) hide blocks where they are, for graphs of thousands. Hovering a node names it;
// clicking one selects it in place (`&node=ID`): the side panel shows its text, edges and links to
// the Blocks view, its own graph and, for a turn, its why / why not. j/k move the selection
// through the blocks shown, Enter opens it in the Blocks view, f fits the graph, Esc clears the
// selection.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { GraphNodeView, GraphResult } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { ExportBundleButton } from '../components/bundle-actions';
import type { LayoutTimes } from '../components/graph-canvas';
import { GraphFilters } from '../components/graph-filters';
import { GraphLegend } from '../components/graph-legend';
import { GraphSidePanel } from '../components/graph-side-panel';
import { KindBadge } from '../components/kind-badge';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { formatInt, shortId } from '../lib/format';
import {
  filterNodes,
  graphFacets,
  graphFilterParams,
  isFiltering,
  parseGraphFilter,
  type GraphFilter,
} from '../lib/graph-filter';
import { listStep, useKeys } from '../lib/keys';
import { formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { useQuery } from '../lib/use-query';
import './graph-view.css';

// cytoscape is large: load it with the view, not with the app.
const loadCanvas = () => import('../components/graph-canvas');
const GraphCanvas = lazy(() => loadCanvas().then((m) => ({ default: m.GraphCanvas })));

const DEPTHS = [1, 2, 3, 4] as const;

export function GraphView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const block = route.params['block'];
  const callId = route.params['call'];
  const depth = Number(route.params['depth'] ?? (callId === undefined ? 2 : 1));
  const maxNodes = clamp(Number(route.params['max'] ?? 2000), 1, 5000);
  const key =
    callId !== undefined
      ? `graph.turn:${callId}:${depth}:${maxNodes}`
      : block !== undefined
        ? `graph.around:${block}:${depth}:${maxNodes}`
        : undefined;
  const graph = useQuery<GraphResult>(key, () =>
    callId !== undefined
      ? call('graph.turn', { callId, depth: clamp(depth, 0, 3), maxNodes })
      : call('graph.around', { block: block ?? '', depth: clamp(depth, 1, 6), maxNodes }),
  );
  const cursor = route.params['node'];
  const setCursor = (id: string | undefined) =>
    navigate(withParams(route, { node: id }), { replace: true });
  // Keyed by the graph it measured: a child's effect (the canvas) runs before this view's own.
  const [laidOut, setLaidOut] = useState<{ key: string; times: LayoutTimes } | undefined>(
    undefined,
  );
  const [fit, setFit] = useState(0);
  const data = graph.data;
  const filter = useGraphFilter(route);
  const setFilter = (next: GraphFilter) =>
    navigate(withParams(route, graphFilterParams(next)), { replace: true });
  // The blocks drawn that the filters keep: the canvas hides the rest, the list and j/k skip them.
  const nodes = useMemo(
    () => filterNodes(data?.nodes ?? [], filter, data?.edges ?? []),
    [data, filter],
  );
  // Listed blocks have no edge: Connected only leaves none of them.
  const listed = useMemo(() => filterNodes(data?.listedOnly ?? [], filter, []), [data, filter]);
  const visible = useMemo(
    () => (isFiltering(filter) ? new Set(nodes.map((n) => n.id)) : undefined),
    [filter, nodes],
  );
  const drawnIds = useMemo(() => new Set((data?.nodes ?? []).map((n) => n.id)), [data]);
  const facets = useMemo(
    () => graphFacets(data?.nodes ?? [], filter, data?.edges ?? []),
    [data, filter],
  );
  // The canvas's code and its layout worker load while the graph is walked, not after.
  useEffect(() => void loadCanvas(), []);

  const open = (id: string) => {
    const node = data?.nodes.find((n) => n.id === id) ?? data?.listedOnly.find((n) => n.id === id);
    navigate({
      view: 'blocks',
      params: { ...(node?.session ? { session: node.session } : {}), block: id },
    });
  };

  useKeys((event) => {
    if (nodes.length === 0) return;
    const step = listStep(event.key);
    if (step !== undefined) {
      event.preventDefault();
      const at = cursor === undefined ? -1 : nodes.findIndex((n) => n.id === cursor);
      const next = nodes[Math.min(nodes.length - 1, Math.max(0, at + step))];
      if (next !== undefined) setCursor(next.id);
    } else if (event.key === 'Enter' && cursor !== undefined) {
      event.preventDefault();
      open(cursor);
    } else if (event.key === 'Escape' && cursor !== undefined) {
      setCursor(undefined);
    } else if (event.key === 'f') {
      setFit((n) => n + 1);
    }
  });

  if (key === undefined) {
    return (
      <EmptyState title="Graph">
        <p>The typed-edge graph around a block or a recorded turn.</p>
        <p className="muted">
          Open it from a block (the Graph link in the block pane), or with a deep link:{' '}
          <code>#/graph?block=ID</code> or <code>#/graph?call=CALL</code>.
        </p>
      </EmptyState>
    );
  }
  if (graph.error !== undefined)
    return (
      <ErrorState title="The graph could not be built" error={graph.error} onRetry={graph.reload} />
    );
  if (data === undefined) return <Loading label="Walking the graph…" />;
  const layoutMs = laidOut?.key === key ? laidOut.times : undefined;

  const depths = callId === undefined ? DEPTHS : ([0, ...DEPTHS.slice(0, 3)] as const);
  return (
    <div className="view graph-view">
      <header className="view-header graph-header">
        <div>
          <h2>
            {data.turn === null
              ? `Graph around block ${shortId(block ?? '')}`
              : `Graph of turn ${shortId(data.turn.callId)}`}
          </h2>
          <p className="muted">
            {data.turn === null ? null : (
              <>
                <span className="mono">{data.turn.session}</span> · {data.turn.task.slice(0, 120)}{' '}
                ·{' '}
              </>
            )}
            <span role="status" aria-label="Graph size">
              {sizeText(data)}
            </span>
            {layoutMs === undefined ? null : (
              <span
                className="muted"
                title={`creating the graph ${Math.round(layoutMs.create)} ms, fcose ${Math.round(layoutMs.layout)} ms, drawing ${Math.round(layoutMs.mount)} ms`}
              >
                {' '}
                · layout {formatInt(Math.round(layoutMs.total))} ms
              </span>
            )}
            {data.turn !== null && data.turn.missing > 0
              ? ` · ${data.turn.missing} candidate(s) since deleted`
              : null}
          </p>
        </div>
        <div className="graph-controls">
          <label>
            {callId === undefined ? 'Hops' : 'Neighbour hops'}{' '}
            <select
              value={depth}
              onChange={(e) =>
                navigate(withParams(route, { depth: e.target.value }), { replace: true })
              }
            >
              {depths.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setFit((n) => n + 1)}>
            Fit <kbd>f</kbd>
          </button>
          {callId === undefined ? null : <ExportBundleButton callId={callId} />}
        </div>
        <GraphFilters
          filter={filter}
          facets={facets}
          turn={data.turn !== null}
          shown={nodes.length}
          total={data.nodes.length}
          onChange={setFilter}
        />
      </header>
      <div className="graph-body">
        <Suspense fallback={<Loading label="Loading the graph renderer…" />}>
          <GraphCanvas
            nodes={data.nodes}
            edges={data.edges}
            cursor={cursor}
            onSelect={setCursor}
            onLayout={(times) => setLaidOut({ key, times })}
            fitSignal={fit}
            visible={visible}
          />
        </Suspense>
        <aside className="graph-side" aria-label="Graph details">
          <SelectedNode
            data={data}
            id={cursor}
            visible={visible}
            isDrawn={(id) => drawnIds.has(id)}
            onSelect={setCursor}
          />
          <GraphLegend turn={data.turn !== null} />
          <NodeList
            nodes={nodes}
            listedOnly={listed}
            total={data.nodes.length + data.listedOnly.length}
            cursor={cursor}
            onCursor={setCursor}
          />
        </aside>
      </div>
    </div>
  );
}

/**
 * What the header says about the graph's size. A turn over the cap draws its selection, the linked
 * candidates and their neighbours, and fills up with the best-scored rest; the others are listed.
 */
export function sizeText(data: GraphResult): string {
  const edges = `${formatInt(data.edges.length)} edges`;
  if (!data.truncated) return `${formatInt(data.nodes.length)} blocks, ${edges}`;
  const of = `${data.totalIsLowerBound ? 'over ' : ''}${formatInt(data.total)}`;
  if (data.turn === null)
    return `showing ${formatInt(data.nodes.length)} of ${of} blocks (capped), ${edges}`;
  const listed = data.listedOnly.length;
  const left = data.total - data.nodes.length - listed;
  return (
    `showing ${formatInt(data.nodes.length)} of ${of} blocks, ${edges}` +
    (listed > 0
      ? `: the ${formatInt(listed)} omitted candidate${listed === 1 ? '' : 's'} with no edges and the lowest scores are listed, not drawn`
      : '') +
    (left > 0
      ? `${listed > 0 ? ';' : ':'} ${formatInt(left)} neighbour${left === 1 ? '' : 's'} left out`
      : '')
  );
}

/** The view's filters, from the URL, the same object while they stay the same. */
function useGraphFilter(route: Route): GraphFilter {
  const { show, linked, section, kind } = route.params;
  return useMemo(
    () =>
      parseGraphFilter({
        ...(show === undefined ? {} : { show }),
        ...(linked === undefined ? {} : { linked }),
        ...(section === undefined ? {} : { section }),
        ...(kind === undefined ? {} : { kind }),
      }),
    [show, linked, section, kind],
  );
}

/** The selected block beside the graph, drawn, hidden by the filters or listed only; none: nothing. */
function SelectedNode({
  data,
  id,
  visible,
  isDrawn,
  onSelect,
}: {
  data: GraphResult;
  id: string | undefined;
  visible: ReadonlySet<string> | undefined;
  isDrawn: (id: string) => boolean;
  onSelect: (id: string | undefined) => void;
}) {
  if (id === undefined) return null;
  const drawn = data.nodes.find((n) => n.id === id);
  const node: GraphNodeView | undefined = drawn ?? data.listedOnly.find((n) => n.id === id);
  if (node === undefined) return null;
  const place =
    drawn === undefined
      ? 'listed'
      : visible === undefined || visible.has(id)
        ? 'shown'
        : 'filtered';
  return (
    <GraphSidePanel
      key={node.id}
      node={node}
      turn={data.turn}
      place={place}
      isDrawn={isDrawn}
      onSelect={onSelect}
      onClose={() => onSelect(undefined)}
    />
  );
}

const PAGE = 500;

/**
 * Every node as a row, a page at a time: a click centres the graph on it, the link opens the
 * block. Candidates left out of the drawing follow, marked "not drawn", so every one stays reachable.
 */
function NodeList({
  nodes,
  listedOnly,
  total,
  cursor,
  onCursor,
}: {
  nodes: readonly GraphNodeView[];
  listedOnly: readonly GraphNodeView[];
  /** Blocks drawn and listed before the filters. */
  total: number;
  cursor: string | undefined;
  onCursor: (id: string) => void;
}) {
  const all = useMemo(
    () => [
      ...nodes.map((n) => ({ n, drawn: true })),
      ...listedOnly.map((n) => ({ n, drawn: false })),
    ],
    [nodes, listedOnly],
  );
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => setLimit(PAGE), [all]);
  const shown = all.slice(0, limit);
  return (
    <div className="graph-nodes">
      <h4>
        Blocks{' '}
        <span className="muted">
          {formatInt(nodes.length)} drawn
          {listedOnly.length > 0 ? ` + ${formatInt(listedOnly.length)} listed` : ''}
          {all.length < total ? ` (filtered, of ${formatInt(total)})` : ''}
          {all.length > shown.length ? ` (first ${formatInt(shown.length)} shown)` : ''}
        </span>
      </h4>
      <ul className="plain" aria-label="Graph blocks">
        {shown.map(({ n, drawn }) => (
          <li
            key={n.id}
            className={n.id === cursor ? 'cursor' : undefined}
            aria-current={n.id === cursor ? 'true' : undefined}
          >
            {drawn ? (
              <button
                type="button"
                className="link-button"
                onClick={() => onCursor(n.id)}
                title={`Centre the graph on ${n.id}`}
              >
                <NodeRow n={n} drawn />
              </button>
            ) : (
              <span title="Not drawn: an omitted candidate with no edges and a low score">
                <NodeRow n={n} drawn={false} />
              </span>
            )}{' '}
            <a
              href={formatHash({ view: 'blocks', params: { session: n.session, block: n.id } })}
              aria-label={`Open block ${shortId(n.id)}`}
            >
              open
            </a>
          </li>
        ))}
      </ul>
      {all.length > shown.length ? (
        <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
          Show {formatInt(Math.min(PAGE, all.length - shown.length))} more of{' '}
          {formatInt(all.length - shown.length)}
        </button>
      ) : null}
    </div>
  );
}

function NodeRow({ n, drawn }: { n: GraphNodeView; drawn: boolean }) {
  return (
    <>
      <KindBadge kind={n.kind} section={n.section} />{' '}
      <span className={`role role-${n.role}`}>
        {n.role === 'neighbour' ? '' : (n.reason ?? n.role)}
      </span>{' '}
      {drawn ? null : <span className="muted">(not drawn) </span>}
      {n.preview.slice(0, 48) || shortId(n.id)}
    </>
  );
}

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : min;
}
