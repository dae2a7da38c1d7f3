// Long tables render their first rows at once and say how many more there are, with a button for
// all of them: a diff of two 128k-token turns names thousands of blocks, and rendering every row on
// each what-if change would cost more than the re-page. Nothing is dropped silently.
import { useState } from 'react';
import { formatInt } from '../lib/format';
import './show-all.css';

/** Rows rendered before "Show all". */
export const FIRST_ROWS = 200;

export function useRowLimit(): { rows: number; showAll: () => void } {
  const [all, setAll] = useState(false);
  return { rows: all ? Number.POSITIVE_INFINITY : FIRST_ROWS, showAll: () => setAll(true) };
}

export function ShowAll({
  shown,
  total,
  onShowAll,
}: {
  shown: number;
  total: number;
  onShowAll: () => void;
}) {
  if (shown >= total) return null;
  return (
    <p className="show-all">
      Showing {formatInt(shown)} of {formatInt(total)} rows.{' '}
      <button type="button" onClick={onShowAll}>
        Show all {formatInt(total)}
      </button>
    </p>
  );
}
