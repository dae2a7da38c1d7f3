// A plan diff block by block: every block added, removed, or selected in both with another section
// or reason, in rendering order of sections. Each removal says why (its cause and one sentence)
// and links the block that took its place.
import { useId, useState, type ReactNode } from 'react';
import type { PlanDiffView, Section } from '../../src-main/api/contract';
import type { DiffBlockView } from '../../src-main/api/contract';
import { REASON_TEXT } from '../lib/candidates';
import { formatInt, shortId } from '../lib/format';
import { CAUSE_TEXT, signed } from '../lib/removal-cause';
import { formatHash } from '../lib/route';
import { SECTIONS, sectionTitle } from '../lib/vocabulary';
import { KindBadge } from './kind-badge';
import { EmptyState } from './states';
import { ShowAll, useRowLimit } from './show-all';
import './plan-diff-table.css';

type Change = 'added' | 'removed' | 'changed';

interface Row {
  readonly change: Change;
  readonly id: string;
  readonly kind: PlanDiffView['added'][number]['kind'];
  readonly section: Section;
  readonly sectionAfter: Section | undefined;
  readonly tokens: number;
  readonly why: ReactNode;
  /** Added blocks: new to the store since the earlier turn, or there already and newly selected. */
  readonly origin?: 'new' | 'old' | undefined;
}

export interface PlanDiffTableProps {
  readonly diff: PlanDiffView;
  readonly blocks: Readonly<Record<string, DiffBlockView>>;
  /** The session the blocks are linked in (Blocks view). */
  readonly session: string;
  readonly approximate: boolean;
  /** The panel's heading; default `Blocks`. */
  readonly title?: string;
  /** Only blocks in this section (before or after), e.g. the section clicked in the budget bar. */
  readonly section?: Section | undefined;
  /** Compare: whether each added block is new to the store since the earlier turn or old and newly selected. */
  readonly addedOrigin?: Readonly<Record<string, 'new' | 'old'>> | undefined;
}

