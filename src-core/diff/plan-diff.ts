import { SECTIONS, type BlockId, type BlockKind, type Section } from '../base/index';
import type { OmitReason, Plan, RetrieverScore, SelectedBlock, SelectReason } from '../pager/index';
import { removalCause, type RemovalCause } from './removal-cause';

/** A block selected in the after plan but not in the before plan. */
export interface AddedBlock {
  readonly id: BlockId;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly tokens: number;
  readonly reason: SelectReason;
  /** Fused score in the after plan. */
  readonly score: number;
}

/** A block selected in the before plan but not in the after plan, with why. */
export interface RemovedBlock {
  readonly id: BlockId;
  readonly kind: BlockKind;
  /** Its section in the before plan. */
  readonly section: Section;
  /** Its tokens in the before plan. */
  readonly tokens: number;
  /** The most specific explanation; see README for the precedence. */
  readonly cause: RemovalCause;
  /** The block that took its place: the displacer, the duplicate, or the summary that replaced it. */
  readonly displacedBy?: BlockId | undefined;
  /** Why the after plan omitted it, or `null` when it was not even a candidate there. */
  readonly omitReason: OmitReason | null;
  readonly scoreBefore: number;
  /** Fused score in the after plan, or `null` when it was not a candidate there. */
  readonly scoreAfter: number | null;
  /** One sentence for people, e.g. `displaced by 0190... in retrieved (needed 40 tokens, 12 left)`. */
  readonly detail: string;
}

/** Where a block selected in both plans sits, and why. */
export interface Placement {
  readonly section: Section;
  readonly reason: SelectReason;
  readonly tokens: number;
}

/** A block selected in both plans with a different reason or section. */
export interface ChangedBlock {
  readonly id: BlockId;
  readonly kind: BlockKind;
  readonly before: Placement;
  readonly after: Placement;
}

/** Used tokens of one section in both plans. */
export interface SectionDelta {
  readonly section: Section;
  readonly before: number;
  readonly after: number;
  /** `after - before`. */
  readonly delta: number;
}

/** One retriever's view of one block, where it differs between the plans (`null`: that plan had no score from it). */
export interface RetrieverChange {
  readonly id: BlockId;
  readonly retriever: string;
  readonly before: RetrieverScore | null;
  readonly after: RetrieverScore | null;
}

/** What changed from plan `a` (before, usually the recording) to plan `b` (after). Plain data: JSON-safe. */
export interface PlanDiff {
  /** `+A -R ~C (+T tokens)`: added, removed, changed counts and the signed token delta. */
  readonly summary: string;
  /** In the after plan's rendering order. */
  readonly added: readonly AddedBlock[];
  /** In the before plan's rendering order. */
  readonly removed: readonly RemovedBlock[];
  /** In the before plan's rendering order. */
  readonly changed: readonly ChangedBlock[];
  /** `b.budget.used - a.budget.used`. */
  readonly tokenDelta: number;
  /** Input budgets of both plans. */
  readonly budget: { readonly before: number; readonly after: number };
  /** Every section, in rendering order, with the tokens its selected blocks use. */
  readonly sections: readonly SectionDelta[];
  /**
   * For blocks selected in either plan and scored in both (selected or omitted), each retriever
   * whose raw score, normalised score or rank differs. Sorted by id, then retriever.
   */
  readonly retrievers: readonly RetrieverChange[];
}

/** Options of {@link diffPlans}. */
export interface DiffPlansOptions {
  /**
   * Whether a block exists now. Without it, a removed block that the after plan never considered
   * counts as deleted; with it, such a block counts as deleted only when it is gone.
   */
  readonly exists?: ((id: BlockId) => boolean) | undefined;
}

/**
 * Compares two plans: `a` before (the recording), `b` after (a replay, what-if or later call).
 *
 * Added and removed compare the selected sets; each removal gets the most specific cause (see
 * the README for the order). Pure and deterministic; never throws for well-formed plans.
 */
