import { Llm386Error, parseBlockId, type BlockId, type Section } from '../base/index';
import {
  CHAT_FIXED_OVERHEAD,
  CHAT_MESSAGE_FRAMING,
  CHAT_PRIMING,
  sectionHeader,
  taskSegment,
} from '../packer/format';
import { candidateOf } from './candidates';
import { commit } from './charging';
import type { Candidate, PageContext } from './page-context';
import type { SelectReason } from './plan';
import type { PageRequest } from './request';
import { FILL_SECTIONS } from './sections';
import { unitFor } from './units';

/** What the fixed charges took. */
export interface FixedCharges {
  /** The task segment's tokens. */
  readonly taskTokens: number;
  /** The task and, in chat, its framing and the reply priming (`bound`: the chat fixed overhead). */
  readonly overhead: number;
  /** Under `bound`: every section header, charged up front; empty otherwise. */
  readonly sectionOverhead: Map<Section, number>;
  /** All of it: overhead, section headers, required and System blocks. */
  readonly total: number;
}

/**
 * Charges what every prompt of the call holds: the task and its framing, then the required and
 * System blocks of the pool (`bound`: every section header too; for a rendering, a header and a
 * chat message's framing are charged with their first block). Fails with `budget-exceeded` when
 * they alone do not fit, `block-not-found` or `invalid-input` for a required block that does not
 * exist or cannot be rendered, and `store-corrupt` for one whose bytes no longer match.
 */
export function chargeFixed(
  ctx: PageContext,
  request: PageRequest,
  pool: readonly string[],
  budget: number,
): FixedCharges {
  const { store, catalog, candidates } = ctx;
  const taskTokens = ctx.counter.count(
    taskSegment(
      request.task,
      ctx.policy.includeTimestamps ? new Date(ctx.now).toISOString() : undefined,
    ),
  );
  const overhead =
    ctx.mode === 'bound'
      ? taskTokens + CHAT_FIXED_OVERHEAD
      : ctx.mode === 'chat'
        ? taskTokens + CHAT_MESSAGE_FRAMING + CHAT_PRIMING
        : taskTokens;
  const sectionOverhead = new Map<Section, number>();
  if (ctx.mode === 'bound')
    for (const s of ['system', ...FILL_SECTIONS] as const)
      sectionOverhead.set(s, ctx.counter.count(sectionHeader(s)));
  let fixed = overhead + [...sectionOverhead.values()].reduce((a, b) => a + b, 0);
  const fixedReasons = new Map<BlockId, SelectReason>();
  for (const id of request.required ?? []) fixedReasons.set(parseBlockId(id), 'required');
  for (const s of pool)
    for (const id of store.listIds(s, { kinds: ['system'] }))
      if (ctx.visible(id) && !fixedReasons.has(id)) fixedReasons.set(id, 'system');
  for (const [id, reason] of [...fixedReasons].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const record = catalog.record(id) ?? store.getRecord(id);
    if (record === undefined)
      throw new Llm386Error('block-not-found', `required block ${id} does not exist: check the id`);
    if (!candidates.has(id)) candidates.set(id, candidateOf(ctx, record, undefined));
    if (ctx.selected.has(id)) continue;
    const unit = unitFor(ctx, record, reason);
    if (unit === 'pair-incomplete' || unit === 'duplicate') {
      if (reason === 'required')
        throw new Llm386Error('invalid-input', `required block ${id} cannot be rendered: ${unit}`);
      continue;
    }
    const corrupt = ctx.corruptMember(unit.members);
    if (corrupt !== undefined) {
      if (reason === 'required')
        throw new Llm386Error(
          'store-corrupt',
          `required block ${id} cannot be sent: the stored bytes of ${corrupt} no longer match their hash: run \`llm386 verify\``,
        );
      ctx.omit(candidates.get(id) as Candidate, 'system', 'body-corrupt', unit.cost, 0, undefined);
      continue;
    }
    fixed += commit(ctx, unit.members, 'system');
  }
  if (fixed > budget) {
    throw new Llm386Error(
      'budget-exceeded',
      `the task, required and System blocks need ${fixed} tokens but the input budget is ${budget}: raise --budget, pick a larger model, or require fewer blocks`,
      { details: { needed: fixed, budget } },
    );
  }
  return { taskTokens, overhead, sectionOverhead, total: fixed };
}
