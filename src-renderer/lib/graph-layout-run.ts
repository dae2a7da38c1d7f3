// One layout of the Graph view as data in, positions out: what the layout worker runs (and the
// page itself where no worker can start). No DOM.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { layoutGraph } from './graph-layout';
import { graphElements, sizeStyle, type Palette } from './graph-style';

/** Where each node goes, by id. */
export type Positions = Readonly<Record<string, { readonly x: number; readonly y: number }>>;

export interface LayoutRequest {
  readonly id: number;
  readonly nodes: readonly GraphNodeView[];
  readonly edges: readonly GraphEdgeView[];
  readonly large: boolean;
}

export type LayoutReply =
  | { readonly id: number; readonly positions: Positions }
  | { readonly id: number; readonly error: string };

let registered = false;

/** Lays the graph out (./graph-layout.ts) on a headless cytoscape with the view's node sizes. */
export function layoutPositions(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  large: boolean,
): Positions {
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
  // Colours do not move anything: any palette will do.
  const palette = new Proxy({}, { get: () => '#888' }) as Palette;
  const instance = cytoscape({
    headless: true,
    styleEnabled: true,
    elements: graphElements(nodes, edges, palette) as cytoscape.ElementDefinition[],
    style: sizeStyle(large) as unknown as cytoscape.StylesheetJson,
  });
  try {
    layoutGraph(instance, nodes, large);
    const positions: Record<string, { x: number; y: number }> = {};
    instance.nodes().forEach((node) => {
      const { x, y } = node.position();
      positions[node.id()] = { x, y };
    });
    return positions;
  } finally {
    instance.destroy();
  }
}
