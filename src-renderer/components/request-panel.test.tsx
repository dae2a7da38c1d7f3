import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RequestPanel } from './request-panel';

describe('RequestPanel', () => {
  it('shows a JSON request indented, with both copy buttons', () => {
    const html = renderToStaticMarkup(
      <RequestPanel mode="openai" request={'{"model":"gpt-4o","messages":[]}'} />,
    );
    expect(html).toContain('The openai request as sent');
    expect(html).toContain(
      '{\n  &quot;model&quot;: &quot;gpt-4o&quot;,\n  &quot;messages&quot;: []\n}',
    );
    expect(html).toContain('Copy JSON');
    expect(html).toContain('Copy as sent (one line)');
  });

  it('shows a body that is not JSON as sent, with one copy button', () => {
    const html = renderToStaticMarkup(<RequestPanel mode="anthropic" request="not json" />);
    expect(html).toContain('>not json</pre>');
    expect(html).not.toContain('Copy as sent');
  });
});
