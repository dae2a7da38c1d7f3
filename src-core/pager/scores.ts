import type { BlockId } from '../base/index';
import type { ScoredId } from '../retrievers/index';
import type { RetrieverScore } from './plan';

/** One retriever's output with its weight, as the pager received it. */
export interface RetrieverOutput {
  readonly name: string;
  readonly weight: number;
  readonly results: readonly ScoredId[];
}

/** A candidate after merging: its fused relevance (before priority) and every retriever's view. */
export interface MergedScore {
  readonly id: BlockId;
  /** max over retrievers of weight x normalised score. */
  readonly fused: number;
  readonly retrievers: Record<string, RetrieverScore>;
}

/**
 * Normalises each retriever's raw scores to [0, 1] by dividing by its largest (negative raw scores
 * count as 0), so no retriever can crowd out the others by the scale of its scores; multiplies by
 * the retriever's weight and merges by the maximum per block, keeping every contribution and rank.
 * Output order: by id, for determinism.
 */
export function mergeScores(outputs: readonly RetrieverOutput[]): Map<BlockId, MergedScore> {
  const merged = mergeUnordered(outputs);
  const out = new Map<BlockId, MergedScore>();
  for (const id of [...merged.keys()].sort()) {
    const e = merged.get(id);
    if (e !== undefined) out.set(id, e);
  }
  return out;
}

/**
 * {@link mergeScores} in first-seen order (the pager's order-independent fill needs no sort).
 * @internal
 */
export function mergeUnordered(outputs: readonly RetrieverOutput[]): Map<BlockId, MergedScore> {
  const merged = new Map<BlockId, { id: BlockId; fused: number; retrievers: Record<string, RetrieverScore> }>();
  for (const output of outputs) {
    let max = 0;
    for (const r of output.results) if (r.score > max) max = r.score;
    const ranked = rankOrder(output.results);
    for (let i = 0; i < ranked.length; i++) {
      const r = ranked[i] as ScoredId;
      const normalized = max > 0 && Number.isFinite(r.score) ? Math.max(0, r.score) / max : 0;
      let entry = merged.get(r.id);
      if (entry === undefined) {
        entry = { id: r.id, fused: 0, retrievers: {} };
        merged.set(r.id, entry);
      }
      entry.retrievers[output.name] = { raw: r.score, normalized, rank: i + 1 };
      entry.fused = Math.max(entry.fused, output.weight * normalized);
    }
  }
  return merged;
}

// Comparators answer -1, 0 or 1: a fractional difference would allocate a heap number per comparison.
const byScoreThenId = (a: ScoredId, b: ScoredId) => (a.score > b.score ? -1 : a.score < b.score ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
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
    if (!Number.isFinite(s) || (i > 0 && s > (results[i - 1] as ScoredId).score)) return [...results].sort(byScoreThenId);
  }
  let out: ScoredId[] | undefined;
  for (let i = 0; i < n; ) {
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
