import { describe, expect, it } from 'vitest';
import type { CallFactsView } from '../../src-main/api/contract';
import {
  compareOrder,
  formatLatency,
  formatUsd,
  parsePicks,
  togglePick,
  turnTotals,
} from './turn-facts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

function facts(partial: Partial<CallFactsView>): CallFactsView {
  return {
    output: null,
    outputChars: 0,
    latencyMs: null,
    runtimeMs: null,
    usage: null,
    cost: null,
    ...partial,
  };
}

describe('turn facts', () => {
  it('formats cost with enough digits to tell small calls apart', () => {
    expect(formatUsd(0.0055)).toBe('$0.0055');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0.00001)).toBe('<$0.0001');
    expect(formatUsd(0)).toBe('$0');
  });

  it('formats latency in ms, seconds or minutes', () => {
    expect(formatLatency(850)).toBe('850 ms');
    expect(formatLatency(1234)).toBe('1.2 s');
    expect(formatLatency(125_000)).toBe('2 min 5 s');
  });

  it('sums a user turn’s known costs, latencies and output tokens, and says null when none is known', () => {
    const known = {
      [A]: facts({
        latencyMs: 100,
        usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: null },
        cost: {
          usd: 0.5,
          inputUsd: 0.4,
          outputUsd: 0.1,
          basis: 'usage',
          prices: { input: 1, output: 2 },
        },
      }),
      [B]: facts({ latencyMs: 50 }),
    };
    expect(turnTotals([A, B, C], known)).toEqual({
      usd: 0.5,
      estimated: false,
      latencyMs: 150,
      outputTokens: 5,
    });
    expect(turnTotals([C], known)).toEqual({
      usd: null,
      estimated: false,
      latencyMs: null,
      outputTokens: null,
    });
    const guessed = {
      [A]: facts({
        cost: {
          usd: 0.2,
          inputUsd: 0.2,
          outputUsd: null,
          basis: 'prompt',
          prices: { input: 1, output: 2 },
        },
      }),
    };
    expect(turnTotals([A], guessed).estimated).toBe(true);
  });

  it('keeps at most two picks, dropping the oldest, and compares the earlier call as a', () => {
    expect(togglePick([A, B], C)).toEqual([B, C]);
    expect(togglePick([A, B], A)).toEqual([B]);
    expect(parsePicks(`${A},nope,${B},${C}`)).toEqual([A, B]);
    expect(compareOrder([B, A])).toEqual({ a: A, b: B });
    expect(compareOrder([A])).toBeUndefined();
  });
});
