import type { Section } from '../base/index';
import { sectionQueue, sectionsOf } from './candidates';
import { charge, chargeAlone, commit } from './charging';
import { ConversationWindow } from './conversation-window';
import { CandidateState, type Candidate, type PageContext } from './page-context';
import type { OmitReason } from './plan';
import {
  FILL_SECTIONS,
  FIRST_PASS,
  SEED_SPILL_ORDER,
  SPILL_ORDER,
  type FillSection,
} from './sections';
import { substituteSummary } from './summaries';
import { reasonFor } from './to-plan';
import { unitFor } from './units';

/** Splits what the fixed charges left of the budget across the sections by their fractions. */
export function allocate(ctx: PageContext, budget: number, fixed: number): void {
  const rest = budget - fixed;
  ctx.fixedCharged = fixed;
  ctx.budget = budget;
  for (const s of FILL_SECTIONS)
    ctx.allocated.set(s, Math.floor(rest * ctx.policy.sectionBudgets[s]));
}

/**
 * Fills the sections: the conversation window first, then each section by score per token; with
 * `spill`, unused budget flows on in `SPILL_ORDER`. Every candidate ends selected or omitted with
 * its reason. Returns the conversation window.
 */
export function fill(ctx: PageContext, session: string): ConversationWindow {
  const candidates = ctx.candidates;
  const window = new ConversationWindow(ctx, session);
  const pending = new Map<FillSection, Candidate[]>();
  let bySection: Map<Section, Candidate[]> | undefined;
  for (const s of FIRST_PASS) {
    if (s === 'recent') {
      window.fill(candidates, 0);
      continue;
    }
    // After the window's first fill, a candidate's section no longer changes: sort them once.
    bySection ??= sectionsOf(ctx);
    const queue = sectionQueue(bySection.get(s) ?? []);
    pending.set(s, fillSection(ctx, s, queue, 0));
  }
  if (ctx.policy.pager.spill) spillUnused(ctx, window, pending);
  // Newest messages that another section took on their score belong to the conversation: at a
  // tight budget the window can stop before the question just asked, which Retrieved then took.
  if (ctx.fusion === 'relevance') window.adoptSelected();
  // Whatever is still waiting did not fit.
  const spillReason: OmitReason = ctx.policy.pager.spill ? 'global-budget' : 'section-budget';
  for (const [s, queue] of pending) for (const c of queue) omitFit(ctx, c, s, spillReason);
  window.finish(candidates, spillReason);
  for (const c of candidates.values())
    if (c.state === CandidateState.Open)
      ctx.omit(c, ctx.sectionOf(c.record), 'low-score', c.cost, 0, undefined);
  return window;
}

/**
 * The spill pass: what each section left unused, handed out in order to the sections that still
 * have candidates waiting (recorded per section in `spill` and `spillFrom`).
 */
function spillUnused(
  ctx: PageContext,
  window: ConversationWindow,
  pending: Map<FillSection, Candidate[]>,
): void {
  const unused = new Map<FillSection, number>(
    FILL_SECTIONS.map((s) => [
      s,
      Math.max(0, (ctx.allocated.get(s) ?? 0) - (ctx.used.get(s) ?? 0)),
    ]),
  );
  let spare = [...unused.values()].reduce((a, b) => a + b, 0);
  for (const s of ctx.fusion === 'max' ? SEED_SPILL_ORDER : SPILL_ORDER) {
    if (spare <= 0) break;
    const before = ctx.used.get(s) ?? 0;
    const extra = spare + (ctx.used.get(s) ?? 0) - (ctx.allocated.get(s) ?? 0);
    if (extra <= 0) continue;
    if (s === 'recent') window.fill(ctx.candidates, extra);
    else pending.set(s, fillSection(ctx, s, pending.get(s) ?? [], extra));
    const took = Math.max(0, (ctx.used.get(s) ?? 0) - Math.max(before, ctx.allocated.get(s) ?? 0));
    ctx.spill.set(s, took);
    spare -= (ctx.used.get(s) ?? 0) - before;
    unused.set(s, Math.max(0, (unused.get(s) ?? 0) - ((ctx.used.get(s) ?? 0) - before - took)));
    let owed = took;
    for (const d of FILL_SECTIONS) {
      if (owed <= 0) break;
      const give = d === s ? 0 : Math.min(owed, unused.get(d) ?? 0);
      if (give <= 0) continue;
      unused.set(d, (unused.get(d) ?? 0) - give);
      owed -= give;
      const from = ctx.spillFrom.get(s) ?? {};
      from[d] = give;
      ctx.spillFrom.set(s, from);
    }
  }
}

/** Fills a section from its queue; returns the candidates that did not fit, in order. */
function fillSection(
  ctx: PageContext,
  section: FillSection,
  queue: readonly Candidate[],
  extra: number,
): Candidate[] {
  const waiting: Candidate[] = [];
  for (const c of queue) {
    if (c.state === CandidateState.Selected) continue;
    const r = tryTake(ctx, c, section, extra);
    if (r === 'no-room') waiting.push(c);
  }
  return waiting;
}

/**
 * Tries a candidate, with the blocks it travels with, against a section's budget plus `extra`;
 * on failure tries a summary that covers it. A block that travels alone builds no unit.
 */
function tryTake(
  ctx: PageContext,
  c: Candidate,
  section: FillSection,
  extra: number,
): 'taken' | 'skipped' | 'no-room' {
  if (c.state === CandidateState.Selected) return 'taken';
  const left = ctx.left(section, extra);
  const dupOf = ctx.hashes.get(c.record.hash);
  if (dupOf !== undefined && dupOf !== c.id) {
    ctx.omit(c, section, 'duplicate', c.cost, left, dupOf);
    return 'skipped';
  }
  const unit = c.alone ? undefined : unitFor(ctx, c.record, reasonFor(c));
  if (typeof unit === 'string') {
    // 'pair-incomplete' (the block's own text, 'duplicate', was tested above).
    ctx.omit(c, section, unit, c.cost, left, undefined);
    return 'skipped';
  }
  const needed = unit === undefined ? c.cost : unit.cost;
  const near = ctx.near.find(c.record, ctx.selected);
  if (near !== undefined) {
    ctx.omit(c, section, 'duplicate', needed, left, near);
    return 'skipped';
  }
  const tokens =
    unit === undefined
      ? chargeAlone(ctx, c, section)
      : charge(ctx, unit.members, undefined, needed);
  if (tokens > left) return substituteSummary(ctx, c, section, extra) ? 'skipped' : 'no-room';
  if (
    unit === undefined
      ? ctx.store.knownCorrupt(c.record.hash)
      : ctx.corruptMember(unit.members) !== undefined
  ) {
    ctx.omit(c, section, 'body-corrupt', needed, left, undefined);
    return 'skipped';
  }
  if (unit === undefined)
    commit(ctx, [{ id: c.id, record: c.record, reason: reasonFor(c), via: undefined }], section, c);
  else commit(ctx, unit.members, section);
  return 'taken';
}

/** Records a candidate that did not fit, with what it needed and what was left. */
function omitFit(ctx: PageContext, c: Candidate, section: FillSection, reason: OmitReason): void {
  if (c.state === CandidateState.Selected) return;
  let needed = c.cost;
  if (!c.alone) {
    const unit = unitFor(ctx, c.record, 'relevance');
    if (typeof unit !== 'string') needed = unit.cost;
  }
  ctx.omit(
    c,
    section,
    reason,
    needed,
    Math.max(0, ctx.left(section, ctx.spill.get(section) ?? 0)),
    ctx.lastTaken.get(section),
  );
}