export function diffPlans(a: Plan, b: Plan, options: DiffPlansOptions = {}): PlanDiff {
  const aSel = new Map(a.selected.map((s) => [s.id, s]));
  const bSel = new Map(b.selected.map((s) => [s.id, s]));
  const added: AddedBlock[] = b.selected
    .filter((s) => !aSel.has(s.id))
    .map((s) => ({
      id: s.id,
      kind: s.kind,
      section: s.section,
      tokens: s.tokens,
      reason: s.reason,
      score: s.score,
    }));
  const causes = removalCause(a, b, options.exists);
  const removed: RemovedBlock[] = a.selected
    .filter((s) => !bSel.has(s.id))
    .map((s) => {
      const c = causes(s.id);
      return {
        id: s.id,
        kind: s.kind,
        section: s.section,
        tokens: s.tokens,
        cause: c.cause,
        ...(c.displacedBy === undefined ? {} : { displacedBy: c.displacedBy }),
        omitReason: c.omitReason,
        scoreBefore: c.scoreBefore,
        scoreAfter: c.scoreAfter,
        detail: c.detail,
      };
    });
  const changed: ChangedBlock[] = [];
  for (const s of a.selected) {
    const t = bSel.get(s.id);
    if (t === undefined || (t.section === s.section && t.reason === s.reason)) continue;
    changed.push({ id: s.id, kind: s.kind, before: placement(s), after: placement(t) });
  }
  const tokenDelta = b.budget.used - a.budget.used;
  return {
    summary: `+${added.length} -${removed.length} ~${changed.length} (${tokenDelta >= 0 ? '+' : ''}${tokenDelta} tokens)`,
    added,
    removed,
    changed,
    tokenDelta,
    budget: { before: a.budget.input, after: b.budget.input },
    sections: sectionDeltas(a, b),
    retrievers: retrieverChanges(a, b),
  };
}

function placement(s: SelectedBlock): Placement {
  return { section: s.section, reason: s.reason, tokens: s.tokens };
}

function sectionDeltas(a: Plan, b: Plan): SectionDelta[] {
  const used = (p: Plan, s: Section) => p.sections.find((x) => x.section === s)?.used ?? 0;
  return SECTIONS.map((section) => {
    const before = used(a, section);
    const after = used(b, section);
    return { section, before, after, delta: after - before };
  });
}

function retrieverChanges(a: Plan, b: Plan): RetrieverChange[] {
  const scores = (p: Plan) => {
    const m = new Map<BlockId, Readonly<Record<string, RetrieverScore>>>();
    for (const o of p.omitted) m.set(o.id, o.retrievers);
    for (const s of p.selected) m.set(s.id, s.retrievers);
    return m;
  };
  const sa = scores(a);
  const sb = scores(b);
  const ids = [...new Set([...a.selected.map((s) => s.id), ...b.selected.map((s) => s.id)])].sort();
  const out: RetrieverChange[] = [];
  for (const id of ids) {
    const ra = sa.get(id);
    const rb = sb.get(id);
    if (ra === undefined || rb === undefined) continue;
    // Thousands of ids per diff, each with a few names: no sets or spreads unless the names differ.
    for (const name of retrieverNames(ra, rb)) {
      const before = ra[name] ?? null;
      const after = rb[name] ?? null;
      if (
        before !== null &&
        after !== null &&
        before.raw === after.raw &&
        before.normalized === after.normalized &&
        before.rank === after.rank
      )
        continue;
      out.push({ id, retriever: name, before, after });
    }
  }
  return out;
}

/** The retriever names of two score records, sorted, each once. */
function retrieverNames(
  ra: Readonly<Record<string, RetrieverScore>>,
  rb: Readonly<Record<string, RetrieverScore>>,
): string[] {
  const names = Object.keys(ra);
  for (const name in rb) if (!Object.hasOwn(ra, name)) names.push(name);
  return names.sort();
}
