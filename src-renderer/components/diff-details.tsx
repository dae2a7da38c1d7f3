// The rest of a plan diff: used tokens per section before and after, and each retriever whose
// score or rank of a block changed.
import type { PlanDiffView, RetrieverScoreView } from '../../src-main/api/contract';
import type { DiffBlockView } from '../../src-main/api/contract';
import { formatInt, formatScore, shortId } from '../lib/format';
import { signed } from '../lib/removal-cause';
import { sectionTitle } from '../lib/vocabulary';
import { ShowAll, useRowLimit } from './show-all';
import './diff-details.css';

export function SectionDeltas({
  diff,
  labels,
}: {
  diff: PlanDiffView;
  labels: readonly [before: string, after: string];
}) {
  const rows = diff.sections.filter((s) => s.before !== 0 || s.after !== 0);
  return (
    <section className="panel" aria-labelledby="section-deltas-title">
      <header className="panel-header">
        <h3 id="section-deltas-title">Tokens per section</h3>
        <p className="muted">
          budget {formatInt(diff.budget.before)} → {formatInt(diff.budget.after)}
        </p>
      </header>
      <table className="data-table compact" aria-label="Section tokens">
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col" className="num">
              {labels[0]}
            </th>
            <th scope="col" className="num">
              {labels[1]}
            </th>
            <th scope="col" className="num">
              Change
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.section}>
              <th scope="row">
                <span className={`swatch section-${s.section}`} aria-hidden="true" />
                {sectionTitle(s.section)}
              </th>
              <td className="num">{formatInt(s.before)}</td>
              <td className="num">{formatInt(s.after)}</td>
              <td
                className={`num delta ${s.delta > 0 ? 'delta-up' : s.delta < 0 ? 'delta-down' : ''}`}
              >
                {signed(s.delta)}
              </td>
            </tr>
          ))}
          <tr>
            <th scope="row">All blocks</th>
            <td className="num">{formatInt(rows.reduce((n, s) => n + s.before, 0))}</td>
            <td className="num">{formatInt(rows.reduce((n, s) => n + s.after, 0))}</td>
            <td className="num">{signed(rows.reduce((n, s) => n + s.delta, 0))}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function score(s: RetrieverScoreView | null): string {
  return s === null ? '—' : `${formatScore(s.normalized)} #${s.rank}`;
}

export function RetrieverChanges({
  diff,
  blocks,
}: {
  diff: PlanDiffView;
  blocks: Readonly<Record<string, DiffBlockView>>;
}) {
  const limit = useRowLimit();
  return (
    <section className="panel" aria-labelledby="retriever-changes-title">
      <header className="panel-header">
        <h3 id="retriever-changes-title">Retriever scores</h3>
        <p className="muted">
          {diff.retrievers.length === 0
            ? 'no retriever scored a block differently'
            : `${formatInt(diff.retrievers.length)} changed (normalised score and rank)`}
        </p>
      </header>
      {diff.retrievers.length === 0 ? null : (
        <div className="table-scroll retriever-scroll">
          <table className="data-table compact" aria-label="Retriever score changes">
            <thead>
              <tr>
                <th scope="col">Block</th>
                <th scope="col">Retriever</th>
                <th scope="col" className="num">
                  Before
                </th>
                <th scope="col" className="num">
                  After
                </th>
              </tr>
            </thead>
            <tbody>
              {diff.retrievers.slice(0, limit.rows).map((r) => (
                <tr key={`${r.id}:${r.retriever}`}>
                  <td className="ellipsis" title={r.id}>
                    {blocks[r.id]?.preview?.slice(0, 48) ?? shortId(r.id)}
                  </td>
                  <td>{r.retriever}</td>
                  <td className="num mono">{score(r.before)}</td>
                  <td className="num mono">{score(r.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ShowAll
            shown={Math.min(limit.rows, diff.retrievers.length)}
            total={diff.retrievers.length}
            onShowAll={limit.showAll}
          />
        </div>
      )}
    </section>
  );
}
