import type { BlockId } from '../base/index';
import type { BlockRecord } from '../store/index';
import { candidateOf } from './candidates';
import { charge, chargeJoin, commit, joinCost, moveToConversation } from './charging';
import type { Candidate, PageContext, WindowView } from './page-context';
import type { OmitReason } from './plan';
import { MESSAGE_KINDS } from './sections';
import { substituteSummary } from './summaries';
import { unitFor } from './units';

/**
 * The Recent section: the session's newest messages, newest first, with no holes. It stops at the
 * first message that does not fit (a repeated body or an unanswered tool call is skipped, since it
 * cannot be shown); older messages can still be selected for relevance, rendered in Retrieved.
 */
export class ConversationWindow implements WindowView {
  private readonly members = new Set<BlockId>();
  private cursor: number;
  private readonly ids: readonly BlockId[];
  private readonly records: readonly BlockRecord[];
  private stopped = false;
  private stopAt: { id: BlockId; needed: number; left: number } | undefined;

  constructor(
    private readonly ctx: PageContext,
    session: string,
  ) {
    const pool = ctx.catalog.pool([session]);
    this.ids = pool.ids;
    this.records = pool.records;
    this.cursor = this.ids.length - 1;
    ctx.window = this;
  }

  covers(id: BlockId): boolean {
    return this.members.has(id);
  }

  /** True when the session had no blocks at all for this call. */
  isEmpty(): boolean {
    return this.ids.length === 0;
  }

  /** Takes messages from where the window stopped, newest first, within Recent's budget plus `extra`. */
  fill(candidates: Map<BlockId, Candidate>, extra: number): void {
    const ctx = this.ctx;
    if (this.stopped && this.stopAt === undefined) return;
    this.stopped = false;
    for (; this.cursor >= 0; this.cursor--) {
      const id = this.ids[this.cursor];
      if (id === undefined) break;
      if (!ctx.visible(id)) continue;
      const record = this.records[this.cursor];
      if (record === undefined || !MESSAGE_KINDS.has(record.kind)) continue;
      if (ctx.selected.has(id)) {
        // Selected earlier (required, or pulled in as a dependency): it joins the conversation.
        if (!this.join(id, ctx.left('recent', extra))) {
          this.stopped = true;
          this.stopAt = undefined;
          return;
        }
        continue;
      }
      const c = candidates.get(id) ?? candidateOf(ctx, record, undefined);
      const unit = unitFor(ctx, record, 'recency');
      if (unit === 'duplicate' || unit === 'pair-incomplete') {
        candidates.set(id, c);
        ctx.omit(
          c,
          'recent',
          unit,
          ctx.costs.cost(record),
          ctx.left('recent', extra),
          unit === 'duplicate' ? ctx.hashes.get(record.hash) : undefined,
        );
        continue;
      }
      const tokens = charge(ctx, unit.members, id, unit.cost);
      if (tokens > ctx.left('recent', extra)) {
        this.stopAt = { id, needed: tokens, left: ctx.left('recent', extra) };
        this.stopped = true;
        return;
      }
      if (ctx.corruptMember(unit.members) !== undefined) {
        // Never sent to a model; the conversation goes on past it, as past a repeated body.
        candidates.set(id, c);
        ctx.omit(c, 'recent', 'body-corrupt', unit.cost, ctx.left('recent', extra), undefined);
        continue;
      }
      candidates.set(id, c);
      this.members.add(id);
      commit(ctx, unit.members, 'recent');
    }
    this.stopped = true;
    this.stopAt = undefined;
  }

  /**
   * Extends the window over the messages at its edge that are already selected (no new tokens:
   * they move into the conversation), stopping at the first that is not.
   */
  adoptSelected(): void {
    const ctx = this.ctx;
    for (; this.cursor >= 0; this.cursor--) {
      const id = this.ids[this.cursor];
      if (id === undefined) break;
      const record = this.records[this.cursor];
      if (!ctx.visible(id) || record === undefined || !MESSAGE_KINDS.has(record.kind)) continue;
      if (!ctx.selected.has(id)) return;
      if (!this.join(id, ctx.globalLeft())) return;
      if (this.stopAt?.id === id) this.stopAt = undefined;
    }
  }

  /**
   * Moves a selected message into the conversation, charging Recent what it opens ({@link
   * joinCost}); false, and nothing moved, when that is more than `room`.
   */
  private join(id: BlockId, room: number): boolean {
    const tokens = joinCost(this.ctx);
    if (tokens > 0 && tokens > room) return false;
    chargeJoin(this.ctx, 'recent', tokens);
    this.members.add(id);
    moveToConversation(this.ctx, id);
    return true;
  }

  /** After all passes: the message the window stopped at is omitted, or replaced by a summary. */
  finish(candidates: Map<BlockId, Candidate>, reason: OmitReason): void {
    const stop = this.stopAt;
    if (stop === undefined) return;
    const ctx = this.ctx;
    const record = ctx.catalog.record(stop.id);
    if (record === undefined || ctx.selected.has(stop.id)) return;
    const c = candidates.get(stop.id) ?? candidateOf(ctx, record, undefined);
    candidates.set(stop.id, c);
    if (!substituteSummary(ctx, c, 'recent', ctx.spill.get('recent') ?? 0)) {
      ctx.omit(
        c,
        'recent',
        reason,
        stop.needed,
        Math.max(0, stop.left),
        ctx.lastTaken.get('recent'),
      );
    }
  }
}
