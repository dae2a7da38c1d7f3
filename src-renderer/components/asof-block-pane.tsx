// One block as a recorded turn saw it: whether it existed then, the sessions it was in and its
// edges at the turn's watermark (clicking one selects the block at the other end), and what
// changed for it since (sessions joined, edges added). Its text is the block's own: bodies never change.
import { useApi } from '../api/api-context';
import { formatBytes, formatInt, formatTime, shortId } from '../lib/format';
import { formatHash } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { Edges } from './block-pane';
import { KindBadge } from './kind-badge';
import { ErrorState, Loading } from './states';
import './block-pane.css';
import './asof-block-pane.css';

export function AsOfBlockPane({
  callId,
  id,
  onOpen,
  onClose,
  onGraph,
}: {
  callId: string;
  id: string;
  onOpen: (id: string) => void;
  onClose: () => void;
  onGraph: (id: string) => void;
}) {
  const call = useApi();
  const q = useQuery(`asof.block:${callId}:${id}`, () => call('asof.block', { callId, id }));
  const data = q.data;
  if (q.error !== undefined)
    return <ErrorState title="This block could not be read" error={q.error} onRetry={q.reload} />;
  if (data === undefined) return <Loading label="Loading the block…" />;
  const b = data.block;
  return (
    <section className="block-pane asof-block" aria-label="Block as of the turn">
      <header className="pane-header">
        <h3>
          <KindBadge kind={b.kind} section={b.section} />{' '}
          <span className="mono">{shortId(b.id)}</span>
        </h3>
        {data.existed ? (
          <button type="button" className="link-button" onClick={() => onGraph(b.id)}>
            Graph at this turn
          </button>
        ) : null}
        <a
          href={formatHash({
            view: 'blocks',
            params: {
              session: b.sessions[0] ?? data.joinedLater[0]?.session ?? data.turn.session,
              block: b.id,
            },
          })}
        >
          Open in Blocks (now)
        </a>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label="Close the block"
        >
          ×
        </button>
      </header>
      {data.existed ? (
        <p className="asof-status asof-then" role="note">
          In the store at this turn: written at write {formatInt(data.writtenSeq)}, the turn saw
          writes up to {formatInt(data.turn.seq)}.
        </p>
      ) : (
        <p className="asof-status asof-later" role="note">
          Not in the store at this turn: written later, at write {formatInt(data.writtenSeq)} (the
          turn saw writes up to {formatInt(data.turn.seq)}).
        </p>
      )}
      <pre className={`block-text${b.binary ? ' binary' : ''}`} aria-label="Block text">
        {b.text}
      </pre>
      {b.truncated ? (
        <p className="muted">The text is cut at {formatInt(b.text.length)} characters.</p>
      ) : null}
      <dl className="meta">
        <dt>Id</dt>
        <dd className="mono">{b.id}</dd>
        <dt>Created</dt>
        <dd className="mono">{formatTime(b.createdAt)}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(b.size)}</dd>
        <dt>Sessions then</dt>
        <dd className="mono">
          {data.joined.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            data.joined.map((j) => `${j.session} (write ${formatInt(j.seq)})`).join(', ')
          )}
        </dd>
        {data.joinedLater.length === 0 ? null : (
          <>
            <dt>Joined since</dt>
            <dd className="mono">
              {data.joinedLater.map((j) => `${j.session} (write ${formatInt(j.seq)})`).join(', ')}
            </dd>
          </>
        )}
        {b.labels.length === 0 ? null : (
          <>
            <dt>Labels (now)</dt>
            <dd>{b.labels.join(', ')}</dd>
          </>
        )}
      </dl>
      {data.existed ? (
        <>
          <Edges title="Edges out at this turn" edges={data.out} direction="out" onOpen={onOpen} />
          <Edges title="Edges in at this turn" edges={data.in} direction="in" onOpen={onOpen} />
        </>
      ) : null}
      {data.edgesLater === 0 ? null : (
        <p className="muted">
          {formatInt(data.edgesLater)} {data.edgesLater === 1 ? 'edge' : 'edges'} touching it{' '}
          {data.edgesLater === 1 ? 'was' : 'were'} added after this turn (see Open in Blocks).
        </p>
      )}
    </section>
  );
}
