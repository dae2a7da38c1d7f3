// The candidates of a plan with their filters (decision, section, text) and the sortable table,
// for the Turn view; the sort, filters and selection live in the URL (`sort`, `dir`, `decision`,
// `section`, `filter`, `block`). The Page view has the same panel inline.
import { useMemo, type Ref } from 'react';
import type { Section } from '../../src-main/api/contract';
import {
  candidateRows,
  filterRows,
  parseSortKey,
  sortRows,
  type CandidateRow,
  type CandidateSource,
  type Decision,
  type SortKey,
} from '../lib/candidates';
import { formatInt } from '../lib/format';
import { SECTIONS } from '../lib/vocabulary';
import { CandidatesTable } from './candidates-table';
import { EmptyState } from './states';
import './candidates-panel.css';

/** The panel's state as read from route parameters. */
export interface CandidateParams {
  readonly sort: SortKey;
  readonly dir: 'asc' | 'desc';
  readonly decision: Decision | undefined;
  readonly section: Section | undefined;
  readonly filter: string;
  readonly block: string | undefined;
}

export function candidateParams(p: Readonly<Record<string, string>>): CandidateParams {
  const sort = parseSortKey(p['sort']);
  return {
    sort,
    // Plan order reads top-down; every other column starts with the largest value.
    dir: p['dir'] === 'asc' || (sort === 'order' && p['dir'] === undefined) ? 'asc' : 'desc',
    decision:
      p['decision'] === 'selected' || p['decision'] === 'omitted' ? p['decision'] : undefined,
    section: (SECTIONS as readonly string[]).includes(p['section'] ?? '')
      ? (p['section'] as Section)
      : undefined,
    filter: p['filter'] ?? '',
    block: p['block'],
  };
}

/** The rows on screen after filters and sort (the keyboard moves through these). */
export function useVisibleCandidates(
  source: CandidateSource | undefined,
  params: CandidateParams,
): { rows: CandidateRow[]; visible: CandidateRow[] } {
  const rows = useMemo(() => (source === undefined ? [] : candidateRows(source)), [source]);
  const { decision, section, filter, sort, dir } = params;
  const visible = useMemo(
    () => sortRows(filterRows(rows, { decision, section, text: filter }), sort, dir),
    [rows, decision, section, filter, sort, dir],
  );
  return { rows, visible };
}

export function CandidatesPanel({
  source,
  params,
  rows,
  visible,
  set,
  filterRef,
}: {
  source: CandidateSource;
  params: CandidateParams;
  rows: readonly CandidateRow[];
  visible: readonly CandidateRow[];
  set: (changes: Record<string, string | undefined>) => void;
  filterRef: Ref<HTMLInputElement>;
}) {
  const { sort, dir, decision, section, filter, block } = params;
  const onSort = (key: SortKey) => {
    if (key === sort) set({ dir: dir === 'asc' ? 'desc' : 'asc' });
    else
      set({
        sort: key,
        dir:
          key === 'order' ||
          key === 'decision' ||
          key === 'kind' ||
          key === 'section' ||
          key === 'reason'
            ? 'asc'
            : 'desc',
      });
  };
  return (
    <section className="panel candidates-panel" aria-labelledby="candidates-title">
      <header className="panel-header filters">
        <h3 id="candidates-title">Candidates</h3>
        <div className="segmented" role="group" aria-label="Decision">
          {(['all', 'selected', 'omitted'] as const).map((d) => (
            <button
              key={d}
              type="button"
              aria-pressed={(decision ?? 'all') === d}
              onClick={() => set({ decision: d === 'all' ? undefined : d })}
            >
              {d}
            </button>
          ))}
        </div>
        <label className="field">
          <span className="sr-only">Section</span>
          <select
            aria-label="Section"
            value={section ?? ''}
            onChange={(e) => set({ section: e.target.value })}
          >
            <option value="">all sections</option>
            {SECTIONS.filter((s) => s !== 'task').map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <input
          ref={filterRef}
          type="search"
          aria-label="Filter candidates"
          placeholder="Filter  ( / )"
          value={filter}
          onChange={(e) => set({ filter: e.target.value })}
        />
        <span className="count">
          {formatInt(visible.length)} of {formatInt(rows.length)}
        </span>
      </header>
      {visible.length === 0 ? (
        <EmptyState title="No candidates match">
          <p>
            {rows.length === 0
              ? 'No retriever returned a block for this call.'
              : 'Clear the filters to see more.'}
          </p>
        </EmptyState>
      ) : (
        <CandidatesTable
          rows={visible}
          retrievers={source.plan.retrievers.map((r) => r.name)}
          sort={sort}
          dir={dir}
          onSort={onSort}
          selected={block}
          onSelect={(id) => set({ block: id })}
          approximate={!source.plan.model.tokenizerExact}
        />
      )}
    </section>
  );
}
