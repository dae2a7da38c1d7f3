// The budget split of a plan as bar segments: per section its used tokens and its header overhead,
// then the task and framing, then slack, all against the input budget.
import type { PlanView, Section } from '../../src-main/api/contract';

/** What the budget split needs of a plan (a full plan, or a what-if's split). */
export type BudgetPlan = Pick<PlanView, 'model' | 'budget' | 'sections' | 'rendering'>;

export interface BudgetSegment {
  readonly key: string;
  readonly section: Section | 'framing' | 'slack';
  readonly kind: 'used' | 'overhead' | 'framing' | 'slack';
  readonly tokens: number;
  readonly label: string;
}

export interface SectionRow {
  readonly section: Section;
  readonly allocated: number;
  readonly used: number;
  readonly overhead: number;
  readonly spillReceived: number;
  readonly spillFrom?: Readonly<Partial<Record<Section, number>>> | null | undefined;
  /** Tokens its allocation paid (plans made for a rendering). */
  readonly charged?: number | null | undefined;
  /** Allocated plus spill received, less what it paid for (never below 0). */
  readonly unused: number;
}

export function sectionRows(plan: BudgetPlan): SectionRow[] {
  return plan.sections
    .filter((s) => s.section !== 'task')
    .map((s) => ({
      ...s,
      unused: Math.max(0, s.allocated + s.spillReceived - (s.charged ?? s.used)),
    }));
}

export function budgetSegments(plan: BudgetPlan): BudgetSegment[] {
  const segments: BudgetSegment[] = [];
  for (const s of sectionRows(plan)) {
    if (s.used > 0)
      segments.push({
        key: `${s.section}:used`,
        section: s.section,
        kind: 'used',
        tokens: s.used,
        label: `${s.section}: ${s.used} used`,
      });
    if (s.overhead > 0 && s.used > 0)
      segments.push({
        key: `${s.section}:overhead`,
        section: s.section,
        kind: 'overhead',
        tokens: s.overhead,
        label: `${s.section}: ${s.overhead} overhead (header)`,
      });
  }
  // Headers of empty sections are charged too (the pager reserves them); they count as framing.
  const emptyHeaders = sectionRows(plan)
    .filter((s) => s.used === 0)
    .reduce((n, s) => n + s.overhead, 0);
  const framing = plan.budget.overhead + emptyHeaders;
  if (framing > 0)
    segments.push({
      key: 'framing',
      section: 'framing',
      kind: 'framing',
      tokens: framing,
      label: `task and framing: ${framing}`,
    });
  if (plan.budget.slack > 0)
    segments.push({
      key: 'slack',
      section: 'slack',
      kind: 'slack',
      tokens: plan.budget.slack,
      label: `slack: ${plan.budget.slack} never filled`,
    });
  return segments;
}
