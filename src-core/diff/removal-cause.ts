import { lookupSet, type BlockId, type Section } from '../base/index';
import type { OmittedBlock, OmitReason, Plan, SelectedBlock } from '../pager/index';

/**
 * Why a block selected before is not selected after. The most specific applicable cause wins:
 * `block-deleted`, then the after plan's own structural reasons (`duplicate`,
 * `replaced-by-summary`, `pair-incomplete`), then for budget omissions `budget-shrank`, `displaced`,
 * `score-fell`; a block that came in only with another (`via`) takes that block's cause, or
 * `dependency-dropped` when that block stayed.
 */
export type RemovalCause =
  | 'block-deleted'
  | 'duplicate'
  | 'replaced-by-summary'
  | 'pair-incomplete'
  | 'budget-shrank'
  | 'displaced'
  | 'score-fell'
  | 'dependency-dropped'
  | 'body-corrupt';

/** The cause fields of a removed block. */
export interface RemovalExplanation {
  readonly cause: RemovalCause;
  readonly displacedBy?: BlockId | undefined;
  readonly omitReason: OmitReason | null;
  readonly scoreBefore: number;
  readonly scoreAfter: number | null;
  readonly detail: string;
}

const BUDGET_REASONS: ReadonlySet<OmitReason> = lookupSet<OmitReason>([
  'section-budget',
  'global-budget',
]);
const MESSAGE_KINDS = lookupSet<string>(['user-message', 'assistant-message']);

