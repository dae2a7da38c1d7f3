import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from './app';

describe('App', () => {
  it('shows the inspector heading and the empty state', () => {
    const html = renderToStaticMarkup(<App />);
    expect(html).toContain('<h1>LLM386 Inspector</h1>');
    expect(html).toContain('No store open yet');
  });
});
