// The graph itself: cytoscape on a canvas, the blocks with edges laid out by fcose and the
// unconnected ones in a grid under them (lib/graph-layout.ts), in a Web Worker
// (lib/graph-layout-client.ts) so the page stays responsive meanwhile. Built for thousands of nodes:
// labels disappear when zoomed out (min-zoomed-font-size), the viewport is a texture while panning
// or zooming, and big graphs draw straight edges without arrows or edge labels. Hovering a node
// shows what it is in a tooltip (big graphs draw no labels: this is where they are); clicking one
// selects it (the view shows it beside the graph). The view's filters hide nodes where they are:
// the layout is of the whole graph, so filtering never moves a node.
import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { formatInt, shortId } from '../lib/format';
import { DRAFT_ABOVE } from '../lib/graph-layout';
import { layoutOffThread, prepareLayoutWorker } from '../lib/graph-layout-client';
import { layoutDigest, type Positions } from '../lib/graph-layout-run';
import {
  graphElements,
  graphStyle,
  LARGE_GRAPH,
  readPalette,
  type Palette,
} from '../lib/graph-style';
import { sectionTitle } from '../lib/vocabulary';
import { KindBadge } from './kind-badge';
import { Loading } from './states';
import './graph-canvas.css';
import './graph-side-panel.css';

// This module loads when the Graph view opens: the layout worker loads its code while the view
// fetches the graph.
prepareLayoutWorker();

/** Where the time of showing a graph went, in ms. */
export interface LayoutTimes {
  readonly total: number;
  /** Building the graph: elements and style. */
  readonly create: number;
  /** The layout: fcose on the blocks with edges, the grid for the rest (in the worker, with its messages). */
  readonly layout: number;
  /** Attaching the canvas renderer and fitting the view. */
  readonly mount: number;
}

export interface GraphCanvasProps {
  readonly nodes: readonly GraphNodeView[];
  readonly edges: readonly GraphEdgeView[];
  /** The selected node (a click, the keyboard or the list); the view centres on it. */
  readonly cursor: string | undefined;
  /** A click on a node: select it in place. */
  readonly onSelect: (id: string) => void;
  /** Called once the graph is laid out and drawn. */
  readonly onLayout?: ((ms: LayoutTimes) => void) | undefined;
  /** Bumped to fit the whole graph in view again. */
  readonly fitSignal?: number | undefined;
  /** The nodes the filters keep (the others are hidden, edges to them too); undefined: all. */
  readonly visible?: ReadonlySet<string> | undefined;
}

/** The node under the pointer, where it is drawn (px from the canvas's top left). */
interface Hover {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export function GraphCanvas({
  nodes,
  edges,
  cursor,
  onSelect,
  onLayout,
  fitSignal,
  visible,
}: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<cytoscape.Core | undefined>(undefined);
  const select = useRef(onSelect);
  select.current = onSelect;
  const laidOut = useRef(onLayout);
  laidOut.current = onLayout;

  const [busy, setBusy] = useState(false);
  // Bumped once the graph is drawn: the effects below wait for it.
  const [drawn, setDrawn] = useState(0);
  const [digest, setDigest] = useState<string | undefined>(undefined);
  const [hover, setHover] = useState<Hover | undefined>(undefined);
  const byId = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    let instance: cytoscape.Core | undefined;
    const started = performance.now();
    const large = nodes.length > LARGE_GRAPH;
    const layout = layoutOffThread(nodes, edges, large);
    const build = (positions: Positions) => {
      instance = showGraph(element, nodes, edges, positions, started, (times) =>
        laidOut.current?.(times),
      );
      instance.on('tap', 'node', (event) => select.current(event.target.id() as string));
      instance.on('mouseover', 'node', (event) => {
        element.classList.add('over-node');
        const { x, y } = (event.target as cytoscape.NodeSingular).renderedPosition();
        setHover({ id: event.target.id() as string, x, y });
      });
      instance.on('mouseout', 'node', () => {
        element.classList.remove('over-node');
        setHover(undefined);
      });
      // The tooltip is placed where the node was drawn: hide it once the view moves.
      instance.on('viewport', () => setHover(undefined));
      cy.current = instance;
      setBusy(false);
      setDrawn((n) => n + 1);
      setDigest(layoutDigest(positions));
    };
    // A big graph takes a moment: say so meanwhile.
    if (nodes.length > DRAFT_ABOVE) setBusy(true);
    let live = true;
    layout.positions.then(
      (positions) => {
        if (live) build(positions);
      },
      (error: unknown) => console.error('llm386: the graph could not be laid out', error),
    );
    return () => {
      live = false;
      layout.cancel();
      setHover(undefined);
      cy.current = undefined;
      setDigest(undefined);
      instance?.destroy();
    };
  }, [nodes, edges]);

  useEffect(() => {
    const instance = cy.current;
    if (instance === undefined) return;
    instance.nodes('.cursor').removeClass('cursor');
    if (cursor === undefined) return;
    const node = instance.getElementById(cursor);
    if (node.empty()) return;
    node.addClass('cursor');
    // Centre on it at a zoom where it can be read and clicked.
    instance.zoom({ level: Math.max(instance.zoom(), 1), position: node.position() });
    instance.center(node);
  }, [cursor, nodes, drawn]);

  useEffect(() => {
    const instance = cy.current;
    if (instance === undefined || container.current === null) return;
    instance.batch(() => {
      instance.nodes('.filtered').removeClass('filtered');
      if (visible !== undefined)
        instance
          .nodes()
          .filter((node) => !visible.has(node.id()))
          .addClass('filtered');
    });
    setHover(undefined);
    fitPositions(instance, container.current);
  }, [visible, drawn]);

  useEffect(() => {
    const instance = cy.current;
    if (
      fitSignal !== undefined &&
      fitSignal > 0 &&
      instance !== undefined &&
      container.current !== null
    )
      fitPositions(instance, container.current);
  }, [fitSignal]);

  return (
    <div className="graph-canvas-frame">
      <div
        ref={container}
        className="graph-canvas"
        role="img"
        data-layout={digest}
        aria-label={`Graph of ${nodes.length} blocks and ${edges.length} edges${visible === undefined ? '' : `, ${visible.size} shown by the filters`}; the list beside it opens each block`}
      />
      {hover === undefined ? null : (
        <NodeTooltip node={byId.get(hover.id)} x={hover.x} y={hover.y} />
      )}
      {visible !== undefined && visible.size === 0 ? (
        <p className="graph-empty-filter" role="note">
          No block passes these filters.
        </p>
      ) : null}
      {busy ? (
        <div className="graph-busy">
          <Loading label={`Laying out ${formatInt(nodes.length)} blocks…`} />
        </div>
      ) : null}
    </div>
  );
}

