import type { BlockId, FusionMode as BaseFusionMode } from '../base/index';
import type { RetrieverRole, ScoredId } from '../retrievers/index';
import type { RetrieverScore } from './plan';

/** One retriever's output with its weight, as the pager received it. */
export interface RetrieverOutput {
  readonly name: string;
  readonly weight: number;
  /** How fusion reads it; default `relevance`. */
  readonly role?: RetrieverRole | undefined;
  readonly results: readonly ScoredId[];
}

/**
 * How retrievers' scores become one fused score:
 * - `relevance` (default): relevance terms are summed, recency scales them, inclusion adds its own
 *   term; a retriever whose scores are flat contributes nothing ({@link FUSION_FORMULAS}).
 * - `max`: the seed's rule, each retriever's scores divided by its largest, weighted, maximum per
 *   block; sections fill by score per token. Kept so a user can compare, and for traces recorded
 *   before `relevance` existed (a record without `fusion` replays as `max`).
 */
export type FusionMode = BaseFusionMode;

/** Share of the relevance term a recency score of 1 (with weight 1) adds. */
export const RECENCY_BOOST = 0.25;
/** A retriever whose (top - floor) is at most this share of its top is flat: it says nothing. */
export const FLAT_SPREAD = 0.02;
/**
 * In `relevance` fusion a candidate scoring under this share of the call's best score is not
 * queued for any section (omitted as `low-score`): a marginal match never wins a place by being
 * short, and at large budgets the rest flows on to the conversation window.
 */
export const RELEVANCE_FLOOR = 0.05;

/** The fused score of each mode, in words: what the why panel and `page --json` show. */
export const FUSION_FORMULAS: Readonly<Record<FusionMode, string>> = {
  relevance:
    `fused = max(inclusion) + sum(relevance) x (1 + ${RECENCY_BOOST} x sum(recency)); ` +
    "each term = weight x raw / top, where top is that retriever's largest raw score; " +
    `a relevance retriever that scores every block of the pool within ${FLAT_SPREAD * 100}% of its top, or a recency retriever whose scores are all that close, is flat and adds 0`,
  max: 'fused = max over retrievers of weight x raw / top',
};

/** How one retriever's scores were read in this call. */
export interface FusionScale {
  readonly role: RetrieverRole;
  /** Its largest raw score (negative scores count as 0). */
  readonly top: number;
  /** True when it scored every block of the pool within {@link FLAT_SPREAD} of its top: it added 0. */
  readonly flat: boolean;
}

/** A candidate after merging: its fused relevance (before priority) and every retriever's view. */
export interface MergedScore {
  readonly id: BlockId;
  /** The fused score ({@link FUSION_FORMULAS}). */
  readonly fused: number;
  readonly retrievers: Record<string, RetrieverScore>;
}

/**
 * Merges retrievers' outputs into one fused score per block (see {@link FusionMode}), keeping every
 * retriever's raw score, normalised score, rank and contribution. Output order: by id, for
 * determinism.
 */
export function mergeScores(
  outputs: readonly RetrieverOutput[],
  mode: FusionMode = 'relevance',
  poolSize = Number.POSITIVE_INFINITY,
): Map<BlockId, MergedScore> {
  const { merged } = mergeUnordered(outputs, mode, poolSize);
  const out = new Map<BlockId, MergedScore>();
  for (const id of [...merged.keys()].sort()) {
    const e = merged.get(id);
    if (e !== undefined) out.set(id, e);
  }
  return out;
}

interface Entry {
  id: BlockId;
  fused: number;
  retrievers: Record<string, RetrieverScore>;
  relevance: number;
  recency: number;
  inclusion: number;
}

/**
 * {@link mergeScores} in first-seen order (the pager's order-independent fill needs no sort), with
 * the scale each retriever was read on. `poolSize`: blocks the call could see (a retriever
 * returning that many scored every one).
 * @internal
 */
