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
  const merged = new Map<BlockId, { fused: number; retrievers: Record<string, RetrieverScore> }>();
  for (const output of outputs) {
    let max = 0;
    for (const r of output.results) if (r.score > max) max = r.score;
    const ranked = [...output.results].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    ranked.forEach((r, i) => {
      const normalized = max > 0 && Number.isFinite(r.score) ? Math.max(0, r.score) / max : 0;
      let entry = merged.get(r.id);
      if (entry === undefined) {
        entry = { fused: 0, retrievers: {} };
        merged.set(r.id, entry);
      }
      entry.retrievers[output.name] = { raw: r.score, normalized, rank: i + 1 };
      entry.fused = Math.max(entry.fused, output.weight * normalized);
    });
  }
  const out = new Map<BlockId, MergedScore>();
  for (const id of [...merged.keys()].sort()) {
    const e = merged.get(id);
    if (e !== undefined) out.set(id, { id, fused: e.fused, retrievers: e.retrievers });
  }
  return out;
}