/**
 * What a node is, beside it on the canvas: kind, section, role and reason, tokens, labels, the start
 * of its text.
 */
function NodeTooltip({ node, x, y }: { node: GraphNodeView | undefined; x: number; y: number }) {
  if (node === undefined) return null;
  const labels = node.labels ?? [];
  return (
    <div className="graph-tooltip" role="tooltip" style={{ left: x, top: y }}>
      <div>
        <KindBadge kind={node.kind} section={node.section} />{' '}
        <span className="muted">{sectionTitle(node.section)}</span>{' '}
        <span className="mono muted">{shortId(node.id)}</span>
      </div>
      <div className={`role role-${node.role}`}>
        {node.role === 'neighbour'
          ? 'neighbour (not a candidate)'
          : node.role === 'root'
            ? 'the block asked about'
            : `${node.role}${node.reason === null ? '' : `: ${node.reason}`}`}
        {node.tokens === null ? '' : ` · ${formatInt(node.tokens)} tokens`}
      </div>
      {labels.length === 0 ? null : <div className="muted">labels: {labels.join(', ')}</div>}
      <div className="graph-tooltip-text">{node.preview.slice(0, 160) || '(empty)'}</div>
    </div>
  );
}

/**
 * Builds the graph headless at the positions the layout found, then mounts it on `element`: the
 * canvas renderer is set up once, on final positions, instead of following every element added.
 * `started` is when the layout was asked for.
 */
function showGraph(
  element: HTMLElement,
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  positions: Positions,
  started: number,
  onLayout: (times: LayoutTimes) => void,
): cytoscape.Core {
  const palette = readPalette();
  const large = nodes.length > LARGE_GRAPH;
  const laid = performance.now();
  const instance = placedGraph(nodes, edges, positions, palette);
  const created = performance.now();
  instance.mount(element);
  instance.style(graphStyle(palette, large) as unknown as cytoscape.StylesheetJson);
  fitPositions(instance, element);
  const done = performance.now();
  onLayout({
    total: done - started,
    create: created - laid,
    layout: laid - started,
    mount: done - created,
  });
  return instance;
}

/** The graph, headless, with its nodes at `positions` (the layout's, from the worker). */
export function placedGraph(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  positions: Positions,
  palette: Palette,
): cytoscape.Core {
  const elements = graphElements(nodes, edges, palette).map((e) =>
    e.group === 'nodes' ? { ...e, position: { ...(positions[e.data.id] ?? { x: 0, y: 0 }) } } : e,
  );
  return cytoscape({
    headless: true,
    styleEnabled: true,
    elements: elements as cytoscape.ElementDefinition[],
    // Keep the positions given (the default, the null layout, puts every node at 0,0).
    layout: { name: 'preset', fit: false },
    minZoom: 0.01,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
    autounselectify: true,
    // Panning and zooming move a snapshot of the graph once it has a few hundred nodes.
    textureOnViewport: nodes.length > DRAFT_ABOVE,
    hideEdgesOnViewport: nodes.length > DRAFT_ABOVE,
    motionBlur: false,
    pixelRatio: nodes.length > LARGE_GRAPH ? 1 : 'auto',
  });
}

/**
 * Fits the graph (the nodes the filters keep) in view from the node positions alone. cytoscape's own `fit()` measures every
 * element's rendered bounding box (labels, edges): half a second at 2,000 nodes here.
 * A handful of nodes would fill the screen: the zoom stays at most 1.6.
 */
function fitPositions(instance: cytoscape.Core, element: HTMLElement): void {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  // The nodes the filters keep; all of them when none is left, so the view never fits nothing.
  const kept = instance.nodes().not('.filtered');
  (kept.nonempty() ? kept : instance.nodes()).forEach((node) => {
    const { x, y } = node.position();
    x1 = Math.min(x1, x);
    y1 = Math.min(y1, y);
    x2 = Math.max(x2, x);
    y2 = Math.max(y2, y);
  });
  if (!Number.isFinite(x1)) return;
  // Room for the node sizes and the labels under them.
  const margin = 40;
  const width = Math.max(1, element.clientWidth - 48);
  const height = Math.max(1, element.clientHeight - 48);
  const zoom = Math.max(
    instance.minZoom(),
    Math.min(1.6, width / (x2 - x1 + 2 * margin), height / (y2 - y1 + 2 * margin)),
  );
  instance.viewport({
    zoom,
    pan: {
      x: element.clientWidth / 2 - (zoom * (x1 + x2)) / 2,
      y: element.clientHeight / 2 - (zoom * (y1 + y2)) / 2,
    },
  });
}
