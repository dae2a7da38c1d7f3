// Turns: a session's recorded model calls (trace records) in order, each with its input tokens
// against the budget, model, task, selected and omitted counts, time and whether the output was
// recorded. j/k move through the turns, Enter (or a click) opens one in the Turn view.
import { useEffect, useRef, type Ref } from 'react';
import type { TurnSummary } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { formatInt, formatTime, percent } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { useQuery } from '../lib/use-query';

/** The Turn view's route for a call (the session travels along, so Turns is one step back). */
export function turnRoute(turn: { callId: string; session: string }, block?: string): Route {
  return { view: 'turn', params: { session: turn.session, call: turn.callId, ...(block === undefined ? {} : { block }) } };
}

export function TurnsView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const sessions = useQuery(`sessions.list:${seq}`, () => call('sessions.list', {}), 'sessions.list');
  const session = route.params['session'];
  const selected = route.params['call'];
  const turns = useQuery(session === undefined ? undefined : `turns.list:${session}:${seq}`, () => call('turns.list', { session: session ?? '' }), `turns.list:${session ?? ''}`);
  const list = turns.data?.turns ?? [];
  const selectedRow = useRef<HTMLTableRowElement>(null);

  useKeys((event) => {
    const step = listStep(event.key);
    if (step !== undefined && list.length > 0) {
      event.preventDefault();
      const index = list.findIndex((t) => t.callId === selected);
      const next = list[Math.min(list.length - 1, Math.max(0, index === -1 ? 0 : index + step))];
      if (next !== undefined) navigate(withParams(route, { call: next.callId }), { replace: true });
    } else if (event.key === 'Enter' && selected !== undefined && session !== undefined) {
      // Focus may still be on a link (the nav tab just clicked): its own Enter would follow it
      // back here, after this navigation.
      event.preventDefault();
      navigate(turnRoute({ callId: selected, session }));
    } else if (event.key === 'Escape' && selected !== undefined) {
      navigate(withParams(route, { call: undefined }), { replace: true });
    }
  });

  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  // With one session there is nothing to choose: list its turns.
  const only = sessions.data?.sessions.length === 1 ? sessions.data.sessions[0]?.session : undefined;
  useEffect(() => {
    if (session === undefined && only !== undefined) navigate(withParams(route, { session: only }), { replace: true });
  }, [session, only, route, navigate]);

  if (sessions.error !== undefined) return <ErrorState error={sessions.error} onRetry={sessions.reload} />;
  if (sessions.data === undefined || (session === undefined && only !== undefined)) return <Loading />;

  return (
    <div className="view turns-view">
      <header className="view-header toolbar">
        <h2>Turns</h2>
        <label className="field">
          <span>Session</span>
          <select value={session ?? ''} onChange={(e) => navigate({ view: 'turns', params: e.target.value === '' ? {} : { session: e.target.value } })}>
            {session === undefined ? <option value="">choose a session</option> : null}
            {sessions.data.sessions.map((s) => (
              <option key={s.session} value={s.session}>
                {s.session}
              </option>
            ))}
          </select>
        </label>
        <span className="count" aria-live="polite">
          {turns.data === undefined ? '' : `${formatInt(turns.data.total)} ${turns.data.total === 1 ? 'turn' : 'turns'}`}
        </span>
      </header>
      {session === undefined ? (
        <EmptyState title="Choose a session">
          {sessions.data.sessions.length === 0 ? (
            <p>This store has no sessions yet.</p>
          ) : (
            <>
              <p>Each recorded model call of a session is a turn. Pick the session whose turns to list:</p>
              <ul className="session-picker" aria-label="Sessions">
                {sessions.data.sessions.map((s) => (
                  <li key={s.session}>
                    <a href={formatHash({ view: 'turns', params: { session: s.session } })}>{s.session}</a> <span className="muted">{formatInt(s.blocks)} blocks</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </EmptyState>
      ) : turns.error !== undefined ? (
        <ErrorState title="The turns could not be listed" error={turns.error} onRetry={turns.reload} />
      ) : turns.data === undefined ? (
        <Loading label="Loading the turns…" />
      ) : list.length === 0 ? (
        <EmptyState title="No turns recorded">
          <p>
            No model call of <b>{session}</b> was traced. Calls made with <code>llm386 pack --trace</code>, or through the runtime's <code>pack</code>, are recorded and listed here.
          </p>
        </EmptyState>
      ) : (
        <section className="panel" aria-label="Turns">
          {turns.data.total > list.length ? <p className="muted">The newest {formatInt(list.length)} of {formatInt(turns.data.total)} turns.</p> : null}
          <div className="table-scroll turns-scroll">
            <table className="data-table turns-table" aria-label="Turns">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Time</th>
                  <th scope="col">Task</th>
                  <th scope="col">Model</th>
                  <th scope="col" className="tokens-col">
                    Input tokens / budget
                  </th>
                  <th scope="col" className="num">
                    Selected
                  </th>
                  <th scope="col" className="num">
                    Omitted
                  </th>
                  <th scope="col">Output</th>
                </tr>
              </thead>
              <tbody>
                {list.map((turn, i) => (
                  <TurnRow
                    key={turn.callId}
                    turn={turn}
                    index={turns.data === undefined ? i : turns.data.total - list.length + i + 1}
                    selected={turn.callId === selected}
                    rowRef={turn.callId === selected ? selectedRow : undefined}
                    onOpen={() => {
                      navigate(withParams(route, { call: turn.callId }), { replace: true });
                      navigate(turnRoute(turn));
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}

function TurnRow({ turn, index, selected, rowRef, onOpen }: { turn: TurnSummary; index: number; selected: boolean; rowRef: Ref<HTMLTableRowElement> | undefined; onOpen: () => void }) {
  const share = turn.inputBudget === 0 ? 0 : Math.min(1, turn.tokens / turn.inputBudget);
  return (
    <tr aria-selected={selected} className={selected ? 'selected' : undefined} onClick={onOpen} ref={rowRef}>
      <td className="num muted">{index}</td>
      <td className="mono muted nowrap">{formatTime(turn.createdAt)}</td>
      <th scope="row" className="turn-task">
        <a href={formatHash(turnRoute(turn))} onClick={(e) => e.stopPropagation()} title={turn.task}>
          {turn.task === '' ? <span className="muted">(no task)</span> : turn.task}
        </a>
      </th>
      <td className="nowrap">
        {turn.model} <span className="muted">· {turn.mode}</span>
      </td>
      <td className="tokens-col">
        <span className="token-budget" title={`${formatInt(turn.tokens)} of ${formatInt(turn.inputBudget)} input tokens (${percent(turn.tokens, turn.inputBudget)}), ${formatInt(turn.overhead)} of them framing`}>
          <span className="mini-bar" aria-hidden="true">
            <span className={share > 0.95 ? 'bar-full' : 'bar-used'} style={{ width: `${Math.max(share * 100, turn.tokens > 0 ? 1 : 0)}%` }} />
          </span>
          <span className="num mono">
            {formatInt(turn.tokens)} / {formatInt(turn.inputBudget)}
          </span>
        </span>
      </td>
      <td className="num">{formatInt(turn.selected)}</td>
      <td className="num">{turn.omitted === 0 ? <span className="muted">0</span> : formatInt(turn.omitted)}</td>
      <td>{turn.hasOutput ? 'recorded' : <span className="muted">none</span>}</td>
    </tr>
  );
}
