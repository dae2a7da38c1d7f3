// The provider request of a recorded turn, as sent: the JSON body pretty-printed (two-space
// indents), with buttons to copy it as shown or byte for byte as sent.
import { useMemo, useState } from 'react';
import { formatInt } from '../lib/format';
import { prettyJson } from '../lib/pretty-json';
import './request-panel.css';

export function RequestPanel({ mode, request }: { mode: string; request: string }) {
  const pretty = useMemo(() => prettyJson(request), [request]);
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const copy = (what: string, text: string) => {
    // The clipboard may be refused (no permission, an insecure origin): the text stays selectable.
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(undefined),
    );
  };
  return (
    <details className="panel request">
      <summary>
        The {mode} request as sent{' '}
        <span className="muted">
          ({formatInt(request.length)} characters{pretty.json ? ', JSON shown indented' : ''})
        </span>
      </summary>
      <div className="request-actions">
        <button type="button" onClick={() => copy('The indented JSON', pretty.text)}>
          {pretty.json ? 'Copy JSON' : 'Copy'}
        </button>
        {pretty.json ? (
          <button type="button" onClick={() => copy('The request as sent', request)}>
            Copy as sent (one line)
          </button>
        ) : null}
        {copied === undefined ? null : (
          <span className="muted" role="status">
            {copied} is on the clipboard
          </span>
        )}
      </div>
      <pre className="prompt-text request-json" aria-label="Request as sent">
        {pretty.text}
      </pre>
    </details>
  );
}
