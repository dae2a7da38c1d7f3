// The Turns table's body rows as one flat list (what its virtualiser counts): each user turn's
// header, then its calls.
import type { TurnMatchView, TurnSummary, UserTurnView } from '../../src-main/api/contract';

/** One body row of the Turns table: a user turn's header or one of its calls. */
export type TurnListRow =
  | {
      readonly kind: 'group';
      /** Stable across renders and searches (the virtualiser keeps measured heights by it). */
      readonly key: string;
      readonly group: UserTurnView;
      /** The user turn's number among the session's user messages; 0 before the first. */
      readonly number: number;
      /** Its calls listed (when searching, those that match). */
      readonly calls: readonly TurnSummary[];
    }
  | {
      readonly kind: 'call';
      readonly key: string;
      readonly turn: TurnSummary;
      /** The key of its user turn's header. */
      readonly group: string;
    };

/**
 * The body rows in order: each user turn with a call listed (and, when searching, matching) as its
 * header, then those calls. A user turn left without calls has no row but keeps its number.
 */
export function turnListRows(
  groups: readonly UserTurnView[],
  byId: ReadonlyMap<string, TurnSummary>,
  matches: ReadonlyMap<string, TurnMatchView> | undefined,
): TurnListRow[] {
  const out: TurnListRow[] = [];
  let number = 0;
  groups.forEach((group, g) => {
    if (group.message !== null) number++;
    const calls = group.calls.flatMap((id) => {
      const turn = byId.get(id);
      return turn === undefined || (matches !== undefined && !matches.has(id)) ? [] : [turn];
    });
    if (calls.length === 0) return;
    const key = `user-turn:${group.message?.id ?? `before-${g}`}`;
    out.push({ kind: 'group', key, group, number: group.message === null ? 0 : number, calls });
    for (const turn of calls) out.push({ kind: 'call', key: turn.callId, turn, group: key });
  });
  return out;
}
