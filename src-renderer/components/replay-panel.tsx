// Replay of a recorded turn: does it reproduce byte for byte? If not, where it diverged (which
// stage, which block) and what changed.
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { formatHash } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { PlanDiffTable } from './plan-diff-table';
import { ErrorState, Loading } from './states';
import './replay-panel.css';

/** `start`: replay at once, without waiting for the panel's own button (the Turn view's Replay). */
export function ReplayPanel({
  callId,
  session,
  start = false,
}: {
  callId: string;
  session: string;
  start?: boolean;
}) {
  const call = useApi();
  const [attempt, setAttempt] = useState(start ? 1 : 0);
  const report = useQuery(attempt === 0 ? undefined : `whatif.replay:${callId}:${attempt}`, () =>
    call('whatif.replay', { callId }),
  );
  const r = report.data;
  return (
    <section className="panel replay" aria-labelledby="replay-title">
      <header className="panel-header">
        <h3 id="replay-title">Replay</h3>
        <button
          type="button"
          className="primary"
          onClick={() => setAttempt((n) => n + 1)}
          disabled={report.loading}
        >
          {report.loading ? 'Replaying…' : 'Replay'}
        </button>
        <p className="muted">
          Re-runs the turn at its recorded watermark with its recorded settings, and checks the
          prompt’s bytes against the recording.
        </p>
      </header>
      {attempt === 0 ? null : report.error !== undefined ? (
        <ErrorState title="The replay failed" error={report.error} onRetry={report.reload} />
      ) : r === undefined || report.loading ? (
        <Loading label="Replaying…" />
      ) : r.identical ? (
        <p className="verdict verdict-ok" role="status">
          <strong>Identical</strong>: the recording reproduces byte for byte · sha256{' '}
          <span className="mono">{r.recordedHash.slice(0, 16)}</span> · replayed in{' '}
          {Math.round(r.ms)} ms
        </p>
      ) : (
        <div role="status">
          <p className="verdict verdict-bad">
            <strong>Diverged</strong> at stage <code>{r.divergence?.stage ?? '?'}</code>
            {r.divergence?.blockId == null ? null : (
              <>
                {' '}
                on block{' '}
                {r.missing.includes(r.divergence.blockId) ? (
                  <span className="mono">{r.divergence.blockId} (deleted)</span>
                ) : (
                  <a
                    className="mono"
                    href={formatHash({
                      view: 'blocks',
                      params: { session, block: r.divergence.blockId },
                    })}
                  >
                    {r.divergence.blockId}
                  </a>
                )}
              </>
            )}
            : {r.divergence?.detail ?? ''}
          </p>
          <p className="muted">
            recorded sha256 <span className="mono">{r.recordedHash.slice(0, 16)}</span> · replayed{' '}
            {r.replayedHash === null ? (
              'nothing'
            ) : (
              <span className="mono">{r.replayedHash.slice(0, 16)}</span>
            )}
            {r.missing.length === 0
              ? ''
              : ` · ${r.missing.length} recorded block(s) no longer exist`}
            {r.diff === null ? '' : ` · ${r.diff.summary}`}
          </p>
          {r.diff === null ? null : (
            <PlanDiffTable
              diff={r.diff}
              blocks={r.blocks}
              session={session}
              approximate={false}
              title="Replay changes"
            />
          )}
        </div>
      )}
    </section>
  );
}
