import type { BlockId, Section } from '../base/index';
import { CHAT_MESSAGE_FRAMING, sectionHeader } from '../packer/format';
import type { BlockRecord } from '../store/index';
import { CandidateState, type Candidate, type Choice, type PageContext } from './page-context';
import { callerOf } from './units';

type Placement = 'conversation' | 'text';

/** Where a member of a unit renders; `windowRoot`: a message about to join the conversation window. */
function placeOf(
  ctx: PageContext,
  m: Choice,
  windowRoot: BlockId | undefined,
): { section: Section; placement: Placement; caller: BlockId | undefined } {
  const inWindow = m.id === windowRoot || ctx.window?.covers(m.id) === true;
  const caller = callerOf(ctx, m.record);
  const conversation =
    inWindow ||
    (m.record.kind === 'tool-result' &&
      caller !== undefined &&
      (caller === windowRoot || ctx.window?.covers(caller) === true));
  const section =
    conversation && m.record.kind === 'tool-result'
      ? 'tools'
      : inWindow
        ? 'recent'
        : ctx.sectionOf(m.record);
  return { section, placement: conversation ? 'conversation' : 'text', caller };
}

/** Tokens of a block as placed: its chat message in the conversation, else its cost as text. */
function placedCost(ctx: PageContext, record: BlockRecord, placement: Placement): number {
  return placement === 'conversation' ? ctx.costs.messageCost(record) : ctx.costs.cost(record);
}

/**
 * Tokens a block's placement opens in the rendering: a section header with its first block and,
 * in chat, the framing of the system or context message. `seen` collects what a unit opens.
 */
function opening(
  ctx: PageContext,
  section: Section,
  placement: Placement,
  seen: Set<string> | undefined,
): number {
  if (ctx.mode === 'bound' || (ctx.mode === 'chat' && placement === 'conversation')) return 0;
  const rendered = placement === 'conversation' ? 'recent' : section;
  let cost = 0;
  if (!ctx.open.has(rendered) && seen?.has(rendered) !== true) {
    cost += ctx.counter.count(sectionHeader(rendered));
    seen?.add(rendered);
  }
  if (ctx.mode === 'chat') {
    const message = ctx.stable.has(section) ? 'm:system' : 'm:context';
    if (!ctx.open.has(message) && seen?.has(message) !== true) {
      cost += CHAT_MESSAGE_FRAMING;
      seen?.add(message);
    }
  }
  return cost;
}

/** Tokens a block taken alone as text into `section` is charged: its cost and what it opens. */
export function chargeAlone(ctx: PageContext, c: Candidate, section: Section): number {
  return ctx.mode === 'bound' ? c.cost : c.cost + opening(ctx, section, 'text', undefined);
}

/** Tokens a unit is charged as it would be placed (`windowRoot`: the message joining the window). */
export function charge(
  ctx: PageContext,
  members: readonly Choice[],
  windowRoot: BlockId | undefined,
  fallback: number,
): number {
  if (ctx.mode === 'bound') return fallback;
  // Most units are one block (a message of the window): no set of what it opens.
  const seen = members.length === 1 ? undefined : new Set<string>();
  let total = 0;
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as Choice;
    const p = placeOf(ctx, m, windowRoot);
    total += placedCost(ctx, m.record, p.placement) + opening(ctx, p.section, p.placement, seen);
  }
  return total;
}

/**
 * Tokens a selected message adds when it joins the conversation: in `string`, the Recent header
 * if nothing rendered there yet; in `chat` nothing (it was charged at least its message).
 */
export function joinCost(ctx: PageContext): number {
  return ctx.mode === 'string' && !ctx.open.has('recent')
    ? ctx.counter.count(sectionHeader('recent'))
    : 0;
}

/** Charges {@link joinCost} to a section. */
export function chargeJoin(ctx: PageContext, section: Section, tokens: number): void {
  if (tokens === 0) return;
  ctx.open.add('recent');
  ctx.used.set(section, (ctx.used.get(section) ?? 0) + tokens);
}

/**
 * Selects a unit and charges it to `chargedTo`; returns the tokens charged. `lone`: the candidate
 * of a one-block unit, whose cost as text is known (no second cost lookup, no candidate lookup).
 */
export function commit(
  ctx: PageContext,
  members: readonly Choice[],
  chargedTo: Section,
  lone?: Candidate,
): number {
  let total = 0;
  for (const m of members) {
    const { section, placement, caller } = placeOf(ctx, m, undefined);
    const tokens =
      lone !== undefined && (placement === 'text' || ctx.costs.mode !== 'chat')
        ? lone.cost // its text cost, which is its message cost too outside `chat`
        : placedCost(ctx, m.record, placement);
    total += tokens;
    if (ctx.mode !== 'bound') total += opening(ctx, section, placement, ctx.open);
    ctx.selected.set(m.id, { choice: m, section, tokens, placement, caller });
    if (caller !== undefined) {
      const list = ctx.resultsOf.get(caller);
      if (list === undefined) ctx.resultsOf.set(caller, [m.id]);
      else list.push(m.id);
    }
    ctx.hashes.set(m.record.hash, m.id);
    ctx.omitted.delete(m.id);
    const c = lone ?? ctx.candidates.get(m.id);
    if (c !== undefined) c.state = CandidateState.Selected;
  }
  ctx.used.set(chargedTo, (ctx.used.get(chargedTo) ?? 0) + total);
  const root = members[0];
  if (root !== undefined) ctx.lastTaken.set(chargedTo, root.id);
  return total;
}

/** Re-places a selected message (and the tool results it called) into the conversation. */
export function moveToConversation(ctx: PageContext, id: BlockId): void {
  const s = ctx.selected.get(id);
  if (s === undefined) return;
  ctx.selected.set(id, { ...s, section: 'recent', placement: 'conversation' });
  for (const rid of ctx.resultsOf.get(id) ?? []) {
    const r = ctx.selected.get(rid);
    if (r !== undefined)
      ctx.selected.set(rid, { ...r, section: 'tools', placement: 'conversation' });
  }
}
