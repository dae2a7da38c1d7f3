import type { BlockId } from '../base/index';
import type { BlockRecord } from '../store/index';
import type { Choice, PageContext, Unit } from './page-context';
import type { SelectReason } from './plan';

/** The most blocks a unit may hold; a larger closure cannot be shown whole. */
const MAX_UNIT = 64;

/** No tool calls, not a tool result, no dependencies to follow: its unit is itself. */
export function travelsAlone(ctx: PageContext, record: BlockRecord): boolean {
  return (
    record.toolCalls === undefined &&
    record.kind !== 'tool-result' &&
    (!ctx.policy.pager.includeDependencies || ctx.edges.out(record.id).length === 0)
  );
}

/** Tool results answering an assistant message (tool-invocation edges, else matching call ids). */
export function toolResults(ctx: PageContext, record: BlockRecord): BlockId[] | 'missing' {
  const calls = record.toolCalls ?? [];
  if (calls.length === 0) return [];
  const results: BlockId[] = [];
  for (const e of ctx.edges.out(record.id)) if (e.kind === 'tool-invocation') results.push(e.id);
  const answered = new Set(
    results.map((id) => ctx.catalog.record(id)?.toolCallId ?? ctx.store.getRecord(id)?.toolCallId),
  );
  for (const call of calls) if (!answered.has(call.id)) return 'missing';
  return results.sort();
}

/** The assistant message that called a tool result, if any. */
export function callerOf(ctx: PageContext, record: BlockRecord): BlockId | undefined {
  if (record.kind !== 'tool-result') return undefined;
  for (const e of ctx.edges.in(record.id)) {
    if (e.kind !== 'tool-invocation') continue;
    // Only a caller that made this call pairs with it (stores from before add-edge checked
    // pairs may hold others): an unpaired result is never rendered as a tool message.
    const caller = ctx.recordOf(e.id);
    if (caller?.toolCalls?.some((c) => c.id === record.toolCallId) === true) return e.id;
  }
  return undefined;
}

/**
 * A block with everything that must travel with it: its tool-call partners and, with
 * `includeDependencies`, the transitive closure of its `parent` and `derived-from` edges (a
 * summary's `derived-from` edges name what it replaces, so they are not followed). Members
 * already selected, or whose text is already selected, cost nothing.
 */
export function unitFor(
  ctx: PageContext,
  root: BlockRecord,
  reason: SelectReason,
): Unit | 'pair-incomplete' | 'duplicate' {
  const dupOf = ctx.hashes.get(root.hash);
  if (dupOf !== undefined && dupOf !== root.id) return 'duplicate';
  // Most blocks travel alone: no tool calls, not a tool result, no dependencies to follow.
  if (travelsAlone(ctx, root)) {
    return {
      members: [{ id: root.id, record: root, reason, via: undefined }],
      cost: ctx.costs.cost(root),
    };
  }
  const members: Choice[] = [{ id: root.id, record: root, reason, via: undefined }];
  const seen = new Set<BlockId>([root.id]);
  let cost = ctx.costs.cost(root);
  const unitHashes = new Set<string>([root.hash]);
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    if (m === undefined) break;
    const pulls: { id: BlockId; reason: SelectReason; strict: boolean }[] = [];
    const results = toolResults(ctx, m.record);
    if (results === 'missing') return 'pair-incomplete';
    for (const id of results) pulls.push({ id, reason: 'tool-pair', strict: true });
    const caller = callerOf(ctx, m.record);
    if (caller !== undefined) pulls.push({ id: caller, reason: 'tool-pair', strict: true });
    else if (m.record.kind === 'tool-result') return 'pair-incomplete';
    if (ctx.policy.pager.includeDependencies) {
      for (const e of ctx.edges.out(m.id)) {
        if (e.kind === 'parent' || (e.kind === 'derived-from' && m.record.kind !== 'summary'))
          pulls.push({ id: e.id, reason: 'dependency', strict: false });
      }
    }
    for (const pull of pulls) {
      if (seen.has(pull.id) || ctx.selected.has(pull.id)) continue;
      seen.add(pull.id);
      const record = ctx.recordOf(pull.id);
      if (record === undefined) return 'pair-incomplete';
      const dup =
        ctx.hashes.get(record.hash) ?? (unitHashes.has(record.hash) ? record.id : undefined);
      if (dup !== undefined) {
        // Its text is already in the prompt: a dependency is satisfied, a tool pair is not.
        if (pull.strict) return 'pair-incomplete';
        continue;
      }
      unitHashes.add(record.hash);
      members.push({ id: pull.id, record, reason: pull.reason, via: m.id });
      cost += ctx.costs.cost(record);
      if (members.length > MAX_UNIT) return 'pair-incomplete';
    }
  }
  return { members, cost };
}
