import { lookupSet, type BlockId, type Section } from '../base/index';
import { blockLabel, chatPrefix, toolCallLines } from '../packer/format';
import { blockLine } from '../store/index';
import { exactCount, type ExactCount } from './exact';
import { CandidateState, type Candidate, type PageContext } from './page-context';
import { travelsAlone } from './units';

/** Kinds rendered with a role label (`blockLabel`): their line never starts a segment. */
const LABELLED_KINDS = lookupSet<string>(['user-message', 'assistant-message', 'tool-result']);

/** The rendering still needs `total` tokens, `over` more than the budget, and no block can leave alone. */
export interface Overrun {
  readonly total: number;
  readonly over: number;
}

/**
 * The exact count of the plan's rendering (see exact.ts), within the budget: where o200k joins
 * segments and the count goes over, the lowest-scored lone block is dropped until it fits; when
 * none can leave alone, what is still over (the pager fills again with it kept back).
 */
export function fitExact(
  ctx: PageContext,
  taskTokens: number,
  budget: number,
): ExactCount | Overrun {
  let exact = exactOf(ctx, taskTokens);
  while (exact.total > budget) {
    if (!trimOne(ctx, exact.total - budget))
      return { total: exact.total, over: exact.total - budget };
    exact = exactOf(ctx, taskTokens);
  }
  return exact;
}

/** The exact count of the rendering the current selection packs into (in any order). */
function exactOf(ctx: PageContext, taskTokens: number): ExactCount {
  const ts = ctx.policy.includeTimestamps;
  const costs = ctx.costs;
  return exactCount(ctx.selected.values(), {
    mode: ctx.mode === 'chat' ? 'chat' : 'string',
    counter: ctx.counter,
    stable: ctx.stable,
    taskTokens,
    textTokens: (r) => costs.textCost(r),
    messageTokens: (r) => costs.messageCost(r),
    labelled: (r) => ts || LABELLED_KINDS.has(r.kind),
    textPrefix: (r) => blockLabel(r, ts),
    messagePrefix: (r) => chatPrefix(r, ts, ctx.supportsTools),
    textRender: (r) =>
      blockLabel(r, ts) +
      blockLine(ctx.store.text(r)) +
      (r.toolCalls === undefined ? '' : toolCallLines(r)),
    lineTokens: (r) => costs.lineTokens(r),
    store: ctx.store,
  });
}

/**
 * Drops the lowest-scored block that can leave on its own (taken as text for its score, nothing
 * selected depends on it), omitted as `global-budget`: the last resort when joins made the exact
 * count exceed the budget by `over` tokens. False when no block can leave.
 */
function trimOne(ctx: PageContext, over: number): boolean {
  let victim: { id: BlockId; c: Candidate; section: Section; tokens: number } | undefined;
  for (const [id, s] of ctx.selected) {
    const c = ctx.candidates.get(id);
    if (
      c === undefined ||
      s.placement !== 'text' ||
      s.choice.reason === 'required' ||
      s.choice.reason === 'system' ||
      s.choice.reason === 'summary-substitute'
    )
      continue;
    if (!travelsAlone(ctx, s.choice.record)) continue;
    if (
      ctx.edges
        .in(id)
        .some((e) => (e.kind === 'parent' || e.kind === 'derived-from') && ctx.selected.has(e.id))
    )
      continue;
    if (
      victim === undefined ||
      c.score < victim.c.score ||
      (c.score === victim.c.score && id < victim.id)
    )
      victim = { id, c, section: s.section, tokens: s.tokens };
  }
  if (victim === undefined) return false;
  ctx.selected.delete(victim.id);
  ctx.hashes.delete(victim.c.record.hash);
  victim.c.state = CandidateState.Open;
  ctx.omit(
    victim.c,
    victim.section,
    'global-budget',
    victim.tokens,
    Math.max(0, victim.tokens - over),
    undefined,
  );
  return true;
}
