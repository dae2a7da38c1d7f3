// Store: what is in the store: its path, format, size and counts, and every session with its
// blocks per kind, tokens and recorded turns (linked to the Turns view). j/k move through the
// sessions; Enter opens the selected one's blocks.
import { useEffect, useRef, type Ref } from 'react';
import type { SessionSummary, SessionTurnsView } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { VerifyPanel } from '../components/verify-panel';
import { formatBytes, formatInt, formatTime } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { BLOCK_KINDS } from '../lib/vocabulary';
import './store-view.css';

export function StoreView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const info = useQuery(`store.info:${seq}`, () => call('store.info', {}), 'store.info');
  const sessions = useQuery(
    `sessions.list:${seq}`,
    () => call('sessions.list', {}),
    'sessions.list',
  );
  // Turns and tokens come from their own requests: counting a big session's tokens the first time
  // (a second or so at 100k blocks) must hold up neither the list nor the turn counts.
  const turnCounts = useQuery(
    `turns.sessions:${seq}`,
    () => call('turns.sessions', { tokens: false }),
    'turns.sessions',
  );
  const tokenCounts = useQuery(
    `turns.sessions+tokens:${seq}`,
    () => call('turns.sessions', { tokens: true }),
    'turns.sessions+tokens',
  );
  const turns = tokenCounts.data !== undefined ? tokenCounts : turnCounts;
  const turnsOf = new Map((turns.data?.sessions ?? []).map((t) => [t.session, t]));
  const selected = route.params['session'];
  const list = sessions.data?.sessions ?? [];
  const selectedRow = useRef<HTMLTableRowElement>(null);

  useKeys((event) => {
    const step = listStep(event.key);
    if (step !== undefined && list.length > 0) {
      event.preventDefault();
      const index = list.findIndex((s) => s.session === selected);
      const next = list[Math.min(list.length - 1, Math.max(0, index === -1 ? 0 : index + step))];
      if (next !== undefined)
        navigate(withParams(route, { session: next.session }), { replace: true });
    } else if (event.key === 'Enter' && selected !== undefined) {
      // Focus may still be on a link (a nav tab): its own Enter would follow it after this one.
      event.preventDefault();
      navigate({ view: 'blocks', params: { session: selected } });
    } else if (event.key === 'Escape' && selected !== undefined) {
      navigate(withParams(route, { session: undefined }), { replace: true });
    }
  });

  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  return (
    <div className="view store-view">
      <header className="view-header">
        <h2>Store</h2>
      </header>
      {info.error !== undefined ? (
        <ErrorState error={info.error} onRetry={info.reload} />
      ) : info.data === undefined ? (
        <Loading />
      ) : (
        <section aria-label="Store summary" className="facts">
          <Fact label="Path" value={info.data.path} wide />
          <Fact label="Format version" value={String(info.data.formatVersion)} />
          <Fact label="Runtime" value={info.data.runtimeVersion} />
          <Fact label="Blocks" value={formatInt(info.data.blocks)} />
          <Fact label="Sessions" value={formatInt(info.data.sessions)} />
          <Fact label="Size" value={formatBytes(info.data.sizeBytes)} />
          <Fact label="Changes" value={formatInt(info.data.changeSeq)} />
        </section>
      )}
      <section className="panel" aria-labelledby="sessions-title">
        <h3 id="sessions-title">Sessions</h3>
        {sessions.error !== undefined ? (
          <ErrorState error={sessions.error} onRetry={sessions.reload} />
        ) : sessions.data === undefined ? (
          <Loading />
        ) : list.length === 0 ? (
          <EmptyState title="No sessions yet">
            <p>
              Add blocks with <code>llm386 put --session NAME</code> or <code>llm386 ingest</code>;
              they appear here as soon as they are written.
            </p>
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Sessions">
              <thead>
                <tr>
                  <th scope="col">Session</th>
                  <th scope="col" className="num">
                    Blocks
                  </th>
                  <th scope="col" className="num">
                    Tokens
                  </th>
                  <th scope="col" className="num">
                    Turns
                  </th>
                  <th scope="col">Kinds</th>
                  <th scope="col">First block</th>
                  <th scope="col">Last block</th>
                  <th scope="col">
                    <span className="sr-only">Open</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <SessionRow
                    key={s.session}
                    summary={s}
                    turns={turnsOf.get(s.session)}
                    turnsLoading={turns.data === undefined && turns.error === undefined}
                    selected={s.session === selected}
                    rowRef={s.session === selected ? selectedRow : undefined}
                    onSelect={() =>
                      navigate(withParams(route, { session: s.session }), { replace: true })
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <VerifyPanel />
    </div>
  );
}

function Fact({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  return (
    <div className={`fact${wide ? ' fact-wide' : ''}`}>
      <span className="fact-label">{label}</span>
      <span className="fact-value" title={value}>
        {value}
      </span>
    </div>
  );
}

function SessionRow({
  summary,
  turns,
  turnsLoading,
  selected,
  onSelect,
  rowRef,
}: {
  summary: SessionSummary;
  turns: SessionTurnsView | undefined;
  turnsLoading: boolean;
  selected: boolean;
  onSelect: () => void;
  rowRef: Ref<HTMLTableRowElement> | undefined;
}) {
  const unknown = <span className="muted">{turnsLoading ? '…' : '—'}</span>;
  return (
    <tr
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onClick={onSelect}
      ref={rowRef}
    >
      <th scope="row" className="mono">
        {summary.session}
      </th>
      <td className="num">{formatInt(summary.blocks)}</td>
      <td className="num">
        {turns === undefined ? (
          unknown
        ) : turns.tokens === null ? (
          <span className="muted">…</span>
        ) : (
          <span title={`Tokens of the session's blocks (${turns.tokenizer})`}>
            {formatInt(turns.tokens)}
          </span>
        )}
      </td>
      <td className="num">
        {turns === undefined ? (
          unknown
        ) : turns.turns === 0 ? (
          <span className="muted">0</span>
        ) : (
          <a
            href={formatHash({ view: 'turns', params: { session: summary.session } })}
            title={`${formatInt(turns.inputTokens)} input tokens sent over these turns`}
            onClick={(e) => e.stopPropagation()}
          >
            {formatInt(turns.turns)} {turns.turns === 1 ? 'turn' : 'turns'}
          </a>
        )}
      </td>
      <td>
        <span className="kind-counts">
          {BLOCK_KINDS.filter((k) => summary.kinds[k] !== undefined).map((k) => (
            <span key={k} className="kind-count">
              {k} <b>{formatInt(summary.kinds[k] ?? 0)}</b>
            </span>
          ))}
        </span>
      </td>
      <td className="mono muted">{summary.firstAt === null ? '—' : formatTime(summary.firstAt)}</td>
      <td className="mono muted">{summary.lastAt === null ? '—' : formatTime(summary.lastAt)}</td>
      <td className="actions">
        <a href={formatHash({ view: 'blocks', params: { session: summary.session } })}>Blocks</a>
        <a href={formatHash({ view: 'page', params: { session: summary.session } })}>Page</a>
      </td>
    </tr>
  );
}
