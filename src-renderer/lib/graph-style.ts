// The Graph view's look, as data: cytoscape elements from the API's nodes and edges, and one
// stylesheet. Colours come from the app's CSS variables (the budget bar's section colours), so the
// graph follows the light and dark themes. No DOM here beyond reading those variables.
import type { EdgeKind, GraphEdgeView, GraphNodeView, Section } from '../../src-main/api/contract';

/** Edge kinds with their look; the legend shows the same list. */
export const EDGE_STYLES: Readonly<
  Record<
    EdgeKind,
    { readonly color: string; readonly line: 'solid' | 'dashed' | 'dotted'; readonly title: string }
  >
> = {
  parent: { color: '#8a8a96', line: 'solid', title: 'parent' },
  'derived-from': { color: '#8b5cf6', line: 'dashed', title: 'derived-from' },
  supports: { color: '#22a55a', line: 'solid', title: 'supports' },
  contradicts: { color: '#dc2626', line: 'dotted', title: 'contradicts' },
  'tool-invocation': { color: '#ea8a1a', line: 'solid', title: 'tool-invocation' },
};

/** Node shapes: how dependency pulls and tool pairs are marked. */
export const REASON_SHAPES = {
  dependency: 'diamond',
  'tool-pair': 'round-rectangle',
  other: 'ellipse',
} as const;

/** Above this many nodes the graph draws for speed: straight edges without arrows, no edge labels. */
export const LARGE_GRAPH = 600;

export type Palette = Readonly<Record<Section, string>> & {
  readonly fg: string;
  readonly bg: string;
  readonly accent: string;
};

const FALLBACK: Palette = {
  system: '#64748b',
  task: '#94a3b8',
  state: '#0f9488',
  plan: '#8b5cf6',
  retrieved: '#3b82f6',
  tools: '#ea8a1a',
  recent: '#22a55a',
  background: '#a16207',
  fg: '#1d1d1f',
  bg: '#ffffff',
  accent: '#2f5fd0',
};

/** The section colours and text colours of the current theme. */
export function readPalette(element: Element = document.documentElement): Palette {
  const style = getComputedStyle(element);
  const pick = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const sections = Object.fromEntries(
    (Object.keys(FALLBACK) as (keyof Palette)[])
      .filter((k) => k !== 'fg' && k !== 'bg' && k !== 'accent')
      .map((s) => [s, pick(`--s-${s}`, FALLBACK[s])]),
  ) as Record<Section, string>;
  return {
    ...sections,
    fg: pick('--fg', FALLBACK.fg),
    bg: pick('--panel', FALLBACK.bg),
    accent: pick('--accent', FALLBACK.accent),
  };
}

