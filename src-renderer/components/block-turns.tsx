// The recorded turns that selected or omitted a block, newest first, for the block pane; each
// links to the Turn view with the block selected.
import { useApi } from '../api/api-context';
import { formatInt, formatScore, formatTime } from '../lib/format';
import { formatHash } from '../lib/route';
import { useLive } from '../lib/live';
import { useQuery } from '../lib/use-query';
import { ErrorState, Loading } from './states';

export function BlockTurns({ id }: { id: string }) {
  const call = useApi();
  const { seq } = useLive();
  const turns = useQuery(`turns.forBlock:${id}:${seq}`, () => call('turns.forBlock', { id }), `turns.forBlock:${id}`);
  const data = turns.data;
  return (
    <div className="pane-section block-turns">
      <h4>
        Turns <span className="muted">{data === undefined ? '' : data.turns.length}</span>
      </h4>
      {turns.error !== undefined ? (
        <ErrorState title="The turns of this block could not be read" error={turns.error} onRetry={turns.reload} />
      ) : data === undefined ? (
        <Loading label="Looking through the turns…" />
      ) : data.turns.length === 0 ? (
        <p className="muted">No recorded turn selected or omitted it{data.sessions.length === 0 ? '' : ` (looked in ${data.sessions.join(', ')})`}.</p>
      ) : (
        <ul className="plain block-turn-list" aria-label="Turns of this block">
          {data.turns.map((t) => (
            <li key={t.turn.callId}>
              <a href={formatHash({ view: 'turn', params: { session: t.turn.session, call: t.turn.callId, block: id } })} title={`${t.turn.task} (${t.section}, score ${formatScore(t.score)})`}>
                <span className={`decision decision-${t.decision}`}>{t.decision}</span> <span className="mono muted">{formatTime(t.turn.createdAt).slice(5)}</span>{' '}
                <span className="block-turn-task">{t.turn.task || '(no task)'}</span>
              </a>
              <span className="muted">
                {' '}
                {t.reason} · {t.turn.session} · {formatInt(t.turn.tokens)} tokens
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
