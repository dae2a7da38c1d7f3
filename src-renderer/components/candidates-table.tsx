// Every candidate of a page call: one column per retriever (normalised score and rank), the fused
// score, decision and reason. Sortable by any column, virtualised (only the rows on screen are in
// the DOM, so 10k candidates open at once). The Block column wraps its text on two lines (rows are
// all as tall, for the virtualiser); hovering a cell shows the whole preview.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { RetrieverScoreView } from '../../src-main/api/contract';
import type { CandidateRow, SortDir, SortKey } from '../lib/candidates';
import { formatInt, formatScore } from '../lib/format';
import { ChipLegend } from './chip-legend';
import { KindBadge } from './kind-badge';
import './candidates-table.css';

/** Two lines of the Block column's text. */
const ROW_HEIGHT = 44;

export interface CandidatesTableProps {
  readonly rows: readonly CandidateRow[];
  readonly retrievers: readonly string[];
  readonly sort: SortKey;
  readonly dir: SortDir;
  readonly onSort: (key: SortKey) => void;
  readonly selected: string | undefined;
  readonly onSelect: (id: string) => void;
  readonly approximate: boolean;
}

export function CandidatesTable({
  rows,
  retrievers,
  sort,
  dir,
  onSort,
  selected,
  onSelect,
  approximate,
}: CandidatesTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const selectedIndex = selected === undefined ? -1 : rows.findIndex((r) => r.id === selected);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const header = (key: SortKey, label: string, className?: string, title?: string) => (
    <th
      scope="col"
      className={className}
      title={title}
      aria-sort={sort === key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" className="sort-button" onClick={() => onSort(key)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {sort === key ? (dir === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  );

  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const columns = 5 + retrievers.length;
  return (
    <>
      <div ref={scrollRef} className="table-scroll candidates-scroll">
        <table
          className="data-table candidates"
          aria-label="Candidates"
          aria-rowcount={rows.length + 1}
        >
          <thead>
            <tr>
              {header('decision', 'Decision', 'sticky-1')}
              {header('kind', 'Block', 'block-col sticky-2')}
              {retrievers.map((name) => (
                <th
                  key={name}
                  scope="col"
                  className="num retriever-col"
                  aria-sort={
                    sort === `retriever:${name}`
                      ? dir === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : 'none'
                  }
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => onSort(`retriever:${name}`)}
                    title={`${name}: normalised score and rank`}
                  >
                    {name}
                    <span className="sort-mark" aria-hidden="true">
                      {sort === `retriever:${name}` ? (dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
              {header('score', 'Fused', 'num')}
              {header(
                'tokens',
                approximate ? 'Tokens ≈' : 'Tokens',
                'num',
                'Selected: what the block adds to the prompt (its text with its label, or its chat message with framing), and with its tool partners for a tool call or result. Omitted: what it would have needed, with the blocks it travels with.',
              )}
              {header('reason', 'Reason')}
            </tr>
          </thead>
          <tbody>
            {top > 0 ? (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={columns} style={{ height: top }} />
              </tr>
            ) : null}
            {items.map((item) => {
              const row = rows[item.index];
              if (row === undefined) return null;
              const isSelected = row.id === selected;
              return (
                <tr
                  key={row.id}
                  aria-rowindex={item.index + 2}
                  aria-selected={isSelected}
                  className={`${isSelected ? 'selected ' : ''}decision-row-${row.decision}`}
                  style={{ height: ROW_HEIGHT }}
                  onClick={() => onSelect(row.id)}
                  data-id={row.id}
                >
                  <td className="sticky-1">
                    <span className={`decision decision-${row.decision}`}>{row.decision}</span>
                  </td>
                  <td
                    className="block-col sticky-2"
                    title={`${row.kind} in ${row.section}: ${row.preview}`}
                  >
                    <span className="block-cell">
                      <KindBadge kind={row.kind} section={row.section} />{' '}
                      <span className="row-preview">{row.preview}</span>
                    </span>
                  </td>
                  {retrievers.map((name) => (
                    <ScoreCell key={name} score={row.retrievers[name]} />
                  ))}
                  <td className="num mono">{formatScore(row.score)}</td>
                  <td className="num">
                    {formatInt(row.tokens)}
                    {row.pairTokens === undefined ? null : (
                      <span className="muted" title="with its tool partners">
                        {' '}
                        · pair {formatInt(row.pairTokens)}
                      </span>
                    )}
                  </td>
                  <td>{row.reason}</td>
                </tr>
              );
            })}
            {bottom > 0 ? (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={columns} style={{ height: bottom }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <ChipLegend />
    </>
  );
}

function ScoreCell({ score }: { score: RetrieverScoreView | undefined }) {
  if (score === undefined) {
    return (
      <td className="num muted retriever-col" aria-label="not returned">
        —
      </td>
    );
  }
  return (
    <td className="num retriever-col">
      <span className="score-cell">
        <span
          className="score-bar"
          style={{ width: `${Math.round(score.normalized * 100)}%` }}
          aria-hidden="true"
        />
        <span className="mono">{formatScore(score.normalized)}</span>{' '}
        <span className="rank">#{score.rank}</span>
      </span>
    </td>
  );
}
