// The store as of a turn (`#/asof?call=ID`): the blocks, sessions and edges as a recorded call saw
// them (every write up to its watermark), and what was written between it and another turn or
// now. Tabs: Blocks (a session's blocks then, virtualised, with the block as it was), Graph (the
// edges then) and Written between. Every selection is in the URL.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BlockKind, BlockSummary } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { AsOfBlockPane } from '../components/asof-block-pane';
import { AsOfGraph } from '../components/asof-graph';
import { BlockList } from '../components/block-list';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { WrittenBetween } from '../components/written-between';
import { formatInt, formatTime, shortId } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { useBlockWindow, type BlockSource } from '../lib/use-block-window';
import { useQuery } from '../lib/use-query';
import { BLOCK_KINDS } from '../lib/vocabulary';
import { turnRoute } from './turns-view';
import './blocks-view.css';
import './turn-view.css';
import './asof-view.css';

const TABS = [
  ['blocks', 'Blocks'],
  ['graph', 'Graph'],
  ['between', 'Written between'],
] as const;
type Tab = (typeof TABS)[number][0];

export function AsOfView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const p = route.params;
  const callId = p['call'];
  const tab: Tab = p['tab'] === 'graph' || p['tab'] === 'between' ? p['tab'] : 'blocks';
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withParams(route, changes), { replace: true });
  const overview = useQuery(
    callId === undefined ? undefined : `asof.sessions:${callId}:${seq ?? ''}`,
    () => call('asof.sessions', { callId: callId ?? '' }),
    `asof.sessions:${callId ?? ''}`,
  );

  if (callId === undefined) {
    return (
      <div className="view">
        <EmptyState title="No turn chosen">
          <p>
            Open a turn from the <a href={formatHash({ view: 'turns', params: {} })}>Turns</a> list,
            then “Store as of this turn”.
          </p>
        </EmptyState>
      </div>
    );
  }
  if (overview.error !== undefined)
    return (
      <ErrorState
        title="The store as of this turn could not be read"
        error={overview.error}
        onRetry={overview.reload}
      />
    );
  const data = overview.data;
  if (data === undefined) return <Loading label="Reading the store as it was at this turn…" />;
  const { turn } = data;
  const gone = data.goneSince.deleted + data.goneSince.removed;

  return (
    <div className="view asof-view">
      <header className="view-header toolbar">
        <h2>Store as of turn {shortId(turn.callId)}</h2>
        <nav className="turn-nav" aria-label="This turn">
          <a href={formatHash(turnRoute({ callId: turn.callId, session: turn.session }))}>
            ← Back to the turn
          </a>
        </nav>
      </header>
      <p className="summary" aria-label="Watermark">
        <span className="mono">{turn.session}</span> · {formatTime(turn.createdAt)} ·{' '}
        {turn.task === '' ? <span className="muted">(no task)</span> : turn.task} · the turn saw
        writes 1 to <b>{formatInt(turn.seq)}</b>
        {turn.watermarkId === null
          ? ''
          : ` (and blocks up to ${shortId(turn.watermarkId)}: recorded before write sequences)`}{' '}
        of {formatInt(data.nowSeq)} now
      </p>
      {gone === 0 ? null : (
        <p className="notice" role="note">
          Since this turn,{' '}
          {data.goneSince.deleted > 0
            ? `${formatInt(data.goneSince.deleted)} ${data.goneSince.deleted === 1 ? 'block was' : 'blocks were'} deleted`
            : ''}
          {data.goneSince.deleted > 0 && data.goneSince.removed > 0 ? ' and ' : ''}
          {data.goneSince.removed > 0
            ? `${formatInt(data.goneSince.removed)} taken out of a session`
            : ''}
          {data.goneSince.lowerBound ? ' (at least)' : ''}: they are no longer in the store, so
          these lists leave them out.
        </p>
      )}
      <div role="tablist" aria-label="Store as of the turn" className="tabs asof-tabs">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            onClick={() => set({ tab: id === 'blocks' ? undefined : id })}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'blocks' ? (
        <AsOfBlocks
          route={route}
          navigate={navigate}
          sessions={data.sessions}
          turnSession={turn.session}
          callId={turn.callId}
        />
      ) : tab === 'graph' ? (
        <AsOfGraph
          callId={turn.callId}
          block={p['block']}
          depth={clampDepth(p['depth'])}
          node={p['node']}
          onNode={(id) => set({ node: id })}
          onDepth={(d) => set({ depth: String(d) })}
          onOpen={(node) =>
            navigate(
              withParams(route, {
                tab: undefined,
                node: undefined,
                block: node.id,
                session: node.session || undefined,
              }),
            )
          }
          onAroundTurn={() => set({ block: undefined, node: undefined })}
        />
      ) : (
        <Between
          callId={turn.callId}
          session={turn.session}
          vs={p['vs']}
          onVs={(vs) => set({ vs })}
          onOpen={(id) => navigate(withParams(route, { tab: undefined, block: id }))}
        />
      )}
    </div>
  );
}

