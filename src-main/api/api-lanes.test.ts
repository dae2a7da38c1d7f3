import { describe, expect, it } from 'vitest';
import { laneOf } from './api-lanes';
import { API_METHODS } from './contract';

describe('laneOf', () => {
  it('sends the polled and list methods, and the turns of a block, to the quick lane', () => {
    for (const method of [
      'store.info',
      'store.changes',
      'sessions.list',
      'blocks.list',
      'turns.forBlock',
    ] as const)
      expect(laneOf(method)).toBe('quick');
  });

  it('sends paging, what-if, replay and every method it does not name to the runtime lane', () => {
    for (const method of [
      'plan.page',
      'whatif.run',
      'whatif.replay',
      'turns.get',
      'compare.turns',
      'graph.turn',
      'blocks.get',
    ] as const)
      expect(laneOf(method)).toBe('runtime');
    expect(API_METHODS.filter((m) => laneOf(m) === 'runtime').length).toBeGreaterThan(
      API_METHODS.length / 2,
    );
  });
});
