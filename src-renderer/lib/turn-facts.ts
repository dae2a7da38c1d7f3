// The Turns view's numbers: cost and latency as people read them, the totals of a user turn, and
// which two picked turns Compare gets (the earlier as `a`).
import type { CallFactsView } from '../../src-main/api/contract';

/** $0.0123 below a cent, $1.23 above: enough digits to tell calls apart. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** 850 ms, 1.2 s, 2 min 5 s. */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Sums over a user turn's calls whose facts are known: cost, latency and output tokens. */
export interface TurnTotals {
  readonly usd: number | null;
  /** True when some call's cost counts only its prompt (no usage recorded): the sum is a lower bound. */
  readonly estimated: boolean;
  readonly latencyMs: number | null;
  readonly outputTokens: number | null;
}

export function turnTotals(
  calls: readonly string[],
  facts: Readonly<Record<string, CallFactsView>>,
): TurnTotals {
  let usd: number | null = null;
  let latencyMs: number | null = null;
  let outputTokens: number | null = null;
  let estimated = false;
  for (const id of calls) {
    const f = facts[id];
    if (f === undefined) continue;
    if (f.cost !== null) usd = (usd ?? 0) + f.cost.usd;
    if (f.cost?.basis === 'prompt') estimated = true;
    if (f.latencyMs !== null) latencyMs = (latencyMs ?? 0) + f.latencyMs;
    if (f.usage?.outputTokens !== null && f.usage?.outputTokens !== undefined)
      outputTokens = (outputTokens ?? 0) + f.usage.outputTokens;
  }
  return { usd, estimated, latencyMs, outputTokens };
}

/** The picked call ids from the URL (`pick=ID,ID`), at most two. */
export function parsePicks(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .filter((id) => /^[0-9a-f]{32}$/.test(id))
    .slice(0, 2);
}

/** Toggles a call in the picks; picking a third drops the oldest pick. */
export function togglePick(picks: readonly string[], id: string): string[] {
  if (picks.includes(id)) return picks.filter((p) => p !== id);
  return [...picks, id].slice(-2);
}

/** Two picks as Compare's `a` (the earlier call) and `b`; call ids sort by recording time. */
export function compareOrder(picks: readonly string[]): { a: string; b: string } | undefined {
  const [x, y] = picks;
  if (x === undefined || y === undefined) return undefined;
  return x < y ? { a: x, b: y } : { a: y, b: x };
}
