// The what-if's settings as what reproduces them: a config file for `llm386 trace what-if --config`
// and the same what-if as flags (../lib/whatif-export.ts), with the prompt hash both give.
import { useState } from 'react';
import {
  configCommand,
  flagsCommand,
  shellWord,
  whatIfConfigName,
  whatIfToml,
  type WhatIfSettings,
} from '../lib/whatif-export';
import './prompt-view.css';
import './whatif-controls.css';
import './whatif-export-panel.css';

function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function WhatIfExportPanel({
  settings,
  promptHash,
}: {
  settings: WhatIfSettings;
  promptHash: string;
}) {
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const toml = whatIfToml(settings);
  const withConfig = configCommand(settings).map(shellWord).join(' ');
  const withFlags = flagsCommand(settings).map(shellWord).join(' ');
  const copy = (what: string, text: string) => {
    // The clipboard may be refused (no permission, an insecure origin): the text stays selectable.
    void navigator.clipboard?.writeText(text).then(
      () => setCopied(what),
      () => setCopied(undefined),
    );
  };
  return (
    <details className="panel whatif-export">
      <summary>
        Reproduce outside the inspector: a config file and CLI flags{' '}
        <span className="muted">(prompt sha256 {promptHash.slice(0, 12)})</span>
      </summary>
      <p className="muted">
        Either command re-pages the recorded turn with these settings, no model call, and prints the
        same prompt hash with <code>--json</code> (add <code>--store DIR</code> or set
        LLM386_STORE).
      </p>
      <div className="export-command">
        <span>With the config file</span>
        <code aria-label="Command with the config file">{withConfig}</code>
        <button type="button" onClick={() => copy('config command', withConfig)}>
          Copy
        </button>
      </div>
      <div className="export-command">
        <span>With flags</span>
        <code aria-label="Command with flags">{withFlags}</code>
        <button type="button" onClick={() => copy('flags command', withFlags)}>
          Copy
        </button>
      </div>
      <div className="control-buttons">
        <button
          type="button"
          onClick={() => downloadText(whatIfConfigName(settings.callId), toml, 'application/toml')}
        >
          Download TOML
        </button>
        <button type="button" onClick={() => copy('TOML', toml)}>
          Copy TOML
        </button>
        {copied === undefined ? null : (
          <span className="muted" role="status">
            {copied} copied
          </span>
        )}
      </div>
      <pre className="prompt-text whatif-toml" aria-label="Config TOML">
        {toml}
      </pre>
    </details>
  );
}
