// The Graph view's filters: part of the turn (all, selected, omitted, neighbours), connected only,
// section and kind, each option with the number of blocks picking it would draw. The view keeps
// them in the URL (lib/graph-filter.ts).
import type { BlockKind, Section } from '../../src-main/api/contract';
import { formatInt } from '../lib/format';
import {
  GRAPH_SHOWS,
  isFiltering,
  NO_FILTER,
  type GraphFacets,
  type GraphFilter,
  type GraphShow,
} from '../lib/graph-filter';
import { sectionTitle } from '../lib/vocabulary';
import './graph-side-panel.css';

const SHOW_TITLES: Readonly<Record<GraphShow, string>> = {
  all: 'all',
  selected: 'selected',
  omitted: 'omitted',
  neighbour: 'neighbours',
};

export function GraphFilters({
  filter,
  facets,
  turn,
  shown,
  total,
  onChange,
}: {
  filter: GraphFilter;
  facets: GraphFacets;
  /** A turn's graph: its blocks are selected, omitted or neighbours. */
  turn: boolean;
  /** Blocks drawn after the filters, of `total` drawn. */
  shown: number;
  total: number;
  onChange: (filter: GraphFilter) => void;
}) {
  const set = (changes: Partial<GraphFilter>) => onChange({ ...filter, ...changes });
  return (
    <div className="graph-filters" role="group" aria-label="Filters">
      {turn ? (
        <div className="segmented" role="group" aria-label="Show">
          {GRAPH_SHOWS.map((show) => {
            const count = show === 'all' ? undefined : (facets.shows.get(show) ?? 0);
            return (
              <button
                key={show}
                type="button"
                aria-pressed={filter.show === show}
                disabled={count === 0 && filter.show !== show}
                onClick={() => set({ show })}
              >
                {SHOW_TITLES[show]}
                {count === undefined ? '' : ` ${formatInt(count)}`}
              </button>
            );
          })}
        </div>
      ) : null}
      <label>
        <input
          type="checkbox"
          checked={filter.connected}
          onChange={(e) => set({ connected: e.target.checked })}
        />
        Connected only <span className="graph-filter-count">({formatInt(facets.linked)})</span>
      </label>
      <label>
        Section
        <select
          aria-label="Section"
          value={filter.section ?? ''}
          onChange={(e) =>
            set({ section: e.target.value === '' ? undefined : (e.target.value as Section) })
          }
        >
          <option value="">all sections</option>
          {[...facets.sections].map(([section, n]) => (
            <option key={section} value={section}>
              {sectionTitle(section)} ({formatInt(n)})
            </option>
          ))}
          {filter.section !== undefined && !facets.sections.has(filter.section) ? (
            <option value={filter.section}>{sectionTitle(filter.section)} (0)</option>
          ) : null}
        </select>
      </label>
      <label>
        Kind
        <select
          aria-label="Kind"
          value={filter.kind ?? ''}
          onChange={(e) =>
            set({ kind: e.target.value === '' ? undefined : (e.target.value as BlockKind) })
          }
        >
          <option value="">all kinds</option>
          {[...facets.kinds].map(([kind, n]) => (
            <option key={kind} value={kind}>
              {kind} ({formatInt(n)})
            </option>
          ))}
          {filter.kind !== undefined && !facets.kinds.has(filter.kind) ? (
            <option value={filter.kind}>{filter.kind} (0)</option>
          ) : null}
        </select>
      </label>
      <span className="graph-filter-count" role="status" aria-label="Blocks shown">
        {isFiltering(filter)
          ? `${formatInt(shown)} of ${formatInt(total)} blocks shown`
          : `all ${formatInt(total)} blocks shown`}
      </span>
      {isFiltering(filter) ? (
        <button type="button" className="link-button" onClick={() => onChange(NO_FILTER)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