/** The Blocks tab: a session's blocks as they were, and the selected block as it was. */
function AsOfBlocks({
  route,
  navigate,
  sessions,
  turnSession,
  callId,
}: {
  route: Route;
  navigate: Navigate;
  sessions: readonly { session: string; blocks: number; now: number }[];
  turnSession: string;
  callId: string;
}) {
  const call = useApi();
  const { seq } = useLive();
  const p = route.params;
  const session =
    p['session'] ??
    (sessions.some((s) => s.session === turnSession && s.blocks > 0)
      ? turnSession
      : sessions[0]?.session);
  const kinds = useMemo(
    () =>
      (p['kinds'] ?? '')
        .split(',')
        .filter((k): k is BlockKind => (BLOCK_KINDS as readonly string[]).includes(k)),
    [p['kinds']],
  );
  const query = p['q'] ?? '';
  const selected = p['block'];
  const source = useMemo<BlockSource>(
    () => ({
      key: `asof:${callId}`,
      list: (request) => call('asof.blocks', { ...request, callId }),
    }),
    [call, callId],
  );
  const list = useBlockWindow(
    call,
    session,
    { kinds, sections: [], label: '', from: undefined, to: undefined, search: query },
    seq,
    source,
  );
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [draft, setDraft] = useState(query);
  const searchRef = useRef<HTMLInputElement>(null);
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withParams(route, changes), { replace: true });
  useEffect(() => setDraft(query), [query]);
  useEffect(() => {
    if (draft === query) return;
    const timer = setTimeout(
      () => navigate(withParams(route, { q: draft }), { replace: true }),
      200,
    );
    return () => clearTimeout(timer);
  }, [draft, query, route, navigate]);

  const pick = (index: number) => {
    setCursor(index);
    const row = list.row(index);
    if (row !== undefined) set({ block: row.id });
    else list.ensure(index, index);
  };
  useKeys((event) => {
    if (event.key === '/') {
      event.preventDefault();
      searchRef.current?.focus();
      return;
    }
    if (event.key === 'Escape') {
      if (document.activeElement === searchRef.current) searchRef.current?.blur();
      else if (selected !== undefined) set({ block: undefined });
      return;
    }
    const step = listStep(event.key);
    const total = list.total ?? 0;
    if (step !== undefined && total > 0) {
      event.preventDefault();
      pick(Math.min(total - 1, Math.max(0, cursor === undefined ? 0 : cursor + step)));
    }
  });

  const current = sessions.find((s) => s.session === session);
  const shared = (row: BlockSummary) =>
    row.sessions.length > 1 ? (
      <span className="asof-tag" title={`in ${row.sessions.join(', ')} at this turn`}>
        {row.sessions.length} sessions
      </span>
    ) : null;
  return (
    <>
      <div className="toolbar">
        <label className="field">
          <span>Session</span>
          <select
            value={session ?? ''}
            onChange={(e) =>
              navigate(withParams(route, { session: e.target.value, block: undefined }))
            }
            aria-label="Session as of the turn"
          >
            {sessions.map((s) => (
              <option key={s.session} value={s.session}>
                {s.session} ({formatInt(s.blocks)} then, {formatInt(s.now)} now)
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>Search</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="Text in the blocks  ( / )"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-label="Search blocks as of the turn"
          />
        </label>
        <span className="count" aria-live="polite" data-testid="asof-count">
          {list.total === undefined
            ? '…'
            : `${formatInt(list.total)} ${list.total === 1 ? 'block' : 'blocks'} at this turn`}
          {current === undefined || kinds.length > 0 || query !== ''
            ? ''
            : ` · ${formatInt(current.now - current.blocks)} added since`}
        </span>
      </div>
      <div className="chips" role="group" aria-label="Filter by kind">
        {BLOCK_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            className="chip"
            aria-pressed={kinds.includes(kind)}
            onClick={() =>
              set({
                kinds: (kinds.includes(kind)
                  ? kinds.filter((k) => k !== kind)
                  : [...kinds, kind]
                ).join(','),
              })
            }
          >
            {kind}
          </button>
        ))}
      </div>
      <div className="split">
        <div className="list-pane">
          {session === undefined ? (
            <EmptyState title="The store was empty at this turn" />
          ) : list.error !== undefined ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : list.total === undefined ? (
            <Loading label="Loading the blocks as they were…" />
          ) : list.total === 0 ? (
            <EmptyState title="No blocks">
              <p>
                {kinds.length > 0 || query !== ''
                  ? 'None matched at this turn: clear the search or the filters.'
                  : 'This session held no blocks at this turn: it was made later.'}
              </p>
            </EmptyState>
          ) : (
            <BlockList
              list={list}
              selected={selected}
              cursor={cursor}
              onPick={pick}
              label="Blocks as of the turn"
              mark={shared}
            />
          )}
        </div>
        <div className="detail-pane">
          {selected === undefined ? (
            <EmptyState title="No block selected">
              <p>
                Pick a block, or move with j / k: its sessions and edges as they were at this turn.
              </p>
            </EmptyState>
          ) : (
            <AsOfBlockPane
              callId={callId}
              id={selected}
              onOpen={(id) => navigate(withParams(route, { block: id }))}
              onClose={() => set({ block: undefined })}
              onGraph={(id) => navigate(withParams(route, { tab: 'graph', block: id, node: id }))}
            />
          )}
        </div>
      </div>
    </>
  );
}

