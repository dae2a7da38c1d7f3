// Turns: a session's recorded model calls (trace records) in order, grouped under the user turn
// each serves (a tool loop's calls under its user message), each with its input tokens against
// the budget, model, task, selected and omitted counts, output, latency, usage and cost. Pick two
// rows to compare them; search across the turns' tasks, outputs and blocks. j/k move through the
// turns, Enter (or a click) opens one in the Turn view, `/` searches.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TurnSummary } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { TurnsTable } from '../components/turns-table';
import { formatInt } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { compareOrder, parsePicks, togglePick } from '../lib/turn-facts';
import { useCallFacts } from '../lib/use-call-facts';
import { useQuery } from '../lib/use-query';
import './turns-view.css';

/** The Turn view's route for a call (the session travels along, so Turns is one step back). */
export function turnRoute(turn: { callId: string; session: string }, block?: string): Route {
  return {
    view: 'turn',
    params: { session: turn.session, call: turn.callId, ...(block === undefined ? {} : { block }) },
  };
}

export function TurnsView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const sessions = useQuery(
    `sessions.list:${seq}`,
    () => call('sessions.list', {}),
    'sessions.list',
  );
  const session = route.params['session'];
  const selected = route.params['call'];
  const turns = useQuery(
    session === undefined ? undefined : `turns.list:${session}:${seq}`,
    () => call('turns.list', { session: session ?? '', facts: true }),
    `turns.list:${session ?? ''}`,
  );
  const all = turns.data?.turns ?? [];
  const query = route.params['q'] ?? '';
  const [draft, setDraft] = useState(query);
  const searchRef = useRef<HTMLInputElement>(null);
  const search = useQuery(
    session === undefined || query.trim() === ''
      ? undefined
      : `turns.search:${session}:${query}:${seq}`,
    () => call('turns.search', { session: session ?? '', query }),
    `turns.search:${session ?? ''}:${query}`,
  );
  const matches =
    query.trim() === ''
      ? undefined
      : search.data === undefined
        ? undefined
        : new Map(search.data.matches.map((m) => [m.callId, m]));
  const list =
    matches === undefined
      ? query.trim() === ''
        ? all
        : []
      : all.filter((t) => matches.has(t.callId));
  const facts = useCallFacts(
    call,
    session,
    all.map((t) => t.callId),
    `${session ?? ''}:${seq}:${all.length}:${all[all.length - 1]?.callId ?? ''}`,
    turns.data?.facts,
  );
  const picks = parsePicks(route.params['pick']);
  const pair = compareOrder(picks);
  const groups = turns.data?.groups ?? [];
  const byId = new Map(all.map((t) => [t.callId, t]));
  const indexOf = new Map(
    all.map((t, i) => [
      t.callId,
      turns.data === undefined ? i : turns.data.total - all.length + i + 1,
    ]),
  );
  // Rows are memoised: their handlers stay the same functions and read the latest state from here.
  const latest = useRef({ route, navigate, picks });
  latest.current = { route, navigate, picks };
  const onPick = useCallback((turn: TurnSummary) => {
    const { route: r, navigate: go, picks: p } = latest.current;
    go(withParams(r, { pick: togglePick(p, turn.callId).join(',') || undefined }), {
      replace: true,
    });
  }, []);
  const onOpen = useCallback((turn: TurnSummary) => {
    const { route: r, navigate: go } = latest.current;
    go(withParams(r, { call: turn.callId }), { replace: true });
    go(turnRoute(turn));
  }, []);

  useEffect(() => {
    setDraft(query);
  }, [query]);
  // Search as you type, a moment after the last key; the query is in the URL (a deep link).
  useEffect(() => {
    if (draft === query) return;
    const timer = setTimeout(
      () =>
        navigate(withParams(route, { q: draft.trim() === '' ? undefined : draft }), {
          replace: true,
        }),
      250,
    );
    return () => clearTimeout(timer);
  }, [draft, query, route, navigate]);

  useKeys((event) => {
    if (event.key === '/') {
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
      return;
    }
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

  // With one session there is nothing to choose: list its turns.
  const only =
    sessions.data?.sessions.length === 1 ? sessions.data.sessions[0]?.session : undefined;
  useEffect(() => {
    if (session === undefined && only !== undefined)
      navigate(withParams(route, { session: only }), { replace: true });
  }, [session, only, route, navigate]);

  if (sessions.error !== undefined)
    return <ErrorState error={sessions.error} onRetry={sessions.reload} />;
  if (sessions.data === undefined || (session === undefined && only !== undefined))
    return <Loading />;

  return (
    <div className="view turns-view">
      <header className="view-header toolbar">
        <h2>Turns</h2>
        <label className="field">
          <span>Session</span>
          <select
            value={session ?? ''}
            onChange={(e) =>
              navigate({
                view: 'turns',
                params: e.target.value === '' ? {} : { session: e.target.value },
              })
            }
          >
            {session === undefined ? <option value="">choose a session</option> : null}
            {sessions.data.sessions.map((s) => (
              <option key={s.session} value={s.session}>
                {s.session}
              </option>
            ))}
          </select>
        </label>
        {session === undefined ? null : (
          <input
            ref={searchRef}
            type="search"
            className="turns-search"
            placeholder="Search turns  ( / )"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              // A search field's own Esc wipes it; here Esc only leaves the field, the search stays.
              if (e.key === 'Escape') {
                e.preventDefault();
                e.currentTarget.blur();
              }
            }}
            aria-label="Search turns"
          />
        )}
        <span className="count" aria-live="polite">
          {turns.data === undefined
            ? ''
            : matches === undefined
              ? `${formatInt(turns.data.total)} ${turns.data.total === 1 ? 'turn' : 'turns'}`
              : `${formatInt(list.length)} of ${formatInt(turns.data.total)} turns match`}
        </span>
        {session === undefined ? null : (
          <span className="turns-compare">
            <span className="muted">
              {picks.length === 0
                ? 'Tick two turns to compare them'
                : picks.length === 1
                  ? 'Tick one more turn'
                  : '2 turns ticked'}
            </span>
            <button
              type="button"
              disabled={pair === undefined}
              onClick={() =>
                pair !== undefined &&
                navigate({
                  view: 'compare',
                  params: { session: session ?? '', a: pair.a, b: pair.b },
                })
              }
            >
              Compare
            </button>
          </span>
        )}
      </header>
      {session === undefined ? (
        <EmptyState title="Choose a session">
          {sessions.data.sessions.length === 0 ? (
            <p>This store has no sessions yet.</p>
          ) : (
            <>
              <p>
                Each recorded model call of a session is a turn. Pick the session whose turns to
                list:
              </p>
              <ul className="session-picker" aria-label="Sessions">
                {sessions.data.sessions.map((s) => (
                  <li key={s.session}>
                    <a href={formatHash({ view: 'turns', params: { session: s.session } })}>
                      {s.session}
                    </a>{' '}
                    <span className="muted">{formatInt(s.blocks)} blocks</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </EmptyState>
      ) : turns.error !== undefined ? (
        <ErrorState
          title="The turns could not be listed"
          error={turns.error}
          onRetry={turns.reload}
        />
      ) : turns.data === undefined ? (
        <Loading label="Loading the turns…" />
      ) : list.length === 0 ? (
        <EmptyState title="No turns recorded">
          <p>
            No model call of <b>{session}</b> was traced. Calls made with{' '}
            <code>llm386 pack --trace</code>, or through the runtime's <code>pack</code>, are
            recorded and listed here.
          </p>
        </EmptyState>
      ) : (
        <section className="panel" aria-label="Turns">
          {turns.data.total > all.length ? (
            <p className="muted">
              The newest {formatInt(all.length)} of {formatInt(turns.data.total)} turns.
            </p>
          ) : null}
          {facts.error === undefined ? null : (
            <p className="muted">Outputs, latency and cost could not be read: {facts.error}</p>
          )}
          {search.error !== undefined ? (
            <ErrorState title="The search failed" error={search.error} onRetry={search.reload} />
          ) : query.trim() !== '' && matches === undefined ? (
            <Loading label="Searching the turns…" />
          ) : list.length === 0 ? (
            <EmptyState title="No turn matches">
              <p>
                No task, output or block of <b>{session}</b>'s turns contains “{query}”. Esc leaves
                the search field; clear it to list every turn.
              </p>
            </EmptyState>
          ) : (
            <TurnsTable
              groups={groups}
              byId={byId}
              matches={matches}
              indexOf={indexOf}
              selected={selected}
              picks={picks}
              onPick={onPick}
              onOpen={onOpen}
              facts={facts.facts}
              factsLoading={facts.loading}
              session={session}
            />
          )}
        </section>
      )}
    </div>
  );
}
