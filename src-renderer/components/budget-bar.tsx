// The budget split: one bar across the input budget (each section's used tokens and header
// overhead, the task and framing, slack), and a table per section of allocated, used, overhead,
// spill received and unused. Clicking a section filters the candidates to it.
import type { Section } from '../../src-main/api/contract';
import { budgetSegments, sectionRows, type BudgetPlan } from '../lib/budget';
import { formatInt, percent } from '../lib/format';
import { sectionTitle } from '../lib/vocabulary';

export function BudgetBar({ plan, activeSection, onSection }: { plan: BudgetPlan; activeSection: Section | undefined; onSection: (section: Section | undefined) => void }) {
  const input = plan.budget.input;
  const approx = plan.model.tokenizerExact ? '' : ' (approximate)';
  const rows = sectionRows(plan);
  return (
    <section className="panel budget" aria-labelledby="budget-title">
      <header className="panel-header">
        <h3 id="budget-title">Budget</h3>
        <p className="muted">
          {formatInt(plan.budget.used)} of {formatInt(input)} tokens used{approx} · slack {formatInt(plan.budget.slack)} · input budget is {percent(input, plan.model.maxContextTokens)} of the {formatInt(plan.model.maxContextTokens)}-token window of {plan.model.name}
        </p>
      </header>
      <div className="budget-bar" role="img" aria-label={`Budget: ${formatInt(plan.budget.used)} of ${formatInt(input)} tokens used`}>
        {budgetSegments(plan).map((segment) => (
          <span
            key={segment.key}
            className={`seg seg-${segment.kind} section-${segment.section}`}
            style={{ width: `${input === 0 ? 0 : (segment.tokens / input) * 100}%` }}
            title={`${segment.label} tokens (${percent(segment.tokens, input)})`}
          />
        ))}
      </div>
      <table className="data-table compact sections-table" aria-label="Sections">
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col" className="num">
              Allocated
            </th>
            <th scope="col" className="num">
              Used
            </th>
            <th scope="col" className="num">
              Overhead
            </th>
            <th scope="col" className="num">
              Spill in
            </th>
            <th scope="col" className="num">
              Unused
            </th>
            <th scope="col" className="bar-col">
              Use of its share
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => {
            const share = s.allocated + s.spillReceived;
            return (
              <tr key={s.section} aria-selected={activeSection === s.section} className={activeSection === s.section ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onSection(activeSection === s.section ? undefined : s.section)} aria-pressed={activeSection === s.section}>
                    <span className={`swatch section-${s.section}`} aria-hidden="true" />
                    {sectionTitle(s.section)}
                  </button>
                </th>
                <td className="num">{formatInt(s.allocated)}</td>
                <td className="num">{formatInt(s.used)}</td>
                <td className="num">{formatInt(s.overhead)}</td>
                <td className="num">{s.spillReceived === 0 ? '—' : formatInt(s.spillReceived)}</td>
                <td className="num">{formatInt(s.unused)}</td>
                <td className="bar-col">
                  <span className="mini-bar">
                    <span className={`section-${s.section}`} style={{ width: `${share === 0 ? (s.used > 0 ? 100 : 0) : Math.min(100, (s.used / share) * 100)}%` }} />
                  </span>
                </td>
              </tr>
            );
          })}
          <tr>
            <th scope="row">Task and framing</th>
            <td className="num">—</td>
            <td className="num">{formatInt(plan.budget.overhead)}</td>
            <td className="num">—</td>
            <td className="num">—</td>
            <td className="num">—</td>
            <td />
          </tr>
        </tbody>
      </table>
    </section>
  );
}