export function mergeUnordered(
  outputs: readonly RetrieverOutput[],
  mode: FusionMode = 'relevance',
  poolSize = Number.POSITIVE_INFINITY,
): { merged: Map<BlockId, MergedScore>; scales: Map<string, FusionScale> } {
  const merged = new Map<BlockId, Entry>();
  const scales = new Map<string, FusionScale>();
  for (const output of outputs) {
    const role = output.role ?? 'relevance';
    let top = 0;
    let low = Number.POSITIVE_INFINITY;
    for (const r of output.results) {
      const s = Number.isFinite(r.score) ? Math.max(0, r.score) : 0;
      if (s > top) top = s;
      if (s < low) low = s;
    }
    // Scores that are all (nearly) the same over the whole pool rank nothing: such a retriever
    // must not reorder what the others found. Recency is monotone in time, so equal scores up to
    // its limit mean nothing either (a transcript ingested without times). Inclusion scores mean
    // "take this": never flat.
    const whole = output.results.length >= poolSize || role === 'recency';
    const flat =
      mode === 'relevance' && role !== 'inclusion' && whole && top - low <= FLAT_SPREAD * top;
    scales.set(output.name, { role, top, flat });
    const ranked = rankOrder(output.results);
    for (let i = 0; i < ranked.length; i++) {
      const r = ranked[i] as ScoredId;
      const raw = Number.isFinite(r.score) ? Math.max(0, r.score) : 0;
      const normalized = top > 0 ? raw / top : 0;
      const contribution = flat ? 0 : output.weight * normalized;
      let entry = merged.get(r.id);
      if (entry === undefined) {
        entry = { id: r.id, fused: 0, retrievers: {}, relevance: 0, recency: 0, inclusion: 0 };
        merged.set(r.id, entry);
      }
      entry.retrievers[output.name] = { raw: r.score, normalized, rank: i + 1, contribution };
      if (mode === 'max') entry.fused = Math.max(entry.fused, contribution);
      else if (role === 'relevance') entry.relevance += contribution;
      else if (role === 'recency') entry.recency += contribution;
      else entry.inclusion = Math.max(entry.inclusion, contribution);
    }
  }
  if (mode === 'relevance')
    for (const e of merged.values()) e.fused = fuse(e.inclusion, e.relevance, e.recency);
  return { merged, scales };
}

/** The `relevance` fusion of a block's summed terms ({@link FUSION_FORMULAS}). */
export function fuse(inclusion: number, relevance: number, recency: number): number {
  return inclusion + relevance * (1 + RECENCY_BOOST * recency);
}

// Comparators answer -1, 0 or 1: a fractional difference would allocate a heap number per comparison.
const byScoreThenId = (a: ScoredId, b: ScoredId) =>
  a.score > b.score ? -1 : a.score < b.score ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const byId = (a: ScoredId, b: ScoredId) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The results in rank order: higher score first, ties by id ascending. Retrievers already return
 * their results by descending score (ties newer first), so usually only runs of equal scores need
 * re-ordering: linear instead of a sort of the whole list.
 */
function rankOrder(results: readonly ScoredId[]): readonly ScoredId[] {
  const n = results.length;
  for (let i = 0; i < n; i++) {
    const s = (results[i] as ScoredId).score;
    if (!Number.isFinite(s) || (i > 0 && s > (results[i - 1] as ScoredId).score))
      return [...results].sort(byScoreThenId);
  }
  let out: ScoredId[] | undefined;
  for (let i = 0; i < n;) {
    const s = (results[i] as ScoredId).score;
    let j = i + 1;
    while (j < n && (results[j] as ScoredId).score === s) j++;
    if (j - i > 1) {
      out ??= results.slice();
      const run = results.slice(i, j).sort(byId);
      for (let k = 0; k < run.length; k++) out[i + k] = run[k] as ScoredId;
    }
    i = j;
  }
  return out ?? results;
}
