import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { GraphNodeView } from '../../src-main/api/contract';
import { graphFacets, NO_FILTER } from '../lib/graph-filter';
import { GraphFilters } from './graph-filters';

function node(id: string, patch: Partial<GraphNodeView> = {}): GraphNodeView {
  return {
    id,
    kind: 'fact',
    section: 'retrieved',
    preview: id,
    session: 's',
    role: 'selected',
    reason: 'relevance',
    tokens: 3,
    ...patch,
  };
}

const nodes = [
  node('a'),
  node('b', { role: 'omitted' }),
  node('c', { kind: 'summary', section: 'background' }),
];

describe('GraphFilters', () => {
  it('offers each option with the blocks picking it would draw', () => {
    const facets = graphFacets(nodes, NO_FILTER, [{ from: 'a', kind: 'supports', to: 'b' }]);
    const html = renderToStaticMarkup(
      <GraphFilters
        filter={NO_FILTER}
        facets={facets}
        turn
        shown={3}
        total={3}
        onChange={() => undefined}
      />,
    );
    expect(html).toContain('selected 2');
    expect(html).toContain('omitted 1');
    expect(html).toContain('Connected only <span class="graph-filter-count">(2)</span>');
    expect(html).toContain('>Background (1)</option>');
    expect(html).toContain('>fact (2)</option>');
    expect(html).toContain('all 3 blocks shown');
    expect(html).not.toContain('Clear filters');
  });

  it('around a block: no part-of-turn buttons; a filter on says how many are shown and offers to clear', () => {
    const filter = { ...NO_FILTER, kind: 'summary' as const };
    const html = renderToStaticMarkup(
      <GraphFilters
        filter={filter}
        facets={graphFacets(nodes, filter, [])}
        turn={false}
        shown={1}
        total={3}
        onChange={() => undefined}
      />,
    );
    expect(html).not.toContain('aria-label="Show"');
    expect(html).toContain('1 of 3 blocks shown');
    expect(html).toContain('Clear filters');
  });
});
