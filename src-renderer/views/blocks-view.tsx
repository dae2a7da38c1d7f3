// Blocks: a session's blocks in a virtualised list (only the rows on screen are in the DOM),
// filtered by kind, section, label, creation time and full-text search, with the selected block in
// a pane beside it. Every filter is in the URL.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { BlockKind, Section } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { BlockPane } from '../components/block-pane';
import { ChipLegend } from '../components/chip-legend';
import { KindBadge } from '../components/kind-badge';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { formatBytes, formatInt, formatTime } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { withParams, type Navigate, type Route } from '../lib/route';
import { useBlockWindow } from '../lib/use-block-window';
import { useQuery } from '../lib/use-query';
import { BLOCK_KINDS, SECTIONS, sectionTitle } from '../lib/vocabulary';
import '../components/block-list.css';
import './blocks-view.css';

const ROW_HEIGHT = 30;

export function BlocksView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const sessions = useQuery(
    `sessions.list:${seq}`,
    () => call('sessions.list', {}),
    'sessions.list',
  );
  const session = route.params['session'] ?? sessions.data?.sessions[0]?.session;
  const kinds = parseKinds(route.params['kinds']);
  const query = route.params['q'] ?? '';
  const selected = route.params['block'];
  const sections = parseSections(route.params['sections']);
  const label = route.params['label'] ?? '';
  const from = parseTime(route.params['from']);
  const to = parseTime(route.params['to'], 59_999);
  const list = useBlockWindow(
    call,
    session,
    { kinds, sections, label, from, to, search: query },
    seq,
  );
  const filtered =
    query !== '' ||
    kinds.length > 0 ||
    sections.length > 0 ||
    label !== '' ||
    from !== undefined ||
    to !== undefined;
  const setFilter = (changes: Readonly<Record<string, string | undefined>>) => {
    setCursor(undefined);
    navigate(withParams(route, changes), { replace: true });
  };
  const [draft, setDraft] = useState(query);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<number | undefined>(undefined);

  useEffect(() => {
    setDraft(query);
  }, [query]);
  // Search as you type, a moment after the last key.
  useEffect(() => {
    if (draft === query) return;
    const timer = setTimeout(
      () => navigate(withParams(route, { q: draft }), { replace: true }),
      200,
    );
    return () => clearTimeout(timer);
  }, [draft, query, route, navigate]);

  const total = list.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    list.ensure(first, last);
  }, [first, last, list.ensure]);

  // The keyboard cursor follows the selected block whenever it is among the loaded rows.
  useEffect(() => {
    if (selected === undefined || (cursor !== undefined && list.row(cursor)?.id === selected))
      return;
    for (let i = first; i <= last; i++) {
      if (list.row(i)?.id === selected) {
        setCursor(i);
        return;
      }
    }
  }, [selected, first, last, list, cursor]);

  // A row the keyboard moved to before its page had loaded: select it when it arrives.
  const pending = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (pending.current === undefined) return;
    const row = list.row(pending.current);
    if (row === undefined) return;
    pending.current = undefined;
    navigate(withParams(route, { block: row.id }), { replace: true });
  }, [list, route, navigate]);

  const select = (index: number) => {
    const row = list.row(index);
    setCursor(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
    if (row !== undefined) {
      pending.current = undefined;
      navigate(withParams(route, { block: row.id }), { replace: true });
    } else {
      pending.current = index;
      list.ensure(index, index);
    }
  };

  useKeys((event) => {
    if (event.key === '/') {
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
      return;
    }
    if (event.key === 'Escape') {
      if (document.activeElement === searchRef.current) searchRef.current?.blur();
      else if (selected !== undefined)
        navigate(withParams(route, { block: undefined }), { replace: true });
      return;
    }
    const step = listStep(event.key);
    if (step !== undefined && total > 0) {
      event.preventDefault();
      select(Math.min(total - 1, Math.max(0, cursor === undefined ? 0 : cursor + step)));
    }
  });

  const toggleKind = (kind: BlockKind) => {
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    setCursor(undefined);
    navigate(withParams(route, { kinds: next.join(',') }), { replace: true });
  };

  if (sessions.error !== undefined)
    return <ErrorState error={sessions.error} onRetry={sessions.reload} />;
  if (sessions.data === undefined) return <Loading />;
  if (session === undefined) {
    return (
      <div className="view">
        <EmptyState title="No sessions yet">
          <p>
            Add blocks with <code>llm386 put --session NAME</code>; they show up here as soon as
            they are written.
          </p>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="view blocks-view">
      <header className="view-header toolbar">
        <h2>Blocks</h2>
        <label className="field">
          <span>Session</span>
          <select
            value={session}
            onChange={(e) => navigate({ view: 'blocks', params: { session: e.target.value } })}
          >
            {sessions.data.sessions.map((s) => (
              <option key={s.session} value={s.session}>
                {s.session} ({formatInt(s.blocks)})
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
            aria-label="Search blocks"
          />
        </label>
        <span className="count" aria-live="polite">
          {list.total === undefined
            ? '…'
            : `${formatInt(list.total)} ${list.total === 1 ? 'block' : 'blocks'}`}
        </span>
      </header>
      <div className="chips" role="group" aria-label="Filter by kind">
        {BLOCK_KINDS.map((kind) => (
          <button
            key={kind}
            type="button"
            className="chip"
            aria-pressed={kinds.includes(kind)}
            onClick={() => toggleKind(kind)}
          >
            {kind}
          </button>
        ))}
      </div>
      <div className="toolbar block-filters" role="group" aria-label="More filters">
        <label className="field">
          <span>Section</span>
          <select
            value={sections[0] ?? ''}
            onChange={(e) =>
              setFilter({ sections: e.target.value === '' ? undefined : e.target.value })
            }
            aria-label="Filter by section"
          >
            <option value="">all sections</option>
            {SECTIONS.filter((section) => section !== 'task').map((section) => (
              <option key={section} value={section}>
                {sectionTitle(section)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Label</span>
          <input
            type="text"
            placeholder="exact label"
            defaultValue={label}
            key={`label:${label}`}
            onBlur={(e) => setFilter({ label: e.target.value.trim() || undefined })}
            onKeyDown={(e) =>
              e.key === 'Enter' && setFilter({ label: e.currentTarget.value.trim() || undefined })
            }
            aria-label="Filter by label"
          />
        </label>
        <label className="field">
          <span>Created from</span>
          <input
            type="datetime-local"
            value={route.params['from'] ?? ''}
            onChange={(e) => setFilter({ from: e.target.value || undefined })}
            aria-label="Created from"
          />
        </label>
        <label className="field">
          <span>to</span>
          <input
            type="datetime-local"
            value={route.params['to'] ?? ''}
            onChange={(e) => setFilter({ to: e.target.value || undefined })}
            aria-label="Created to"
          />
        </label>
        {filtered ? (
          <button
            type="button"
            className="link-button"
            onClick={() =>
              setFilter({
                kinds: undefined,
                sections: undefined,
                label: undefined,
                from: undefined,
                to: undefined,
                q: undefined,
              })
            }
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <ChipLegend />
      <div className="split">
        <div className="list-pane">
          {list.error !== undefined ? (
            <ErrorState error={list.error} onRetry={list.reload} />
          ) : list.total === undefined ? (
            <Loading label="Loading blocks…" />
          ) : list.total === 0 ? (
            <EmptyState title="No blocks match">
              <p>
                {filtered
                  ? 'Clear the search or the filters to see more.'
                  : 'This session has no blocks.'}
              </p>
            </EmptyState>
          ) : (
            <div
              ref={scrollRef}
              className="virtual-scroll"
              role="listbox"
              aria-label="Blocks"
              aria-activedescendant={selected === undefined ? undefined : `block-${selected}`}
              tabIndex={0}
            >
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {items.map((item) => {
                  const row = list.row(item.index);
                  return (
                    <div
                      key={item.key}
                      id={row === undefined ? undefined : `block-${row.id}`}
                      role="option"
                      aria-selected={row !== undefined && row.id === selected}
                      className={`block-row${row !== undefined && row.id === selected ? ' selected' : ''}`}
                      style={{
                        position: 'absolute',
                        top: 0,
                        left: 0,
                        right: 0,
                        height: ROW_HEIGHT,
                        transform: `translateY(${item.start}px)`,
                      }}
                      onClick={() => select(item.index)}
                    >
                      {row === undefined ? (
                        <span className="muted">…</span>
                      ) : (
                        <>
                          <span className="badge-slot">
                            <KindBadge kind={row.kind} section={row.section} />
                          </span>
                          <span className="row-preview">
                            {row.preview || <span className="muted">(empty)</span>}
                          </span>
                          <span className="row-meta mono">
                            {formatTime(row.createdAt).slice(5)}
                          </span>
                          <span className="row-meta">{formatBytes(row.size)}</span>
                        </>
                      )}
                    </div>
                  );
                })}
              </div>
            </div>
          )}
        </div>
        <div className="detail-pane">
          {selected === undefined ? (
            <EmptyState title="No block selected">
              <p>Pick a block, or move with j / k.</p>
            </EmptyState>
          ) : (
            <BlockPane
              id={selected}
              onOpen={(id) => navigate(withParams(route, { block: id }))}
              onClose={() => navigate(withParams(route, { block: undefined }), { replace: true })}
            />
          )}
        </div>
      </div>
    </div>
  );
}

function parseKinds(value: string | undefined): BlockKind[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .filter((k): k is BlockKind => (BLOCK_KINDS as readonly string[]).includes(k));
}

function parseSections(value: string | undefined): Section[] {
  if (value === undefined) return [];
  return value.split(',').filter((s): s is Section => (SECTIONS as readonly string[]).includes(s));
}

/** A `datetime-local` value (local time, to the minute) as ms; `extra` makes an end bound inclusive of its minute. */
function parseTime(value: string | undefined, extra = 0): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms + extra;
}