/** The Written-between tab: this turn against the next one (default), the previous one, another turn of its session, or now. */
function Between({
  callId,
  session,
  vs,
  onVs,
  onOpen,
}: {
  callId: string;
  session: string;
  vs: string | undefined;
  onVs: (vs: string | undefined) => void;
  onOpen: (id: string) => void;
}) {
  const call = useApi();
  const { seq } = useLive();
  const turns = useQuery(`turns.list:${session}`, () => call('turns.list', { session }));
  const list = turns.data?.turns ?? [];
  const at = list.findIndex((t) => t.callId === callId);
  const next = at >= 0 ? list[at + 1]?.callId : undefined;
  const previous = at > 0 ? list[at - 1]?.callId : undefined;
  const choice = vs ?? (turns.data === undefined ? undefined : next === undefined ? 'now' : 'next');
  const to =
    choice === 'next'
      ? next
      : choice === 'previous'
        ? previous
        : choice === 'now'
          ? undefined
          : choice;
  const [limit, setLimit] = useState(500);
  const ready = choice !== undefined && (choice === 'now' || to !== undefined);
  const key = ready
    ? `asof.between:${callId}:${to ?? 'now'}:${limit}:${to === undefined ? (seq ?? '') : ''}`
    : undefined;
  const between = useQuery(
    key,
    () => call('asof.between', { from: callId, ...(to === undefined ? {} : { to }), limit }),
    `asof.between:${callId}:${to ?? 'now'}`,
  );
  return (
    <div className="asof-between">
      <div className="toolbar">
        <label className="field">
          <span>Written between this turn and</span>
          <select
            value={choice ?? ''}
            onChange={(e) => onVs(e.target.value === 'next' ? undefined : e.target.value)}
            aria-label="Compare this turn with"
          >
            <option value="next" disabled={next === undefined}>
              the next turn{next === undefined ? ' (none)' : ''}
            </option>
            <option value="previous" disabled={previous === undefined}>
              the previous turn{previous === undefined ? ' (none)' : ''}
            </option>
            <option value="now">now</option>
            {list
              .filter((t) => t.callId !== callId)
              .map((t) => (
                <option key={t.callId} value={t.callId}>
                  turn {shortId(t.callId)} · {formatTime(t.createdAt)} · {t.task.slice(0, 40)}
                </option>
              ))}
          </select>
        </label>
      </div>
      {turns.error !== undefined ? (
        <ErrorState error={turns.error} onRetry={turns.reload} />
      ) : between.error !== undefined ? (
        <ErrorState error={between.error} onRetry={between.reload} />
      ) : between.data === undefined ? (
        <Loading label="Reading the change log…" />
      ) : (
        <WrittenBetween
          data={between.data}
          onOpen={onOpen}
          onMore={limit < 5000 ? () => setLimit((l) => Math.min(5000, l * 4)) : undefined}
        />
      )}
    </div>
  );
}

function clampDepth(value: string | undefined): number {
  const n = Number(value ?? 1);
  return Number.isFinite(n) ? Math.min(4, Math.max(0, Math.round(n))) : 1;
}
