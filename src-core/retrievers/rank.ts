import type { BlockId } from '../base/index';
import type { ScoredId } from './retriever';

/**
 * The order of every retriever's output: higher score first, ties broken by the newer (larger) id.
 * Newer-first matches the pager's own tie rule, so equal scores never depend on insertion history.
 */
export function compareScored(a: ScoredId, b: ScoredId): number {
  // -1, 0 or 1: a fractional difference would allocate a heap number on every comparison.
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** True when `a` ranks strictly below `b` in {@link compareScored} order. */
function worse(aScore: number, aId: string, bScore: number, bId: string): boolean {
  return aScore < bScore || (aScore === bScore && aId < bId);
}

/**
 * Keeps the best `limit` candidates seen, in O(n log limit): a bounded min-heap whose root is the
 * worst kept candidate. `push` is cheap when the candidate cannot make the cut.
 */
export class TopK {
  private readonly ids: BlockId[] = [];
  private readonly scores: number[] = [];
  readonly limit: number;

  constructor(limit: number) {
    this.limit = Math.max(0, Math.floor(limit));
  }

  /** Offers a candidate. */
  push(id: BlockId, score: number): void {
    const { ids, scores } = this;
    if (this.limit === 0) return;
    if (ids.length < this.limit) {
      ids.push(id);
      scores.push(score);
      this.up(ids.length - 1);
      return;
    }
    if (!worse(scores[0] as number, ids[0] as string, score, id)) return;
    ids[0] = id;
    scores[0] = score;
    this.down(0);
  }

  /** The kept candidates, best first. */
  result(): ScoredId[] {
    const out: ScoredId[] = this.ids.map((id, i) => ({ id, score: this.scores[i] as number }));
    return out.sort(compareScored);
  }

  private up(i: number): void {
    const { ids, scores } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(scores[i] as number, ids[i] as string, scores[p] as number, ids[p] as string))
        break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const { ids, scores } = this;
    const n = ids.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (
        l < n &&
        worse(scores[l] as number, ids[l] as string, scores[m] as number, ids[m] as string)
      )
        m = l;
      if (
        r < n &&
        worse(scores[r] as number, ids[r] as string, scores[m] as number, ids[m] as string)
      )
        m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const { ids, scores } = this;
    const id = ids[a] as BlockId;
    ids[a] = ids[b] as BlockId;
    ids[b] = id;
    const s = scores[a] as number;
    scores[a] = scores[b] as number;
    scores[b] = s;
  }
}

/** Merges per-unit results (a block found in two pool sessions scores the same in both): max per id, best `limit`. */
export function mergeTop(lists: readonly (readonly ScoredId[])[], limit: number): ScoredId[] {
  if (lists.length === 1) return (lists[0] as readonly ScoredId[]).slice(0, limit);
  const best = new Map<BlockId, number>();
  for (const list of lists) {
    for (const { id, score } of list) {
      const prev = best.get(id);
      if (prev === undefined || score > prev) best.set(id, score);
    }
  }
  const top = new TopK(limit);
  for (const [id, score] of best) top.push(id, score);
  return top.result();
}

/** The effective candidate limit: the query's, capped by the retriever's own setting. */
export function effectiveLimit(queryLimit: number, own: number | undefined): number {
  const q = Number.isFinite(queryLimit)
    ? Math.max(0, Math.floor(queryLimit))
    : Number.MAX_SAFE_INTEGER;
  return own === undefined ? q : Math.min(q, own);
}

/**
 * The k-th largest (1-based) of the first `n` values of `a`: a bounded min-heap of the best k,
 * so most values cost one comparison with the heap's root (k is usually far below n).
 */
export function kthLargest(a: Float64Array, n: number, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (size < k) {
      let j = size++;
      heap[j] = v;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if ((heap[p] as number) <= (heap[j] as number)) break;
        const t = heap[p] as number;
        heap[p] = heap[j] as number;
        heap[j] = t;
        j = p;
      }
    } else if (v > (heap[0] as number)) {
      heap[0] = v;
      let j = 0;
      for (;;) {
        const l = 2 * j + 1;
        const r = l + 1;
        let m = j;
        if (l < k && (heap[l] as number) < (heap[m] as number)) m = l;
        if (r < k && (heap[r] as number) < (heap[m] as number)) m = r;
        if (m === j) break;
        const t = heap[m] as number;
        heap[m] = heap[j] as number;
        heap[j] = t;
        j = m;
      }
    }
  }
  return heap[0] as number;
}
