// The Turns view's readings of a session's recorded calls: which user turn each call serves, which
// call first saw a block, and what a call cost. Pure functions over ids and numbers; the handlers
// in ./handlers-turns.ts read the store.
import type { CallCostView } from '../contract/contract-turns';
import type { ModelPrices, Usage } from '../../runtime';

/** A call as grouping needs it: its id and watermark (the newest block id it could see). */
export interface WatermarkedCall {
  readonly callId: string;
  readonly watermark: string | null | undefined;
}

/**
 * Groups calls (oldest first) by the user message each serves: the session's newest user message
 * at or below the call's watermark. Calls before the first user message (or with no watermark)
 * form a group keyed `null`. Groups keep the calls' order; each user message appears once.
 */
export function groupByUserTurn(
  calls: readonly WatermarkedCall[],
  userMessageIds: readonly string[],
): { readonly message: string | null; readonly calls: string[] }[] {
  // Ids from the session index come sorted; sort only when they do not.
  const sorted = userMessageIds.every((id, i) => i === 0 || (userMessageIds[i - 1] as string) <= id)
    ? userMessageIds
    : [...userMessageIds].sort();
  const groups: { message: string | null; calls: string[] }[] = [];
  for (const call of calls) {
    const message =
      call.watermark === null || call.watermark === undefined
        ? null
        : (sorted[lastAtOrBelow(sorted, call.watermark)] ?? null);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.message === message) last.calls.push(call.callId);
    else groups.push({ message, calls: [call.callId] });
  }
  return groups;
}

/**
 * The call that first saw a block: the oldest call whose watermark is at or above the block's id;
 * for a block written after every call (the last call's reducer made it), the last call. Calls
 * oldest first; undefined when there is none.
 */
export function firstCallSeeing(
  calls: readonly WatermarkedCall[],
  blockId: string,
): string | undefined {
  for (const call of calls) {
    if (call.watermark !== null && call.watermark !== undefined && call.watermark >= blockId)
      return call.callId;
  }
  return calls[calls.length - 1]?.callId;
}

/**
 * A call's cost at list prices: the provider's reported input and output tokens when usage was
 * recorded, else the prompt's counted tokens (basis `prompt`, output unknown). Cached input is
 * charged at the input price (no discount is assumed).
 */
export function callCost(
  prices: ModelPrices | undefined,
  usage: Usage | undefined,
  promptTokens: number,
): CallCostView | null {
  if (prices === undefined) return null;
  const perToken = (n: number, price: number) => (n * price) / 1_000_000;
  if (usage?.inputTokens !== undefined) {
    const inputUsd = perToken(usage.inputTokens, prices.input);
    const outputUsd =
      usage.outputTokens === undefined ? null : perToken(usage.outputTokens, prices.output);
    return { usd: inputUsd + (outputUsd ?? 0), inputUsd, outputUsd, basis: 'usage', prices };
  }
  const inputUsd = perToken(promptTokens, prices.input);
  return { usd: inputUsd, inputUsd, outputUsd: null, basis: 'prompt', prices };
}

/** Index of the last element <= `id` in a sorted list, or -1. */
function lastAtOrBelow(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
