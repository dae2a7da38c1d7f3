// The Store view's on-demand `verify`: main runs it in a child process (it reads every block and
// recomputes every hash), so the page stays usable; the result lists each problem found.
import { useState } from 'react';
import type { ApiError, VerifyView } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { formatInt } from '../lib/format';
import { ErrorState } from './states';
import './verify-panel.css';

/** Problems listed before "and N more". */
const SHOWN_PROBLEMS = 50;

export function VerifyPanel() {
  const call = useApi();
  const [state, setState] = useState<{ busy: boolean; result?: VerifyView; error?: ApiError }>({
    busy: false,
  });
  const run = async () => {
    setState({ busy: true });
    const result = await call('store.verify', {});
    setState(
      result.ok ? { busy: false, result: result.value } : { busy: false, error: result.error },
    );
  };
  const { result } = state;
  return (
    <section className="panel verify-panel" aria-labelledby="verify-title">
      <div className="verify-head">
        <h3 id="verify-title">Verify</h3>
        <button type="button" onClick={() => void run()} disabled={state.busy}>
          {state.busy ? 'Verifying…' : result === undefined ? 'Verify the store' : 'Verify again'}
        </button>
        <span className="muted">
          Read-only: recomputes every body hash and checks every index against the blocks.
        </span>
      </div>
      {state.busy ? (
        <p role="status" className="muted">
          <span className="spinner" aria-hidden="true" /> Checking every block, body and index…
        </p>
      ) : null}
      {state.error === undefined ? null : (
        <ErrorState title="Verify could not run" error={state.error} onRetry={() => void run()} />
      )}
      {result === undefined || state.busy ? null : (
        <div role="status" aria-label="Verify result">
          <p className={result.ok ? 'good' : 'bad'}>
            {result.ok
              ? 'No problems'
              : `${formatInt(result.problems.length)} ${result.problems.length === 1 ? 'problem' : 'problems'}`}
            : {formatInt(result.blocks)} blocks and {formatInt(result.bodies)} bodies checked in{' '}
            {formatInt(result.ms)} ms.
          </p>
          {result.ok ? null : (
            <>
              <ul className="verify-problems">
                {result.problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
                  <li key={i}>
                    <code>{p.kind}</code> {p.message}
                  </li>
                ))}
              </ul>
              {result.problems.length > SHOWN_PROBLEMS ? (
                <p className="muted">
                  and {formatInt(result.problems.length - SHOWN_PROBLEMS)} more: run `llm386 verify`
                  for the full list.
                </p>
              ) : null}
              <p className="muted">
                <code>llm386 repair --yes</code> rebuilds the indexes and quarantines blocks whose
                bytes no longer match their hash.
              </p>
            </>
          )}
        </div>
      )}
    </section>
  );
}
