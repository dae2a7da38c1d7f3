// The budget split: one bar across the input budget (each section's used tokens and header
// overhead, the task and framing, slack), and a table per section of allocated, used, overhead,
// spill received and unused. Clicking a section filters the candidates to it.
import type { Section } from '../../src-main/api/contract';
import { budgetSegments, sectionRows, type BudgetPlan } from '../lib/budget';
import { formatInt, percent } from '../lib/format';
import { sectionTitle } from '../lib/vocabulary';
import './budget-bar.css';

export function BudgetBar({
  plan,
  activeSection,
  onSection,
}: {
  plan: BudgetPlan;
  activeSection: Section | undefined;
  onSection: (section: Section | undefined) => void;
}) {
  const input = plan.budget.input;
  const approx = plan.model.tokenizerExact ? '' : ' (approximate)';
  const rows = sectionRows(plan);
  // Plans made for a rendering say what each section's allocation paid (older ones do not).
  const charged = plan.sections.some((s) => s.charged != null);
  return (
    <section className="panel budget" aria-labelledby="budget-title">
      <header className="panel-header">
        <h3 id="budget-title">Budget</h3>
        <p className="muted">
          <b data-testid="budget-used">{formatInt(plan.budget.used)}</b> of {formatInt(input)}{' '}
          tokens used:{' '}
          {plan.rendering == null
            ? 'charged, an upper bound on the string and chat prompts (recorded before exact accounting)'
            : `the ${plan.rendering} prompt, exactly`}
          {approx} · slack {formatInt(plan.budget.slack)} · input budget is{' '}
          {percent(input, plan.model.maxContextTokens)} of the{' '}
          {formatInt(plan.model.maxContextTokens)}-token window of {plan.model.name}
        </p>
      </header>
      <div
        className="budget-bar"
        role="img"
        aria-label={`Budget: ${formatInt(plan.budget.used)} of ${formatInt(input)} tokens used`}
      >
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
            <th scope="col" className="num" title="Tokens of the blocks rendered in this section">
              Used
            </th>
            <th scope="col" className="num" title="Its header, charged only when it has blocks">
              Header
            </th>
            <th
              scope="col"
              className="num"
              title="Tokens taken beyond its allocation from sections that left theirs unused"
            >
              Spill in
            </th>
            {charged ? (
              <th
                scope="col"
                className="num"
                title="Tokens its allocation and spill paid for: what it took, with tool partners and dependencies that render in other sections"
              >
                Charged
              </th>
            ) : null}
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
              <tr
                key={s.section}
                aria-selected={activeSection === s.section}
                className={activeSection === s.section ? 'selected' : undefined}
              >
                <th scope="row">
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onSection(activeSection === s.section ? undefined : s.section)}
                    aria-pressed={activeSection === s.section}
                  >
                    <span className={`swatch section-${s.section}`} aria-hidden="true" />
                    {sectionTitle(s.section)}
                  </button>
                </th>
                <td className="num">{formatInt(s.allocated)}</td>
                <td className="num">{formatInt(s.used)}</td>
                <td className="num">{formatInt(s.overhead)}</td>
                <td className="num" title={spillFrom(s.spillFrom)}>
                  {formatInt(s.spillReceived)}
                  {s.spillReceived > 0 && s.spillFrom != null ? (
                    <span className="muted"> from {spillFrom(s.spillFrom)}</span>
                  ) : null}
                </td>
                {charged ? (
                  <td className="num">{s.charged == null ? '—' : formatInt(s.charged)}</td>
                ) : null}
                <td className="num">{formatInt(s.unused)}</td>
                <td className="bar-col">
                  <span className="mini-bar">
                    <span
                      className={`section-${s.section}`}
                      style={{
                        width: `${share === 0 ? (paid(s) > 0 ? 100 : 0) : Math.min(100, (paid(s) / share) * 100)}%`,
                      }}
                    />
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
            {charged ? <td className="num">—</td> : null}
            <td className="num">—</td>
            <td />
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** What a section's share paid: its charge when the plan says, else the tokens rendered in it. */
function paid(s: { used: number; charged?: number | null | undefined }): number {
  return s.charged ?? s.used;
}

function spillFrom(
  from: Readonly<Partial<Record<Section, number>>> | null | undefined,
): string | undefined {
  if (from == null) return undefined;
  return Object.entries(from)
    .map(([section, tokens]) => `${sectionTitle(section as Section)} ${formatInt(tokens ?? 0)}`)
    .join(', ');
}
