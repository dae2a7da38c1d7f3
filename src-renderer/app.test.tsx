import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ApiCall } from './api/client';
import { App } from './app';

// A fake API: every call stays pending, as on first paint.
const pending: ApiCall = () => new Promise(() => undefined);

describe('App', () => {
  it('renders the shell with its navigation before any answer arrives', () => {
    const html = renderToStaticMarkup(<App call={pending} />);
    expect(html).toContain('<h1>LLM386 Inspector</h1>');
    expect(html).toContain('aria-label="Views"');
    for (const view of ['Store', 'Blocks', 'Page']) expect(html).toContain(`<span>${view}</span>`);
    expect(html).toContain('Opening the store…');
  });
});
