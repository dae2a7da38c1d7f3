// What was written to the store between two points of its history (two turns, or a turn and
// now), as lists people read: blocks added per session (a fact deduplicated into another session
// says so), edges with both ends, calls recorded, blocks taken out of sessions or deleted. Each
// block opens in the store as of the turn; each call opens its Turn.
import { useMemo, useState, type ReactNode } from 'react';
import type { BetweenView, WrittenBlockView } from '../../src-main/api/contract';
import { formatInt, formatTime, shortId } from '../lib/format';
import { formatHash } from '../lib/route';
import { turnRoute } from '../views/turns-view';
import { KindBadge } from './kind-badge';
import './block-pane.css';
import './written-between.css';

const SHOWN = 200;
/** Up to this many added blocks are listed before the other writes. */
const ADDED_FIRST = 50;

export function WrittenBetween({
  data,
  onOpen,
  onMore,
}: {
  data: BetweenView;
  onOpen: (id: string) => void;
  onMore: (() => void) | undefined;
}) {
  const writes = data.toSeq - data.fromSeq;
  const bySession = useMemo(() => {
    const groups = new Map<string, BetweenView['added'][number][]>();
    for (const a of data.added) groups.set(a.session, [...(groups.get(a.session) ?? []), a]);
    return [...groups.entries()];
  }, [data.added]);
  const point = (t: BetweenView['from'] | null) =>
    t === null ? 'now' : `turn ${shortId(t.callId)} (${formatTime(t.createdAt)})`;
  const t = data.totals;
  const nothing = t.added + t.removed + t.deleted + t.edges + t.calls === 0;
  const counts = [
    t.added > 0
      ? `${formatInt(t.added)} ${t.added === 1 ? 'block' : 'blocks'} added to sessions`
      : null,
    t.edges > 0 ? `${formatInt(t.edges)} ${t.edges === 1 ? 'edge' : 'edges'}` : null,
    t.calls > 0 ? `${formatInt(t.calls)} ${t.calls === 1 ? 'call' : 'calls'} recorded` : null,
    t.removed > 0 ? `${formatInt(t.removed)} taken out of sessions` : null,
    t.deleted > 0 ? `${formatInt(t.deleted)} deleted` : null,
  ].filter((x) => x !== null);
  const cut =
    t.added > data.added.length ||
    t.edges > data.edges.length ||
    t.calls > data.calls.length ||
    t.removed > data.removed.length ||
    t.deleted > data.deleted.length;

  // A few added blocks lead; thousands go last, so edges, calls and deletions stay in sight.
  const addedFirst = data.added.length <= ADDED_FIRST;
  const addedGroups = (
    <>
      {bySession.map(([session, added]) => (
        <Group
          key={session}
          title={`Added to ${session}`}
          count={added.length}
          more={bySession.length === 1 && t.added > added.length ? t.added - added.length : 0}
        >
          {(limit) =>
            added.slice(0, limit).map((a) => (
              <li key={`${a.seq}:${a.id}`}>
                <span className="mono muted write-seq">#{formatInt(a.seq)}</span>{' '}
                <BlockRef block={a} onOpen={onOpen} />
                {a.existedBefore ? (
                  <span className="asof-tag">already in the store: joined {session}</span>
                ) : null}
              </li>
            ))
          }
        </Group>
      ))}
    </>
  );
  return (
    <section className="written-between" aria-label="Written between">
      <p className="summary" role="status" aria-label="Writes between">
        From {point(data.from)} to {point(data.to)}: writes {formatInt(data.fromSeq + 1)} to{' '}
        {formatInt(data.toSeq)} ({formatInt(writes)} {writes === 1 ? 'write' : 'writes'})
        {counts.length === 0 ? '' : ` · ${counts.join(' · ')}`}
        {data.truncated ? ' (counted over the first writes only)' : ''}
      </p>
      {data.reversed ? (
        <p className="muted">
          The turn chosen was recorded first, so the list runs from it to this one.
        </p>
      ) : null}
      {cut ? (
        <p className="muted" role="note">
          Each list holds the first{' '}
          {formatInt(
            Math.max(
              data.added.length,
              data.edges.length,
              data.calls.length,
              data.removed.length,
              data.deleted.length,
            ),
          )}{' '}
          of its kind after {point(data.from)}.{' '}
          {onMore === undefined ? null : (
            <button type="button" className="link-button" onClick={onMore}>
              List more
            </button>
          )}
        </p>
      ) : null}
      {nothing ? <p className="muted">Nothing was written between these two points.</p> : null}
      {addedFirst ? addedGroups : null}
      {data.edges.length === 0 ? null : (
        <Group title="Edges added" count={data.edges.length} more={t.edges - data.edges.length}>
          {(limit) =>
            data.edges.slice(0, limit).map((e) => (
              <li key={`${e.seq}`}>
                <span className="mono muted write-seq">#{formatInt(e.seq)}</span>{' '}
                <BlockRef block={e.from} onOpen={onOpen} />{' '}
                <span className="edge-kind">{e.kind} →</span>{' '}
                <BlockRef block={e.to} onOpen={onOpen} />
              </li>
            ))
          }
        </Group>
      )}
      {data.calls.length === 0 ? null : (
        <Group title="Calls recorded" count={data.calls.length} more={t.calls - data.calls.length}>
          {(limit) =>
            data.calls.slice(0, limit).map((c) => (
              <li key={c.callId}>
                <span className="mono muted write-seq">#{formatInt(c.seq)}</span>{' '}
                <a href={formatHash(turnRoute({ callId: c.callId, session: c.session }))}>
                  turn <span className="mono">{shortId(c.callId)}</span>
                </a>{' '}
                <span className="muted">in {c.session}</span>{' '}
                {c.task === null || c.task === '' ? null : <span>· {c.task}</span>}
                {c.callId === data.from.callId ? (
                  <span className="asof-tag">the earlier turn's own record</span>
                ) : null}
              </li>
            ))
          }
        </Group>
      )}
      {data.removed.length === 0 ? null : (
        <Group
          title="Taken out of sessions"
          count={data.removed.length}
          more={t.removed - data.removed.length}
        >
          {(limit) =>
            data.removed.slice(0, limit).map((r) => (
              <li key={`${r.seq}:${r.id}`}>
                <span className="mono muted write-seq">#{formatInt(r.seq)}</span>{' '}
                <BlockRef block={r} onOpen={onOpen} />{' '}
                <span className="muted">out of {r.session}</span>
              </li>
            ))
          }
        </Group>
      )}
      {data.deleted.length === 0 ? null : (
        <Group title="Deleted" count={data.deleted.length} more={t.deleted - data.deleted.length}>
          {(limit) =>
            data.deleted.slice(0, limit).map((d) => (
              <li key={`${d.seq}:${d.id}`}>
                <span className="mono muted write-seq">#{formatInt(d.seq)}</span>{' '}
                <span className="mono">{shortId(d.id)}</span>{' '}
                <span className="muted">(gone from the store)</span>
              </li>
            ))
          }
        </Group>
      )}
      {addedFirst ? null : addedGroups}
    </section>
  );
}

