// Why / why not, for one candidate: who found it (each retriever's role, normalised score, rank and
// contribution), how its score was made (the fusion formula and this candidate's arithmetic), the
// score against the section's cut-off, and for an omitted block what took its place and the tokens
// it needed against the tokens left.
import {
  explain,
  formatTerm,
  reasonText,
  scoreArithmetic,
  topLevelTerms,
  type CandidateSource,
  type Explanation,
} from '../lib/candidates';
import { formatInt, formatScore, shortId } from '../lib/format';
import { sectionTitle } from '../lib/vocabulary';
import { KindBadge } from './kind-badge';
import { EmptyState } from './states';
import './candidates-table.css';
import './why-panel.css';

export function WhyPanel({
  result,
  id,
  onSelect,
  onOpenBlock,
}: {
  result: CandidateSource;
  id: string | undefined;
  onSelect: (id: string) => void;
  onOpenBlock: (id: string) => void;
}) {
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
          <p>
            Select a candidate to see who found it, how it scored against the cut-off, and what took
            its place.
          </p>
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
            <strong>{why.row.reason}</strong>: {reasonText(why.row)}
            {why.via === undefined ? null : <> — pulled in by {blockLink(why.via)}</>}
          </p>
          <dl className="meta why-facts">
            <dt>Section</dt>
            <dd>{sectionTitle(why.row.section)}</dd>
            <dt>Score</dt>
            <dd>
              <span className="mono">{formatScore(why.row.score)}</span>
              {why.cutoff === undefined ? null : (
                <span className="muted">
                  {' '}
                  against a cut-off of <span className="mono">{formatScore(why.cutoff)}</span>{' '}
                  (lowest score taken on score in {sectionTitle(why.row.section)}){' '}
                  {why.row.score >= why.cutoff ? '— at or above it' : '— below it'}
                </span>
              )}
            </dd>
            {why.terms?.priority === undefined ? null : (
              <>
                <dt>Priority</dt>
                <dd>
                  <span className="mono">{formatTerm(why.terms.priority)}</span>
                  <span className="muted">
                    {' '}
                    (the score adds {formatTerm(why.terms.fusion.priorityWeight)} x it to the fused
                    score)
                  </span>
                </dd>
              </>
            )}
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
                  {approx}, with {formatInt(why.tokensLeft ?? 0)} left{' '}
                  {why.row.reason === 'global-budget'
                    ? 'in the budget'
                    : `in ${sectionTitle(why.row.section)}`}
                </dd>
                <dt>Displaced by</dt>
                <dd>
                  {why.displacedBy === undefined ? (
                    <span className="muted">nothing recorded</span>
                  ) : (
                    blockLink(why.displacedBy)
                  )}
                </dd>
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
                    <dt>
                      {why.row.reason === 'duplicate'
                        ? 'Duplicate of'
                        : why.row.reason === 'replaced-by-summary'
                          ? 'Replaced by'
                          : 'Displaced by'}
                    </dt>
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
            <table className="data-table compact found-by" aria-label="Found by">
              <thead>
                <tr>
                  <th scope="col">Retriever</th>
                  <th scope="col" className="num">
                    Normalised
                  </th>
                  <th scope="col" className="num">
                    × Weight
                  </th>
                  <th scope="col" className="num">
                    = Contribution
                  </th>
                </tr>
              </thead>
              <tbody>
                {why.foundBy.map((f) => (
                  <tr key={f.name}>
                    <th scope="row">
                      {f.name}
                      <span className="role">{f.role ?? '—'}</span>
                      {f.flat ? <span className="flat-note">flat: added nothing</span> : null}
                    </th>
                    <td
                      className="num"
                      title={`raw ${f.score.raw.toPrecision(4)}${f.top === null ? '' : ` of its top ${f.top.toPrecision(4)}`}`}
                    >
                      <span className="mono">{formatScore(f.score.normalized)}</span>{' '}
                      <span className="rank">#{f.score.rank}</span>
                    </td>
                    <td className="num">{f.weight}</td>
                    <td className="num mono">
                      {f.score.contribution === null ? (
                        <span className="muted">—</span>
                      ) : (
                        formatScore(f.score.contribution)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {why.missedBy.length === 0 ? null : (
            <p className="muted">Not returned by {why.missedBy.join(', ')}.</p>
          )}
          <ScoreMaking why={why} />
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

/** The fusion formula in words and this candidate's score as arithmetic over the terms above. */
function ScoreMaking({ why }: { why: Explanation }) {
  const { fusion, terms } = why;
  if (fusion === null) {
    return (
      <>
        <h4>How the score was made</h4>
        <p className="muted">
          This turn was recorded before plans showed how the fused score was made: its retrievers'
          contributions are not known.
        </p>
      </>
    );
  }
  const boost = formatTerm(fusion.recencyBoost);
  const shape =
    fusion.mode === 'max'
      ? 'max(weight x normalised)'
      : `max(inclusion) + sum(relevance) x (1 + ${boost} x sum(recency))`;
  const flat = why.foundBy.filter((f) => f.flat).map((f) => f.name);
  return (
    <>
      <h4>How the score was made</h4>
      <p className="why-formula-mode">
        <strong>{fusion.mode}</strong> fusion:
      </p>
      {/* The formula's clauses are separated by "; ": one item each reads easier in a narrow panel. */}
      <ul className="why-formula">
        {fusion.formula.split('; ').map((clause) => (
          <li key={clause}>{clause}</li>
        ))}
        <li>score = fused + {formatTerm(fusion.priorityWeight)} x priority</li>
      </ul>
      {flat.length === 0 ? null : (
        <p className="muted">
          {flat.join(', ')} {flat.length === 1 ? 'was' : 'were'} flat in this call: scored the pool
          (nearly) alike, so added nothing.
        </p>
      )}
      {terms === undefined ? (
        <p className="muted">
          The record lacks a retriever's contribution or role, so the arithmetic cannot be shown.
        </p>
      ) : (
        <div className="why-arithmetic" role="group" aria-label="Score arithmetic">
          <Terms className="muted" expression={`score = ${shape} + priority weight x priority`} />
          <Terms className="mono" expression={scoreArithmetic(why.row.score, terms)} />
          {terms.priority === undefined ? (
            <div className="muted">
              The block is no longer in the store: its priority is not known.
            </div>
          ) : null}
        </div>
      )}
    </>
  );
}

/** One line of the arithmetic; it wraps between terms, not inside them. */
function Terms({ className, expression }: { className: string; expression: string }) {
  return (
    <div className={className}>
      {topLevelTerms(expression).map((term, i) => (
        <span key={i} className="term">
          {i === 0 ? term : ` ${term}`}
        </span>
      ))}
    </div>
  );
}
