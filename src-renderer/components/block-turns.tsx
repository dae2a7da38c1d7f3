// The recorded turns that selected or omitted a block, newest first, for the block pane; each
// links to the Turn view with the block selected. The server reads a bounded number of trace
// records per request, so older turns load with "Look further back".
import { useState } from 'react';
import type {
  ApiError,
  BlockTurns as BlockTurnsPage,
  BlockTurnView,
} from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { formatInt, formatScore, formatTime } from '../lib/format';
import { useLive } from '../lib/live';
import { formatHash } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { ErrorState, Loading } from './states';
import './block-turns.css';

export function BlockTurns({ id }: { id: string }) {
  const call = useApi();
  const { seq } = useLive();
  const first = useQuery(
    `turns.forBlock:${id}:${seq}`,
    () => call('turns.forBlock', { id }),
    `turns.forBlock:${id}`,
  );
  // Pages loaded with "Look further back", for this block and store state only.
  const [more, setMore] = useState<{ key: string; pages: readonly BlockTurnsPage[] }>({
    key: '',
    pages: [],
  });
  const [loading, setLoading] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | undefined>(undefined);
  const key = `${id}:${seq}`;
  const pages =
    first.data === undefined ? [] : [first.data, ...(more.key === key ? more.pages : [])];
  const last = pages[pages.length - 1];
  const turns: BlockTurnView[] = pages.flatMap((p) => p.turns);
  const scanned = pages.reduce((n, p) => n + p.scanned, 0);

  const lookFurther = () => {
    if (last?.next === null || last === undefined) return;
    setLoading(true);
    void call('turns.forBlock', { id, before: last.next }).then((result) => {
      setLoading(false);
      if (!result.ok) return setMoreError(result.error);
      setMoreError(undefined);
      setMore((prev) => ({ key, pages: [...(prev.key === key ? prev.pages : []), result.value] }));
    });
  };

  return (
    <div className="pane-section block-turns">
      <h4>
        Turns <span className="muted">{first.data === undefined ? '' : turns.length}</span>
      </h4>
      {first.error !== undefined ? (
        <ErrorState
          title="The turns of this block could not be read"
          error={first.error}
          onRetry={first.reload}
        />
      ) : last === undefined ? (
        <Loading label="Looking through the turns…" />
      ) : (
        <>
          {turns.length === 0 ? (
            <p className="muted">
              No recorded turn {last.next === null ? '' : 'among the newest '}selected or omitted it
              {last.sessions.length === 0 ? '' : ` (looked in ${last.sessions.join(', ')})`}.
            </p>
          ) : (
            <ul className="plain block-turn-list" aria-label="Turns of this block">
              {turns.map((t) => (
                <li key={t.turn.callId}>
                  <a
                    href={formatHash({
                      view: 'turn',
                      params: { session: t.turn.session, call: t.turn.callId, block: id },
                    })}
                    title={`${t.turn.task} (${t.section}, score ${formatScore(t.score)})`}
                  >
                    <span className={`decision decision-${t.decision}`}>{t.decision}</span>{' '}
                    <span className="mono muted">{formatTime(t.turn.createdAt).slice(5)}</span>{' '}
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
          {last.next === null ? null : (
            <p className="muted">
              Looked through the newest {formatInt(scanned)} of {formatInt(last.total)} turns that
              could have seen it.{' '}
              <button
                type="button"
                className="link-button"
                onClick={lookFurther}
                disabled={loading}
              >
                {loading ? 'Looking…' : 'Look further back'}
              </button>
            </p>
          )}
          {moreError === undefined ? null : (
            <ErrorState
              title="Older turns could not be read"
              error={moreError}
              onRetry={lookFurther}
            />
          )}
        </>
      )}
    </div>
  );
}
