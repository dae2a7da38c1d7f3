// Candidates left out for their section's budget that no weight could ever bring in: they need more
// tokens than the section can hold at these fractions and budget (../lib/section-fit.ts). The note
// says so for the selected candidate, with the fraction and the budget that would hold it; the
// panel lists every such candidate of the plan.
import type { FillSection, PlanView, PolicyView } from '../../src-main/api/contract';
import type { CandidateRow } from '../lib/candidates';
import { formatInt } from '../lib/format';
import { neverFits, type NeverFits } from '../lib/section-fit';
import { sectionTitle } from '../lib/vocabulary';
import { FILL_SECTIONS } from '../lib/whatif-params';
import './never-fits.css';

/** The plan and policy a fit is judged against. */
export interface FitContext {
  readonly plan: Pick<PlanView, 'sections' | 'budget' | 'omitted'>;
  readonly policy: PolicyView;
}

const FIT_REASONS = new Set(['section-budget', 'global-budget']);
const isFill = (s: string): s is FillSection => (FILL_SECTIONS as readonly string[]).includes(s);

/** Every omitted candidate of the plan that can never fit its section, by id. */
export function neverFitsOf(context: FitContext): Map<string, NeverFits> {
  const allocated: Partial<Record<FillSection, number>> = {};
  for (const s of context.plan.sections) if (isFill(s.section)) allocated[s.section] = s.allocated;
  const { sectionBudgets: fractions, switches } = context.policy;
  const out = new Map<string, NeverFits>();
  for (const o of context.plan.omitted) {
    if (!FIT_REASONS.has(o.reason) || !isFill(o.section)) continue;
    // What the section had taken when its turn came: its allocation less the tokens left then.
    const ahead = Math.max(0, (allocated[o.section] ?? 0) - o.tokensLeft);
    const fit = neverFits({
      tokens: o.tokensNeeded,
      section: o.section,
      fractions,
      allocated,
      budget: context.plan.budget.input,
      spill: switches.spill,
      ahead,
    });
    if (fit !== undefined) out.set(o.id, fit);
  }
  return out;
}

const fixed2 = (n: number) => n.toFixed(2);

/** The plain-words note for one candidate that can never fit, with a button to try the fraction. */
export function NeverFitsNote({
  fit,
  policy,
  onTry,
}: {
  fit: NeverFits;
  policy: PolicyView;
  onTry: (changes: Partial<Record<FillSection, number>>) => void;
}) {
  const title = sectionTitle(fit.section);
  const fraction = policy.sectionBudgets[fit.section];
  const over = fit.sumAfter === null ? 0 : fit.sumAfter - 1;
  const lower = fit.lower;
  return (
    <div className="notice never-fits-note" role="note" aria-label="Can never fit">
      <p>
        <strong>Can never fit {title}</strong> at these settings: it needs{' '}
        <b>{formatInt(fit.tokens)}</b> tokens and {title} can hold at most{' '}
        <b>{formatInt(fit.capacity)}</b>{' '}
        {policy.switches.spill
          ? `(every section's allocation together, the most spill could hand it, of the ${formatInt(fit.rest)} tokens split by fraction)`
          : `(its ${fixed2(fraction)} of the ${formatInt(fit.rest)} tokens left after the task and System blocks; spill is off)`}
        . No weight or score changes that.
      </p>
      <p>
        {fit.fraction === null ? (
          <>
            No {title} fraction can hold it
            {policy.switches.spill
              ? ' while the fractions sum to at most 1'
              : `: it needs more than the ${formatInt(fit.rest)} tokens split by fraction`}
            .{' '}
          </>
        ) : (
          <>
            A {title} fraction of <b>{fixed2(fit.fraction)}</b> would let it in
            {fit.ahead > 0
              ? ` beside the ${formatInt(fit.ahead)} tokens ${title} took before its turn`
              : ''}
            {over > 1e-9
              ? ` (the fractions would sum to ${fixed2(fit.sumAfter ?? 0)}: ${lower === null ? `lower others by ${fixed2(over)}` : `${sectionTitle(lower.section)} down to ${fixed2(lower.fraction)} makes room`})`
              : ''}
            .{' '}
            {over > 1e-9 && lower === null ? null : (
              <button
                type="button"
                onClick={() =>
                  onTry({
                    [fit.section]: fit.fraction as number,
                    ...(lower === null || over <= 1e-9 ? {} : { [lower.section]: lower.fraction }),
                  })
                }
              >
                Try {title} {fixed2(fit.fraction)}
                {lower === null || over <= 1e-9
                  ? ''
                  : `, ${sectionTitle(lower.section)} ${fixed2(lower.fraction)}`}
              </button>
            )}{' '}
          </>
        )}
        {fit.budget === null ? null : (
          <>
            {fit.fraction === null ? 'An' : 'Or an'} input budget of <b>{formatInt(fit.budget)}</b>{' '}
            would, at these fractions.
          </>
        )}
      </p>
    </div>
  );
}

/** Every candidate of the plan that can never fit its section, most relevant first. */
export function NeverFitsPanel({
  rows,
  fits,
  selected,
  onSelect,
  limit = 8,
}: {
  rows: readonly CandidateRow[];
  fits: ReadonlyMap<string, NeverFits>;
  selected: string | undefined;
  onSelect: (id: string) => void;
  limit?: number;
}) {
  const found = rows.flatMap((row) => {
    const fit = fits.get(row.id);
    return fit === undefined ? [] : [{ row, fit }];
  });
  if (found.length === 0) return null;
  found.sort((a, b) => b.row.score - a.row.score || a.row.order - b.row.order);
  const sections = [...new Set(found.map((f) => sectionTitle(f.fit.section)))];
  return (
    <section className="panel never-fits" aria-labelledby="never-fits-title">
      <header className="panel-header">
        <h3 id="never-fits-title">Can never fit</h3>
        <p className="muted">
          {formatInt(found.length)} omitted{' '}
          {found.length === 1 ? 'candidate needs' : 'candidates need'} more tokens than{' '}
          {sections.join(', ')} can hold at these fractions and budget: no weight brings{' '}
          {found.length === 1 ? 'it' : 'them'} in.
        </p>
      </header>
      <table className="data-table compact" aria-label="Candidates that can never fit">
        <thead>
          <tr>
            <th scope="col">Block</th>
            <th scope="col">Section</th>
            <th scope="col" className="num">
              Needs
            </th>
            <th scope="col" className="num">
              Section holds
            </th>
            <th scope="col" className="num">
              Fraction that lets it in
            </th>
          </tr>
        </thead>
        <tbody>
          {found.slice(0, limit).map(({ row, fit }) => (
            <tr
              key={row.id}
              aria-selected={row.id === selected}
              className={row.id === selected ? 'selected' : undefined}
              onClick={() => onSelect(row.id)}
            >
              <td className="row-preview" title={row.preview}>
                <button type="button" className="link-button" onClick={() => onSelect(row.id)}>
                  {row.preview.slice(0, 70) || row.id}
                </button>
              </td>
              <td>{sectionTitle(fit.section)}</td>
              <td className="num">{formatInt(fit.tokens)}</td>
              <td className="num">{formatInt(fit.capacity)}</td>
              <td className="num mono">{fit.fraction === null ? '—' : fit.fraction.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {found.length > limit ? (
        <p className="muted">
          and {formatInt(found.length - limit)} more (sort the candidates by tokens to see them)
        </p>
      ) : null}
    </section>
  );
}
