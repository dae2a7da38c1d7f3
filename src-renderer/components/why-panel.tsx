// Why / why not, for one candidate: who found it (each retriever's normalised score and rank),
// its fused score against the section's cut-off, and for an omitted block what took its place and
// the tokens it needed against the tokens left.
import { explain, REASON_TEXT, type CandidateSource } from '../lib/candidates';
import { formatInt, formatScore, shortId } from '../lib/format';
import { sectionTitle } from '../lib/vocabulary';
import { KindBadge } from './kind-badge';
import { EmptyState } from './states';

export function WhyPanel({ result, id, onSelect, onOpenBlock }: { result: CandidateSource; id: string | undefined; onSelect: (id: string) => void; onOpenBlock: (id: string) => void }) {
  const why = id === undefined ? undefined : explain(result, id);
  const approx = result.plan.model.tokenizerExact ? '' : ' (approximate)';
  const blockLink = (target: string) => (
    <button type="button" className="link-button" onClick={() => onSelect(target)} title={target}>
      {result.blocks[target]?.preview.slice(0, 60) || shortId(target)}
    </button>
  );
  return (
    <section className="panel why" aria-label="Why / why not">
      {why === undefined ? (
        <EmptyState title="Why / why not">
          <p>Select a candidate to see who found it, how it scored against the cut-off, and what took its place.</p>
        </EmptyState>
      ) : (
        <>
          <header className="panel-header">
            <h3>{why.row.decision === 'selected' ? 'Why selected' : 'Why omitted'}</h3>
            <span className={`decision decision-${why.row.decision}`}>{why.row.decision}</span>
          </header>
          <p className="why-block">
            <KindBadge kind={why.row.kind} section={why.row.section} /> {why.row.preview}
          </p>
          <p className="why-reason">
            <strong>{why.row.reason}</strong>: {REASON_TEXT[why.row.reason]}
            {why.via === undefined ? null : <> — pulled in by {blockLink(why.via)}</>}
          </p>
          <dl className="meta why-facts">
            <dt>Section</dt>
            <dd>{sectionTitle(why.row.section)}</dd>
            <dt>Fused score</dt>
            <dd>
              <span className="mono">{formatScore(why.row.score)}</span>
              {why.cutoff === undefined ? null : (
                <span className="muted">
                  {' '}
                  against a cut-off of <span className="mono">{formatScore(why.cutoff)}</span> (lowest score taken on score in {sectionTitle(why.row.section)}){' '}
                  {why.row.score >= why.cutoff ? '— at or above it' : '— below it'}
                </span>
              )}
            </dd>
            {why.row.decision === 'selected' ? (
              <>
                <dt>Tokens</dt>
                <dd>
                  {formatInt(why.row.tokens)}
                  {approx}
                </dd>
              </>
            ) : why.row.reason === 'section-budget' || why.row.reason === 'global-budget' ? (
              <>
                <dt>Tokens needed</dt>
                <dd>
                  {formatInt(why.tokensNeeded ?? 0)}
                  {approx}, with {formatInt(why.tokensLeft ?? 0)} left {why.row.reason === 'global-budget' ? 'in the budget' : `in ${sectionTitle(why.row.section)}`}
                </dd>
                <dt>Displaced by</dt>
                <dd>{why.displacedBy === undefined ? <span className="muted">nothing recorded</span> : blockLink(why.displacedBy)}</dd>
              </>
            ) : (
              <>
                {(why.tokensNeeded ?? 0) > 0 ? (
                  <>
                    <dt>Tokens</dt>
                    <dd>
                      {formatInt(why.tokensNeeded ?? 0)}
                      {approx} it would have added
                    </dd>
                  </>
                ) : null}
                {why.displacedBy === undefined ? null : (
                  <>
                    <dt>{why.row.reason === 'duplicate' ? 'Duplicate of' : why.row.reason === 'replaced-by-summary' ? 'Replaced by' : 'Displaced by'}</dt>
                    <dd>{blockLink(why.displacedBy)}</dd>
                  </>
                )}
              </>
            )}
          </dl>
          <h4>Found by</h4>
          {why.foundBy.length === 0 ? (
            <p className="muted">No retriever returned it: it came in through {why.row.reason}.</p>
          ) : (
            <table className="data-table compact" aria-label="Found by">
              <thead>
                <tr>
                  <th scope="col">Retriever</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                  <th scope="col" className="num">
                    Rank
                  </th>
                  <th scope="col" className="num">
                    Normalised
                  </th>
                  <th scope="col" className="num">
                    Raw
                  </th>
                </tr>
              </thead>
              <tbody>
                {why.foundBy.map((f) => (
                  <tr key={f.name}>
                    <th scope="row">{f.name}</th>
                    <td className="num">{f.weight}</td>
                    <td className="num">#{f.score.rank}</td>
                    <td className="num mono">{formatScore(f.score.normalized)}</td>
                    <td className="num mono">{f.score.raw.toPrecision(4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {why.missedBy.length === 0 ? null : <p className="muted">Not returned by {why.missedBy.join(', ')}.</p>}
          <p>
            <button type="button" className="link-button" onClick={() => onOpenBlock(why.row.id)}>
              Open in Blocks
            </button>
          </p>
        </>
      )}
    </section>
  );
}