/** A titled list that shows its first rows and more on request; `more` counts those not loaded. */
function Group({
  title,
  count,
  more = 0,
  children,
}: {
  title: string;
  count: number;
  more?: number;
  children: (limit: number) => ReactNode;
}) {
  const [limit, setLimit] = useState(SHOWN);
  return (
    <div className="pane-section between-group">
      <h4>
        {title}{' '}
        <span className="muted">
          {formatInt(count + more)}
          {more > 0 ? `, first ${formatInt(count)} listed` : ''}
        </span>
      </h4>
      <ul className="plain between-list">{children(limit)}</ul>
      {count > limit ? (
        <button type="button" onClick={() => setLimit((l) => l + SHOWN)}>
          Show {formatInt(Math.min(SHOWN, count - limit))} more of {formatInt(count - limit)}
        </button>
      ) : null}
    </div>
  );
}

function BlockRef({ block, onOpen }: { block: WrittenBlockView; onOpen: (id: string) => void }) {
  if (block.kind === null || block.section === null)
    return (
      <span className="mono muted" title={block.id}>
        {shortId(block.id)} (since deleted)
      </span>
    );
  return (
    <button
      type="button"
      className="link-button between-block"
      onClick={() => onOpen(block.id)}
      title={block.id}
    >
      <KindBadge kind={block.kind} section={block.section} /> {block.preview || shortId(block.id)}
    </button>
  );
}
