import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiProvider } from '../api/api-context';
import type { ApiCall } from '../api/client';
import { GraphView } from './graph-view';

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
        <GraphView route={{ view: 'graph', params: { call: '0'.repeat(32) } }} navigate={navigate} />
      </ApiProvider>,
    );
    expect(html).toContain('Walking the graph…');
  });
});
