// One layout of the Graph view as data in, positions out: what the layout worker runs (and the
// page itself where no worker can start). No DOM. Deterministic: the same graph (the same nodes
// and edges, in any order) lays out the same way every time, so a graph reopened or re-walked
// keeps its shape.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import { layoutGraph } from './graph-layout';
import { graphElements, sizeStyle, type Palette } from './graph-style';
import { withSeededRandom } from './seeded-random';

/** The layout's random seed: any fixed number will do. */
export const LAYOUT_SEED = 386;

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

/**
 * Lays the graph out (./graph-layout.ts) on a headless cytoscape with the view's node sizes. The
 * nodes and edges go in sorted by id (fcose's result depends on their order) and fcose's random
 * draws come from a fixed seed.
 */
export function layoutPositions(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  large: boolean,
): Positions {
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
  const sortedNodes = [...nodes].sort((a, b) => compare(a.id, b.id));
  const sortedEdges = [...edges].sort(
    (a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind),
  );
  return withSeededRandom(LAYOUT_SEED, () => layoutSorted(sortedNodes, sortedEdges, large));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function layoutSorted(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  large: boolean,
): Positions {
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

/**
 * A short fingerprint of a layout: FNV-1a over the ids in order and the positions to a tenth of a
 * unit. The same graph laid out again gives the same fingerprint; the canvas shows it as its
 * `data-layout` attribute, so a bug report (or a test) can tell whether two drawings share a layout
 * without comparing pixels, which the renderer refines over several frames.
 */
export function layoutDigest(positions: Positions): string {
  let hash = 0x811c9dc5;
  const add = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  for (const id of Object.keys(positions).sort()) {
    const p = positions[id];
    if (p !== undefined) add(`${id}:${p.x.toFixed(1)},${p.y.toFixed(1)};`);
  }
  return `${Object.keys(positions).length}-${hash.toString(16).padStart(8, '0')}`;
}
