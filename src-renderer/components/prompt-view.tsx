// The rendered prompt, as a string or as chat messages, with each block's span marked. Hovering a
// span shows its block (kind, decision, tokens, preview); clicking selects it in the candidates.
import { useState, type ReactNode } from 'react';
import type {
  ChatView,
  PageResult,
  PromptView as PromptText,
  SpanView,
} from '../../src-main/api/contract';
import { formatInt, shortId } from '../lib/format';
import './prompt-view.css';

export type PromptMode = 'string' | 'chat';

/** What the prompt view reads: a live page call's result, or a recorded turn's (a rendering may be missing). */
export type PromptSource = Pick<PageResult, 'plan' | 'blocks'> & {
  readonly prompt: PromptText | null;
  readonly chat: ChatView | null;
};

interface Hover {
  readonly id: string;
  readonly x: number;
  readonly y: number;
}

export function PromptView({
  result,
  mode,
  onMode,
  selected,
  onSelect,
  sent,
  note,
}: {
  result: PromptSource;
  mode: PromptMode;
  onMode: (mode: PromptMode) => void;
  selected: string | undefined;
  onSelect: (id: string) => void;
  /** A recorded turn: the rendering that was sent (its tab says so). */
  sent?: PromptMode | undefined;
  note?: ReactNode;
}) {
  const [hover, setHover] = useState<Hover | undefined>(undefined);
  const approx = result.plan.model.tokenizerExact ? '' : ' (approximate)';
  const rendering = mode === 'string' ? result.prompt : result.chat;
  const tokens = rendering?.tokens ?? 0;
  const hash = rendering?.promptHash ?? '';
  const selectedById = new Map(result.plan.selected.map((s) => [s.id, s]));

  const marked = (text: string, spans: readonly SpanView[], key: string) =>
    renderSpans(text, spans, (span, content, i) => (
      <span
        key={`${key}:${i}`}
        className={`span section-${selectedById.get(span.id)?.section ?? 'system'}${span.id === selected ? ' span-selected' : ''}`}
        data-block={span.id}
        onMouseEnter={(e) => setHover({ id: span.id, x: e.clientX, y: e.clientY })}
        onMouseMove={(e) => setHover({ id: span.id, x: e.clientX, y: e.clientY })}
        onMouseLeave={() => setHover(undefined)}
        onClick={() => onSelect(span.id)}
      >
        {content}
      </span>
    ));

  const hovered = hover === undefined ? undefined : selectedById.get(hover.id);
  return (
    <section className="panel prompt" aria-labelledby="prompt-title">
      <header className="panel-header">
        <h3 id="prompt-title">Prompt</h3>
        <div role="tablist" aria-label="Rendering" className="tabs">
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'string'}
            onClick={() => onMode('string')}
          >
            String{sent === 'string' ? ' (sent)' : ''}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={mode === 'chat'}
            onClick={() => onMode('chat')}
          >
            Chat{sent === 'chat' ? ' (sent)' : ''}
          </button>
        </div>
        <p className="muted">
          {formatInt(tokens)} tokens{approx} · sha256{' '}
          <span className="mono">{hash.slice(0, 12)}</span> · hover a block to see it, click to
          select it
        </p>
        {note}
      </header>
      <div
        role="tabpanel"
        aria-label={mode === 'string' ? 'String prompt' : 'Chat messages'}
        className="prompt-body"
      >
        {result.prompt === null && mode === 'string' ? (
          <p className="muted prompt-missing">
            No string rendering: its blocks are no longer in the store.
          </p>
        ) : result.chat === null && mode === 'chat' ? (
          <p className="muted prompt-missing">
            No chat rendering: its blocks are no longer in the store.
          </p>
        ) : mode === 'string' && result.prompt !== null ? (
          <pre className="prompt-text">{marked(result.prompt.text, result.prompt.spans, 's')}</pre>
        ) : result.chat === null ? null : (
          <ol className="messages">
            {result.chat.messages.map((message, index) => (
              <li key={index} className={`message role-${message.role}`}>
                <header>
                  <span className="role">{message.role}</span>
                  {result.chat?.cacheBoundary === index ? (
                    <span className="muted"> · end of the cacheable prefix</span>
                  ) : null}
                  {message.toolCallId === null ? null : (
                    <span className="muted mono"> · {message.toolCallId}</span>
                  )}
                </header>
                <pre className="prompt-text">
                  {marked(
                    message.content,
                    (result.chat?.spans ?? []).filter((s) => s.message === index),
                    `m${index}`,
                  )}
                </pre>
                {message.toolCalls.map((call) => (
                  <pre key={call.id} className="prompt-text tool-call">
                    → {call.name}({call.arguments})
                  </pre>
                ))}
              </li>
            ))}
          </ol>
        )}
      </div>
      {hover === undefined ? null : (
        <div
          className="hover-card"
          role="tooltip"
          style={{ left: Math.min(hover.x + 14, window.innerWidth - 380), top: hover.y + 16 }}
        >
          <div>
            <strong>{hovered?.kind ?? 'block'}</strong>{' '}
            <span className="mono">{shortId(hover.id)}</span>
          </div>
          {hovered === undefined ? null : (
            <div className="muted">
              {hovered.section} · {hovered.reason} · {formatInt(hovered.tokens)} tokens{approx} ·
              score {hovered.score.toFixed(3)}
            </div>
          )}
          <div className="hover-preview">{result.blocks[hover.id]?.preview}</div>
        </div>
      )}
    </section>
  );
}

/** Splits `text` into plain runs and spans (sorted, non-overlapping), rendering each span with `render`. */
export function renderSpans(
  text: string,
  spans: readonly SpanView[],
  render: (span: SpanView, content: string, index: number) => ReactNode,
): ReactNode[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: ReactNode[] = [];
  let at = 0;
  sorted.forEach((span, i) => {
    if (span.start < at) return;
    if (span.start > at) out.push(text.slice(at, span.start));
    out.push(render(span, text.slice(span.start, span.end), i));
    at = span.end;
  });
  if (at < text.length) out.push(text.slice(at));
  return out;
}
