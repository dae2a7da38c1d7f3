import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/api-context';
import type { ApiCall } from '../api/client';
import type { GraphNodeView, GraphResult } from '../../src-main/api/contract';
import { GraphView, sizeText } from './graph-view';

const pending: ApiCall = () => new Promise(() => undefined);
const navigate = () => undefined;

describe('GraphView', () => {
  it('without a block or call explains how to open it', () => {
    const html = renderToStaticMarkup(
      <ApiProvider call={pending}>
        <GraphView route={{ view: 'graph', params: {} }} navigate={navigate} />
      </ApiProvider>,
    );
    expect(html).toContain('<h2>Graph</h2>');
    expect(html).toContain('#/graph?block=ID');
  });

  it('shows a loading state while the graph is walked', () => {
    const html = renderToStaticMarkup(
      <ApiProvider call={pending}>
        <GraphView
          route={{ view: 'graph', params: { call: '0'.repeat(32) } }}
          navigate={navigate}
        />
      </ApiProvider>,
    );
    expect(html).toContain('Walking the graph…');
  });
});

describe('sizeText', () => {
  const node = (id: string): GraphNodeView => ({
    id,
    kind: 'fact',
    section: 'retrieved',
    preview: id,
    session: 's',
    role: 'omitted',
    reason: 'global-budget',
    tokens: 3,
  });
  const base: GraphResult = {
    nodes: [node('a'), node('b')],
    edges: [],
    total: 2,
    totalIsLowerBound: false,
    truncated: false,
    listedOnly: [],
    turn: null,
  };
  const turn = { callId: 'c', session: 's', task: 't', missing: 0 };

  it('a whole graph: blocks and edges', () => {
    expect(sizeText(base)).toBe('2 blocks, 0 edges');
    expect(sizeText({ ...base, truncated: true, total: 9, totalIsLowerBound: true })).toBe(
      'showing 2 of over 9 blocks (capped), 0 edges',
    );
  });

  it('a turn over the cap says which candidates are listed, not drawn', () => {
    const listed = Array.from({ length: 1038 }, (_, i) => node(`x${i}`));
    expect(sizeText({ ...base, turn, truncated: true, total: 1040, listedOnly: listed })).toBe(
      'showing 2 of 1,040 blocks, 0 edges: the 1,038 omitted candidates with no edges and the lowest scores are listed, not drawn',
    );
    expect(sizeText({ ...base, turn, truncated: true, total: 5, listedOnly: [node('x')] })).toBe(
      'showing 2 of 5 blocks, 0 edges: the 1 omitted candidate with no edges and the lowest scores are listed, not drawn; 2 neighbours left out',
    );
  });
});
