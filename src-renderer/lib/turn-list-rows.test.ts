import { describe, expect, it } from 'vitest';
import type { TurnMatchView, TurnSummary, UserTurnView } from '../../src-main/api/contract';
import { turnListRows } from './turn-list-rows';

function turn(callId: string): TurnSummary {
  return {
    callId,
    session: 's',
    createdAt: 0,
    model: 'gpt-4o',
    inputBudget: 1000,
    tokens: 10,
    overhead: 2,
    selected: 1,
    omitted: 0,
    task: `task ${callId}`,
    mode: 'chat',
    promptHash: 'h',
    hasOutput: false,
  };
}

function message(id: string): UserTurnView['message'] {
  return { id, preview: `message ${id}`, createdAt: 0 };
}

const match: TurnMatchView = { callId: 'c4', task: true, output: false, blocks: [] };
const byId = new Map(['c1', 'c2', 'c3', 'c4'].map((id) => [id, turn(id)]));
const groups: UserTurnView[] = [
  { message: null, calls: ['c1'] },
  { message: message('m1'), calls: ['c2', 'c3'] },
  { message: message('m2'), calls: [] },
  { message: message('m3'), calls: ['c4'] },
];

describe('turn list rows', () => {
  it('lists each user turn’s header followed by its calls', () => {
    const rows = turnListRows(groups, byId, undefined);
    expect(rows.map((r) => (r.kind === 'group' ? `#${r.number}` : r.turn.callId))).toEqual([
      '#0',
      'c1',
      '#1',
      'c2',
      'c3',
      '#3',
      'c4',
    ]);
  });

  it('ties each call to its header’s key, and keeps keys unique', () => {
    const rows = turnListRows(groups, byId, undefined);
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    const c3 = rows.find((r) => r.kind === 'call' && r.turn.callId === 'c3');
    expect(c3?.kind === 'call' ? c3.group : undefined).toBe('user-turn:m1');
  });

  it('when searching, keeps matching calls and only the headers with one, numbers unchanged', () => {
    const rows = turnListRows(groups, byId, new Map([['c4', match]]));
    expect(rows).toHaveLength(2);
    const [header] = rows;
    expect(header?.kind === 'group' ? [header.number, header.calls.length] : []).toEqual([3, 1]);
  });

  it('skips calls that are not listed', () => {
    const rows = turnListRows([{ message: message('m1'), calls: ['gone', 'c2'] }], byId, undefined);
    expect(rows.filter((r) => r.kind === 'call')).toHaveLength(1);
  });
});