export function PlanDiffTable({
  diff,
  blocks,
  session,
  approximate,
  title = 'Blocks',
  section,
  addedOrigin,
}: PlanDiffTableProps) {
  const titleId = useId();
  const [filter, setFilter] = useState<Change | 'all'>('all');
  const limit = useRowLimit();
  const link = (id: string) => {
    const block = blocks[id];
    const label =
      block?.preview === null || block?.preview === undefined
        ? shortId(id)
        : block.preview.slice(0, 70) || shortId(id);
    return block?.exists === false ? (
      <span className="mono" title={id}>
        {shortId(id)} (deleted)
      </span>
    ) : (
      <a href={formatHash({ view: 'blocks', params: { session, block: id } })} title={id}>
        {label}
      </a>
    );
  };
  const rows: Row[] = [
    ...diff.removed.map((r) => ({
      change: 'removed' as const,
      id: r.id,
      kind: r.kind,
      section: r.section,
      sectionAfter: undefined,
      tokens: -r.tokens,
      why: (
        <>
          <strong className="cause">{r.cause}</strong>: {CAUSE_TEXT[r.cause]}
          {r.displacedBy === null ? null : <> — displaced by {link(r.displacedBy)}</>}
          <div className="muted detail">{r.detail}</div>
        </>
      ),
    })),
    ...diff.changed.map((c) => ({
      change: 'changed' as const,
      id: c.id,
      kind: c.kind,
      section: c.before.section,
      sectionAfter: c.after.section,
      tokens: c.after.tokens - c.before.tokens,
      why: (
        <>
          <strong>{c.before.reason}</strong> → <strong>{c.after.reason}</strong>
          {c.before.section === c.after.section ? null : (
            <span className="muted">
              {' '}
              · moved from {sectionTitle(c.before.section)} to {sectionTitle(c.after.section)}
            </span>
          )}
        </>
      ),
    })),
    ...diff.added.map((a) => ({
      change: 'added' as const,
      id: a.id,
      kind: a.kind,
      section: a.section,
      sectionAfter: undefined,
      tokens: a.tokens,
      origin: addedOrigin?.[a.id],
      why: (
        <>
          <strong>{a.reason}</strong>: {REASON_TEXT[a.reason]}{' '}
          <span className="muted">· score {a.score.toFixed(3)}</span>
        </>
      ),
    })),
  ];
  const order = (s: Section) => SECTIONS.indexOf(s);
  const rank: Record<Change, number> = { removed: 0, changed: 1, added: 2 };
  rows.sort((x, y) => order(x.section) - order(y.section) || rank[x.change] - rank[y.change]);
  const inSection =
    section === undefined
      ? rows
      : rows.filter((r) => r.section === section || r.sectionAfter === section);
  const visible = filter === 'all' ? inSection : inSection.filter((r) => r.change === filter);
  const counts: Record<Change | 'all', number> = {
    all: rows.length,
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
  };
  const origins = addedOrigin === undefined ? undefined : Object.values(addedOrigin);

  return (
    <section className="panel diff-blocks" aria-labelledby={titleId}>
      <header className="panel-header">
        <h3 id={titleId}>{title}</h3>
        <div className="segmented" role="group" aria-label="Change">
          {(['all', 'added', 'removed', 'changed'] as const).map((c) => (
            <button key={c} type="button" aria-pressed={filter === c} onClick={() => setFilter(c)}>
              {c} {formatInt(counts[c])}
            </button>
          ))}
        </div>
        <p className="muted">
          {section === undefined ? '' : `${sectionTitle(section)} only · `}Tokens are what each
          block adds to its prompt, with its label or message framing
          {approximate ? ' (approximate)' : ''}; removals say why, and name what took their place.
        </p>
        {origins === undefined || origins.length === 0 ? null : (
          <p className="muted origin-summary">
            Of the added blocks, <b>{formatInt(origins.filter((o) => o === 'new').length)}</b> are
            new to the store (written after the earlier turn, e.g. by its reducer) and{' '}
            <b>{formatInt(origins.filter((o) => o === 'old').length)}</b> were there already and are
            newly selected.
          </p>
        )}
      </header>
      {visible.length === 0 ? (
        <EmptyState
          title={rows.length === 0 ? 'The same blocks in both' : 'No block changed this way'}
        >
          <p>
            {rows.length === 0
              ? 'Both plans selected the same blocks, in the same sections, for the same reasons.'
              : 'Pick another filter.'}
          </p>
        </EmptyState>
      ) : (
        <div className="table-scroll diff-scroll">
          <table className="data-table compact diff-table" aria-label={`${title}: block changes`}>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Block</th>
                <th scope="col">Section</th>
                <th scope="col" className="num">
                  Tokens
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {visible.slice(0, limit.rows).map((row) => (
                <tr key={`${row.change}:${row.id}`} className={`change-${row.change}`}>
                  <td>
                    <span className={`change change-${row.change}`}>
                      {row.change === 'added'
                        ? '+ added'
                        : row.change === 'removed'
                          ? '− removed'
                          : '~ changed'}
                    </span>
                    {row.origin === undefined ? null : <OriginBadge origin={row.origin} />}
                  </td>
                  <td className="diff-block">
                    <KindBadge kind={row.kind} section={row.sectionAfter ?? row.section} />{' '}
                    {link(row.id)}
                  </td>
                  <td>
                    {sectionTitle(row.section)}
                    {row.sectionAfter === undefined || row.sectionAfter === row.section
                      ? null
                      : ` → ${sectionTitle(row.sectionAfter)}`}
                  </td>
                  <td className="num">{signed(row.tokens)}</td>
                  <td className="why-cell">{row.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ShowAll
            shown={Math.min(limit.rows, visible.length)}
            total={visible.length}
            onShowAll={limit.showAll}
          />
        </div>
      )}
    </section>
  );
}

/** Whether an added block is new to the store since the earlier turn or was already there. */
function OriginBadge({ origin }: { origin: 'new' | 'old' }) {
  return origin === 'new' ? (
    <span
      className="origin origin-new"
      title="Written after the earlier turn (for example by its reducer, from its output): new to the store"
    >
      new to the store
    </span>
  ) : (
    <span
      className="origin origin-old"
      title="In the store at the earlier turn already; this turn selected it"
    >
      old, newly selected
    </span>
  );
}
