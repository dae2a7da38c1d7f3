// The graph itself: cytoscape on a canvas with the fcose force layout. Built for thousands of
// nodes: labels disappear when zoomed out (min-zoomed-font-size), the viewport is a texture while
// panning or zooming, and big graphs draw straight edges without arrows or edge labels.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { useEffect, useRef } from 'react';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { graphElements, graphStyle, LARGE_GRAPH, readPalette } from '../lib/graph-style';

let registered = false;
function register(): void {
  if (registered) return;
  cytoscape.use(fcose);
  registered = true;
}

export interface GraphCanvasProps {
  readonly nodes: readonly GraphNodeView[];
  readonly edges: readonly GraphEdgeView[];
  /** The node the keyboard or the list points at; the view centres on it. */
  readonly cursor: string | undefined;
  /** A click on a node. */
  readonly onOpen: (id: string) => void;
  /** Called once the layout is done, with its time in ms. */
  readonly onLayout?: ((ms: number) => void) | undefined;
  /** Bumped to fit the whole graph in view again. */
  readonly fitSignal?: number | undefined;
}

export function GraphCanvas({ nodes, edges, cursor, onOpen, onLayout, fitSignal }: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cy = useRef<cytoscape.Core | undefined>(undefined);
  const open = useRef(onOpen);
  open.current = onOpen;
  const laidOut = useRef(onLayout);
  laidOut.current = onLayout;

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    register();
    const palette = readPalette();
    const large = nodes.length > LARGE_GRAPH;
    const started = performance.now();
    const instance = cytoscape({
      container: element,
      elements: graphElements(nodes, edges, palette) as cytoscape.ElementDefinition[],
      style: graphStyle(palette, large) as unknown as cytoscape.StylesheetJson,
      layout: { name: 'preset' },
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      autounselectify: true,
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      motionBlur: false,
      pixelRatio: large ? 1 : 'auto',
    });
    const layout = instance.layout({
      name: 'fcose',
      quality: large ? 'draft' : 'default',
      randomize: true,
      animate: false,
      fit: true,
      padding: 24,
      nodeSeparation: 60,
      idealEdgeLength: () => (large ? 40 : 70),
      nodeRepulsion: () => 6000,
      numIter: large ? 600 : 2500,
      tile: true,
      // Unconnected blocks are tiled: leave room for their labels.
      tilingPaddingVertical: large ? 10 : 28,
      tilingPaddingHorizontal: large ? 10 : 90,
    } as cytoscape.LayoutOptions);
    layout.one('layoutstop', () => {
      // A handful of nodes would fill the screen: keep them at a readable size.
      if (instance.zoom() > 1.6) {
        instance.zoom(1.6);
        instance.center();
      }
      laidOut.current?.(performance.now() - started);
    });
    layout.run();
    instance.on('tap', 'node', (event) => open.current(event.target.id() as string));
    instance.on('mouseover', 'node', () => element.classList.add('over-node'));
    instance.on('mouseout', 'node', () => element.classList.remove('over-node'));
    cy.current = instance;
    return () => {
      cy.current = undefined;
      instance.destroy();
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
  }, [cursor, nodes]);

  useEffect(() => {
    if (fitSignal !== undefined && fitSignal > 0) cy.current?.fit(undefined, 24);
  }, [fitSignal]);

  return <div ref={container} className="graph-canvas" role="img" aria-label={`Graph of ${nodes.length} blocks and ${edges.length} edges; the list beside it opens each block`} />;
}
