// One block: its text (binary as a placeholder), metadata, token counts, tool calls, its edges
// both ways (clicking an edge opens the block at the other end), and the recorded turns that
// selected or omitted it (each opens the Turn with the block selected).
import type { EdgeView } from '../../src-main/api/contract';
import { BlockTurns } from './block-turns';
import { useApi } from '../api/api-context';
import { formatBytes, formatInt, formatTime, shortId } from '../lib/format';
import { formatHash } from '../lib/route';
import { useLive } from '../lib/live';
import { useQuery } from '../lib/use-query';
import { KindBadge } from './kind-badge';
import { ErrorState, Loading } from './states';
import './block-pane.css';

export function BlockPane({
  id,
  onOpen,
  onClose,
}: {
  id: string;
  onOpen: (id: string) => void;
  onClose?: () => void;
}) {
  const call = useApi();
  const { seq } = useLive();
  const block = useQuery(
    `blocks.get:${id}:${seq}`,
    () => call('blocks.get', { id }),
    `blocks.get:${id}`,
  );
  const data = block.data;
  return (
    <section className="block-pane" aria-label="Block">
      {block.error !== undefined ? (
        <ErrorState
          title="This block could not be read"
          error={block.error}
          onRetry={block.reload}
        />
      ) : data === undefined ? (
        <Loading label="Loading the block…" />
      ) : (
        <>
          <header className="pane-header">
            <h3>
              <KindBadge kind={data.block.kind} section={data.block.section} />{' '}
              <span className="mono">{shortId(data.block.id)}</span>
            </h3>
            <a href={formatHash({ view: 'graph', params: { block: data.block.id } })}>Graph</a>
            {onClose === undefined ? null : (
              <button
                type="button"
                className="icon-button"
                onClick={onClose}
                aria-label="Close the block"
              >
                ×
              </button>
            )}
          </header>
          <pre
            className={`block-text${data.block.binary ? ' binary' : ''}`}
            aria-label="Block text"
          >
            {data.block.text}
          </pre>
          {data.block.truncated ? (
            <p className="muted">
              The text is cut at {formatInt(data.block.text.length)} characters.
            </p>
          ) : null}
          {data.block.toolCalls.length === 0 ? null : (
            <div className="pane-section">
              <h4>Tool calls</h4>
              <ul className="plain">
                {data.block.toolCalls.map((c) => (
                  <li key={c.id} className="mono">
                    {c.name}({c.arguments}) <span className="muted">id {c.id}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <dl className="meta">
            <dt>Id</dt>
            <dd className="mono">{data.block.id}</dd>
            <dt>Section</dt>
            <dd>{data.block.section}</dd>
            <dt>Created</dt>
            <dd className="mono">{formatTime(data.block.createdAt)}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(data.block.size)}</dd>
            <dt title="Its text alone, as a prompt renders it: without a role label, tool calls or message framing (a turn's candidates show what it added there)">
              Text tokens
            </dt>
            <dd>
              {Object.entries(data.block.tokens)
                .map(([tokenizer, n]) => `${formatInt(n)} (${tokenizer})`)
                .join(', ') || '—'}
            </dd>
            <dt>Priority</dt>
            <dd>{data.block.priority}</dd>
            <dt>Sessions</dt>
            <dd className="mono">{data.block.sessions.join(', ')}</dd>
            {data.block.labels.length === 0 ? null : (
              <>
                <dt>Labels</dt>
                <dd>{data.block.labels.join(', ')}</dd>
              </>
            )}
            {data.block.source === null ? null : (
              <>
                <dt>Source</dt>
                <dd className="mono">{data.block.source}</dd>
              </>
            )}
            {data.block.toolCallId === null ? null : (
              <>
                <dt>Tool call id</dt>
                <dd className="mono">{data.block.toolCallId}</dd>
              </>
            )}
            <dt>Hash</dt>
            <dd className="mono" title={data.block.hash}>
              {data.block.hash.slice(0, 16)}…
            </dd>
          </dl>
          <Edges title="Edges out" edges={data.out} direction="out" onOpen={onOpen} />
          <Edges title="Edges in" edges={data.in} direction="in" onOpen={onOpen} />
          <BlockTurns id={data.block.id} />
        </>
      )}
    </section>
  );
}

/** A block's edges one way, each a button that opens the block at the other end. */
export function Edges({
  title,
  edges,
  direction,
  onOpen,
}: {
  title: string;
  edges: readonly EdgeView[];
  direction: 'in' | 'out';
  onOpen: (id: string) => void;
}) {
  return (
    <div className="pane-section">
      <h4>
        {title} <span className="muted">{edges.length}</span>
      </h4>
      {edges.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <ul className="edges">
          {edges.map((edge) => {
            const other = direction === 'out' ? edge.to : edge.from;
            return (
              <li key={`${edge.from}:${edge.kind}:${edge.to}`}>
                <span className="edge-kind">
                  {direction === 'out' ? `${edge.kind} →` : `← ${edge.kind}`}
                </span>
                <button
                  type="button"
                  className="link-button edge-target"
                  onClick={() => onOpen(other)}
                  title={other}
                >
                  {edge.other === null
                    ? shortId(other)
                    : `${edge.other.kind}: ${edge.other.preview || shortId(other)}`}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
