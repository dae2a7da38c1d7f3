import { describe, expect, it } from 'vitest';
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import {
  filterNodes,
  graphFacets,
  graphFilterParams,
  isFiltering,
  NO_FILTER,
  parseGraphFilter,
  type GraphFilter,
} from './graph-filter';

function node(id: string, patch: Partial<GraphNodeView> = {}): GraphNodeView {
  return {
    id,
    kind: 'fact',
    section: 'retrieved',
    preview: id,
    session: 's',
    role: 'selected',
    reason: 'relevance',
    tokens: 5,
    labels: [],
    ...patch,
  };
}

const nodes = [
  node('sys', { kind: 'system', section: 'system', reason: 'system' }),
  node('fact1'),
  node('fact2', { role: 'omitted', reason: 'low-score' }),
  node('user1', { kind: 'user-message', section: 'recent' }),
  node('user2', { kind: 'user-message', section: 'recent', role: 'omitted' }),
  node('near', { kind: 'summary', section: 'background', role: 'neighbour', reason: null }),
];
const edges: GraphEdgeView[] = [
  { from: 'fact1', kind: 'supports', to: 'fact2' },
  { from: 'near', kind: 'derived-from', to: 'user1' },
];
const ids = (filter: Partial<GraphFilter>) =>
  filterNodes(nodes, { ...NO_FILTER, ...filter }, edges).map((n) => n.id);

describe('filterNodes', () => {
  it('keeps every block with no filter', () => {
    expect(ids({})).toEqual(nodes.map((n) => n.id));
  });

  it('selected only: the blocks the turn selected', () => {
    expect(ids({ show: 'selected' })).toEqual(['sys', 'fact1', 'user1']);
  });

  it('connected only: the blocks with an edge in the graph', () => {
    expect(ids({ connected: true })).toEqual(['fact1', 'fact2', 'user1', 'near']);
  });

  it('by section and by kind', () => {
    expect(ids({ section: 'recent' })).toEqual(['user1', 'user2']);
    expect(ids({ kind: 'fact' })).toEqual(['fact1', 'fact2']);
  });

  it('combines filters: every one must pass', () => {
    expect(ids({ show: 'omitted', kind: 'fact' })).toEqual(['fact2']);
    expect(ids({ section: 'recent', show: 'selected' })).toEqual(['user1']);
    expect(ids({ kind: 'system', connected: true })).toEqual([]);
  });

  it('connected only under other filters: an edge to another block they keep, none drawn alone', () => {
    // fact1 and fact2 are linked to each other: both kept with the kind filter.
    expect(ids({ kind: 'fact', connected: true })).toEqual(['fact1', 'fact2']);
    // user1's only edge is to the summary, which the section filter hides: user1 would stand alone.
    expect(ids({ section: 'recent', connected: true })).toEqual([]);
    // Selected only: fact1's partner is omitted, so fact1 goes too.
    expect(ids({ show: 'selected', connected: true })).toEqual([]);
  });
});

describe('graphFacets', () => {
  it('counts each option as picking it would draw, under the other filters', () => {
    const facets = graphFacets(nodes, { ...NO_FILTER, show: 'selected' }, edges);
    expect([...facets.sections]).toEqual([
      ['system', 1],
      ['retrieved', 1],
      ['recent', 1],
    ]);
    expect([...facets.kinds]).toEqual([
      ['system', 1],
      ['user-message', 1],
      ['fact', 1],
    ]);
    // The part-of-turn counts ignore the part chosen.
    expect([...facets.shows]).toEqual([
      ['selected', 3],
      ['omitted', 2],
      ['neighbour', 1],
    ]);
    // No two selected blocks share an edge.
    expect(facets.linked).toBe(0);
    expect(graphFacets(nodes, NO_FILTER, edges).linked).toBe(4);
  });

  it('leaves out values no block has, and counts no part for the block a graph is around', () => {
    const facets = graphFacets([node('root', { role: 'root' })], NO_FILTER, []);
    expect([...facets.sections.keys()]).toEqual(['retrieved']);
    expect(facets.shows.size).toBe(0);
  });
});

describe('the filter in the URL', () => {
  it('round-trips through the parameters', () => {
    const filter: GraphFilter = {
      show: 'omitted',
      connected: true,
      section: 'tools',
      kind: 'fact',
    };
    const params = Object.fromEntries(
      Object.entries(graphFilterParams(filter)).filter(
        (e): e is [string, string] => e[1] !== undefined,
      ),
    );
    expect(params).toEqual({ show: 'omitted', linked: '1', section: 'tools', kind: 'fact' });
    expect(parseGraphFilter(params)).toEqual(filter);
  });

  it('ignores values it does not know and drops the parameters of no filter', () => {
    expect(
      parseGraphFilter({ show: 'everything', section: 'nowhere', kind: 'x', linked: 'yes' }),
    ).toEqual(NO_FILTER);
    expect(Object.values(graphFilterParams(NO_FILTER)).every((v) => v === undefined)).toBe(true);
    expect(isFiltering(NO_FILTER)).toBe(false);
    expect(isFiltering({ ...NO_FILTER, kind: 'fact' })).toBe(true);
  });
});