/** A short label for a node: its preview's first words. */
export function nodeLabel(node: GraphNodeView): string {
  const text = node.preview.trim() || node.kind;
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

function shapeOf(node: GraphNodeView): string {
  if (node.reason === 'dependency') return REASON_SHAPES.dependency;
  if (node.reason === 'tool-pair') return REASON_SHAPES['tool-pair'];
  return REASON_SHAPES.other;
}

/**
 * Cytoscape elements (plain JSON) for a graph. Around a turn, blocks that were no candidate are
 * drawn faint; around a block every block is drawn in full.
 */
export function graphElements(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  palette: Palette,
) {
  const turn = nodes.some((n) => n.role === 'selected' || n.role === 'omitted');
  return [
    ...nodes.map((n) => ({
      group: 'nodes' as const,
      data: {
        id: n.id,
        label: nodeLabel(n),
        color: palette[n.section],
        shape: shapeOf(n),
        role: n.role,
      },
      classes: n.role === 'neighbour' && !turn ? 'plain' : n.role,
    })),
    ...edges.map((e) => ({
      group: 'edges' as const,
      data: {
        id: `${e.from}|${e.kind}|${e.to}`,
        source: e.from,
        target: e.to,
        kind: e.kind,
        color: EDGE_STYLES[e.kind].color,
        line: EDGE_STYLES[e.kind].line,
      },
    })),
  ];
}

/** Node sizes alone: what the layout needs to know (the same sizes as {@link graphStyle}). */
export function sizeStyle(large: boolean) {
  return large
    ? [
        { selector: 'node', style: { width: 14, height: 14 } },
        { selector: 'node.neighbour', style: { width: 10, height: 10 } },
        { selector: 'node.root', style: { width: 28, height: 28 } },
      ]
    : [
        { selector: 'node', style: { width: 16, height: 16 } },
        { selector: 'node.neighbour', style: { width: 11, height: 11 } },
        { selector: 'node.root', style: { width: 26, height: 26 } },
      ];
}

/** Nodes the view's filters hide (their edges go with them). */
const FILTERED = { selector: 'node.filtered', style: { display: 'none' } };

/** The stylesheet: colour by section, solid for selected, hollow and dashed for omitted, faint neighbours. */
export function graphStyle(palette: Palette, large: boolean) {
  // Big graphs: only the properties that show at that size, so styling 2,000 nodes stays cheap.
  if (large) {
    return [
      {
        selector: 'node',
        style: { 'background-color': 'data(color)', shape: 'data(shape)', width: 14, height: 14 },
      },
      { selector: 'node.neighbour', style: { 'background-opacity': 0.45, width: 10, height: 10 } },
      {
        selector: 'node.omitted',
        style: {
          'background-opacity': 0.08,
          'border-width': 2.5,
          'border-style': 'dashed',
          'border-color': 'data(color)',
        },
      },
      {
        selector: 'node.root',
        style: { width: 28, height: 28, 'border-width': 3, 'border-color': palette.fg },
      },
      {
        selector: 'node.cursor',
        style: {
          'overlay-color': palette.accent,
          'overlay-opacity': 0.3,
          'overlay-padding': 8,
          'z-index': 10,
        },
      },
      {
        selector: 'edge',
        style: { width: 1, 'line-color': 'data(color)', 'curve-style': 'haystack', opacity: 0.7 },
      },
      FILTERED,
    ];
  }
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        shape: 'data(shape)',
        width: 16,
        height: 16,
        label: large ? '' : 'data(label)',
        color: palette.fg,
        'font-size': 9,
        'min-zoomed-font-size': 7,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-max-width': '120px',
        'text-wrap': 'ellipsis',
        'border-width': 0,
      },
    },
    { selector: 'node.neighbour', style: { 'background-opacity': 0.45, width: 11, height: 11 } },
    {
      selector: 'node.selected',
      style: { 'border-width': 2, 'border-color': palette.fg, 'border-opacity': 0.5 },
    },
    {
      selector: 'node.omitted',
      style: {
        'background-opacity': 0.08,
        'border-width': 2.5,
        'border-style': 'dashed',
        'border-color': 'data(color)',
      },
    },
    {
      selector: 'node.root',
      style: {
        width: 26,
        height: 26,
        'border-width': 3,
        'border-color': palette.fg,
        'font-weight': 'bold',
      },
    },
    {
      selector: 'node.cursor',
      style: {
        'overlay-color': palette.accent,
        'overlay-opacity': 0.25,
        'overlay-padding': 6,
        'z-index': 10,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.4,
        'line-color': 'data(color)',
        'line-style': 'data(line)',
        'curve-style': large ? 'haystack' : 'bezier',
        'target-arrow-shape': large ? 'none' : 'triangle',
        'target-arrow-color': 'data(color)',
        'arrow-scale': 0.7,
        opacity: 0.85,
        label: large ? '' : 'data(kind)',
        'font-size': 7,
        'min-zoomed-font-size': 8,
        color: palette.fg,
        'text-rotation': 'autorotate',
        'text-background-color': palette.bg,
        'text-background-opacity': 0.8,
        'text-background-padding': '1px',
      },
    },
    FILTERED,
  ];
}