/** Builds the explainer for removals from plan `a` to plan `b` (memoised: pulled-in blocks reuse their carrier's cause). */
export function removalCause(
  a: Plan,
  b: Plan,
  exists: ((id: BlockId) => boolean) | undefined,
): (id: BlockId) => RemovalExplanation {
  const aSel = new Map(a.selected.map((s) => [s.id, s]));
  const bSel = new Set(b.selected.map((s) => s.id));
  const bOmit = new Map(b.omitted.map((o) => [o.id, o]));
  const allocated = (p: Plan, s: Section) =>
    p.sections.find((x) => x.section === s)?.allocated ?? 0;
  // The conversation window of `b` stopped at its newest message omitted from Recent for room;
  // every older message of `a`'s window was cut off with it, candidate or not.
  let windowStop: OmittedBlock | undefined;
  for (const o of b.omitted) {
    if (
      o.section !== 'recent' ||
      !MESSAGE_KINDS.has(o.kind) ||
      !(BUDGET_REASONS.has(o.reason) || o.reason === 'replaced-by-summary')
    )
      continue;
    if (windowStop === undefined || o.id > windowStop.id) windowStop = o;
  }
  const memo = new Map<BlockId, RemovalExplanation>();
  const visiting = new Set<BlockId>();

  function budgetCause(
    s: SelectedBlock,
    o: OmittedBlock | undefined,
    section: Section,
    by: BlockId | undefined,
    how: string,
  ): RemovalExplanation {
    const base = {
      omitReason: o?.reason ?? null,
      scoreBefore: s.score,
      scoreAfter: o?.score ?? null,
      ...(by === undefined ? {} : { displacedBy: by }),
    };
    if (b.budget.input < a.budget.input) {
      return {
        ...base,
        cause: 'budget-shrank',
        detail: `${how}: the input budget shrank from ${a.budget.input} to ${b.budget.input} tokens`,
      };
    }
    if (allocated(b, section) < allocated(a, section)) {
      return {
        ...base,
        cause: 'budget-shrank',
        detail: `${how}: ${section} was allocated ${allocated(b, section)} tokens, down from ${allocated(a, section)}`,
      };
    }
    if (by !== undefined)
      return {
        ...base,
        cause: 'displaced',
        detail: `${how}: displaced by ${by}, which took the last place in ${section}`,
      };
    if (o !== undefined && o.score < s.score)
      return {
        ...base,
        cause: 'score-fell',
        detail: `${how}: its score fell from ${fmt(s.score)} to ${fmt(o.score)}`,
      };
    return {
      ...base,
      cause: 'displaced',
      detail: `${how}: other blocks took the room in ${section}`,
    };
  }

  function explain(id: BlockId): RemovalExplanation {
    const s = aSel.get(id);
    if (s === undefined)
      throw new Error(`invariant violated: ${id} is not selected in the before plan`);
    const o = bOmit.get(id);
    const base = {
      omitReason: o?.reason ?? null,
      scoreBefore: s.score,
      scoreAfter: o?.score ?? null,
    };
    if (exists?.(id) === false)
      return { ...base, cause: 'block-deleted', detail: 'the block no longer exists' };
    if (o !== undefined) {
      const by = o.displacedBy === undefined ? {} : { displacedBy: o.displacedBy };
      switch (o.reason) {
        case 'duplicate':
          return {
            ...base,
            ...by,
            cause: 'duplicate',
            detail: `its text is already in the prompt${o.displacedBy === undefined ? '' : ` as ${o.displacedBy}`}`,
          };
        case 'replaced-by-summary':
          return {
            ...base,
            ...by,
            cause: 'replaced-by-summary',
            detail: `replaced by summary ${o.displacedBy ?? '(unknown)'}`,
          };
        case 'pair-incomplete':
          return {
            ...base,
            cause: 'pair-incomplete',
            detail: 'its tool call and result could not both be shown',
          };
        case 'section-budget':
        case 'global-budget':
          return budgetCause(
            s,
            o,
            o.section,
            o.displacedBy,
            `did not fit (needed ${o.tokensNeeded} tokens, ${o.tokensLeft} left)`,
          );
        case 'body-corrupt':
          return {
            ...base,
            cause: 'body-corrupt',
            detail: 'its stored bytes no longer match their hash: run `llm386 verify`',
          };
        case 'low-score':
          if (cutByWindow(s)) return windowCause(s, o);
          return {
            ...base,
            cause: 'score-fell',
            detail: `its score fell from ${fmt(s.score)} to ${fmt(o.score)}, too low to be tried`,
          };
      }
    }
    // Not a candidate of `b` at all.
    if (s.via !== undefined && aSel.has(s.via) && !visiting.has(s.via)) {
      if (bSel.has(s.via))
        return {
          ...base,
          cause: 'dependency-dropped',
          detail: `it came in with ${s.via} (${s.reason}), which no longer pulls it in`,
        };
      const carrier = cached(s.via);
      return {
        ...base,
        cause: carrier.cause,
        ...(carrier.displacedBy === undefined ? {} : { displacedBy: carrier.displacedBy }),
        detail: `it came in with ${s.via} (${s.reason}), removed because ${carrier.detail}`,
      };
    }
    if (cutByWindow(s)) return windowCause(s, undefined);
    if (exists === undefined)
      return {
        ...base,
        cause: 'block-deleted',
        detail: 'it is absent from the after plan (deleted, or out of the session)',
      };
    return { ...base, cause: 'score-fell', detail: 'no retriever returned it any more' };
  }

  function cutByWindow(s: SelectedBlock): boolean {
    return (
      s.placement === 'conversation' &&
      MESSAGE_KINDS.has(s.kind) &&
      windowStop !== undefined &&
      windowStop.id > s.id
    );
  }

  function windowCause(s: SelectedBlock, o: OmittedBlock | undefined): RemovalExplanation {
    const stop = windowStop as OmittedBlock;
    const by = BUDGET_REASONS.has(stop.reason) ? stop.displacedBy : undefined;
    return budgetCause(
      s,
      o,
      'recent',
      by,
      `the conversation window stopped at the newer ${stop.id}`,
    );
  }

  function cached(id: BlockId): RemovalExplanation {
    let r = memo.get(id);
    if (r === undefined) {
      visiting.add(id);
      r = explain(id);
      visiting.delete(id);
      memo.set(id, r);
    }
    return r;
  }

  return cached;
}

function fmt(n: number): string {
  return Number(n.toFixed(4)).toString();
}
