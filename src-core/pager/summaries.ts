import type { BlockId } from '../base/index';
import type { BlockRecord } from '../store/index';
import { charge, commit } from './charging';
import type { Candidate, PageContext } from './page-context';
import type { FillSection } from './sections';
import { unitFor } from './units';

/**
 * Summary substitution: a selected or fitting summary `derived-from` a block that did not fit
 * replaces it (newest summary first). True when the block was omitted as `replaced-by-summary`.
 */
export function substituteSummary(
  ctx: PageContext,
  c: Candidate,
  section: FillSection,
  extra: number,
): boolean {
  if (!ctx.policy.pager.summarySubstitution) return false;
  const incoming = ctx.edges.in(c.id);
  if (incoming.length === 0) return false;
  const summaries = incoming
    .filter((e) => e.kind === 'derived-from')
    .map((e) => ctx.recordOf(e.id))
    .filter((r): r is BlockRecord => r !== undefined && r.kind === 'summary')
    .sort((a, b) => (a.id < b.id ? 1 : -1));
  for (const s of summaries) {
    if (ctx.selected.has(s.id)) {
      replaced(ctx, c, section, extra, s.id);
      return true;
    }
  }
  for (const s of summaries) {
    const unit = unitFor(ctx, s, 'summary-substitute');
    if (
      typeof unit === 'string' ||
      charge(ctx, unit.members, undefined, unit.cost) > ctx.left(section, extra) ||
      ctx.corruptMember(unit.members) !== undefined
    )
      continue;
    const root = unit.members[0];
    if (root !== undefined) unit.members[0] = { ...root, via: c.id };
    commit(ctx, unit.members, section);
    replaced(ctx, c, section, extra, s.id);
    return true;
  }
  return false;
}

/** Omits a block as replaced by a summary (with what its section has left now). */
function replaced(
  ctx: PageContext,
  c: Candidate,
  section: FillSection,
  extra: number,
  summary: BlockId,
): void {
  ctx.omit(
    c,
    section,
    'replaced-by-summary',
    ctx.costs.cost(c.record),
    ctx.left(section, extra),
    summary,
  );
}
