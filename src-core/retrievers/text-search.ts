import { mergeTop } from './rank';
import type { ScoredId } from './retriever';
import type { TextUnit } from './text-index';
import { assert } from '../base/index';

/** BM25 parameters; the defaults follow minisearch's BM25+ except `b`. */
export interface Bm25Params {
  /** Term-frequency saturation; default 1.2. */
  readonly k1: number;
  /** Length normalisation; default 0.75. */
  readonly b: number;
  /** BM25+ lower bound for a matched term (minisearch's `d`); default 0.5. */
  readonly d: number;
}

/** Limits that keep long tasks and common terms cheap. */
export interface QueryPruning {
  /** Most task terms scored, rarest first; default 8. */
  readonly maxTerms: number;
  /** Most postings scanned in total, rarest terms first (at least one term is always kept); default 150,000. */
  readonly maxPostings: number;
  /**
   * Candidate cap: once this many blocks matched, commoner terms only add to their scores and
   * bring in no new blocks (decided per term, rarest first); default 10,000.
   */
  readonly maxCandidates: number;
}

/** Default {@link QueryPruning}. */
export const DEFAULT_PRUNING: QueryPruning = {
  maxTerms: 8,
  maxPostings: 150_000,
  maxCandidates: 10_000,
};

interface TermStat {
  readonly term: number;
  readonly text: string;
  readonly df: number;
  readonly cost: number;
}

/** The pool's statistics for the task's terms, rarest first (ties by term), unknown terms dropped. */
function poolTerms(units: readonly TextUnit[], terms: ArrayLike<number>): TermStat[] {
  const dictionary = (units[0] as TextUnit).dictionary;
  assert(
    units.every((unit) => unit.dictionary === dictionary),
    'the units of a pool share a dictionary',
  );
  const stats: TermStat[] = [];
  for (const term of new Set(Array.from(terms))) {
    let df = 0;
    let cost = 0;
    for (const unit of units) {
      df += unit.docFreq(term);
      // Live postings: removed blocks' postings awaiting compaction must not change which terms
      // are kept, or a replay (or a compaction) would change the result.
      cost += unit.docFreq(term);
    }
    if (df > 0) stats.push({ term, text: dictionary.terms[term] as string, df, cost });
  }
  // Ties by the term's text: term numbers differ between processes.
  return stats.sort((a, b) => a.df - b.df || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

function prune(stats: readonly TermStat[], pruning: QueryPruning): TermStat[] {
  const kept: TermStat[] = [];
  let cost = 0;
  for (const s of stats) {
    if (kept.length >= pruning.maxTerms) break;
    if (kept.length > 0 && cost + s.cost > pruning.maxPostings) break;
    kept.push(s);
    cost += s.cost;
  }
  return kept;
}

/**
 * BM25+ over the units of a pool, scored exactly as minisearch scores a single-field index
 * (`idf * (d + tf (k1 + 1) / (tf + k1 (1 - b + b len / avgLen)))`, summed over matched terms and
 * multiplied by the number of matched query terms), with pool-wide statistics. The task's terms
 * are pruned first (rarest `maxTerms` within `maxPostings`), and past `maxCandidates` matched
 * blocks, commoner terms only add to the blocks already found (see {@link QueryPruning}).
 */
export function bm25Search(
  units: readonly TextUnit[],
  taskTerms: ArrayLike<number>,
  limit: number,
  params: Bm25Params,
  pruning: QueryPruning = DEFAULT_PRUNING,
): ScoredId[] {
  if (limit <= 0 || units.length === 0) return [];
  let n = 0;
  let totalLen = 0;
  for (const unit of units) {
    n += unit.live;
    totalLen += unit.totalLen;
  }
  if (n === 0) return [];
  const kept = prune(poolTerms(units, taskTerms), pruning);
  if (kept.length === 0) return [];
  const avgLen = totalLen / n;
  const terms = kept.map((s) => s.term);
  const idf = kept.map((s) => Math.log(1 + (n - s.df + 0.5) / (s.df + 0.5)));
  const bm25 = { idf, k1: params.k1, b: params.b, d: params.d, avgLen };
  const cap = Math.max(pruning.maxCandidates, limit);
  const lists = units.map((unit) => unit.collect(unit.accumulate(terms, bm25, cap), limit));
  return mergeTop(lists, limit);
}

/**
 * Term overlap: the fraction of the task's distinct terms found in a block. Terms are scanned
 * rarest first within the postings budget and candidate cap of {@link QueryPruning}: the commonest
 * terms past the budget count as absent everywhere, and past the cap they only raise the scores
 * of blocks already found. Both keep a task of common words from touching every block.
 */
export function lexicalSearch(
  units: readonly TextUnit[],
  taskTerms: ArrayLike<number>,
  limit: number,
  pruning: Omit<QueryPruning, 'maxTerms'> = DEFAULT_PRUNING,
): ScoredId[] {
  const distinct = new Set(Array.from(taskTerms)).size;
  if (limit <= 0 || units.length === 0 || distinct === 0) return [];
  const kept = prune(poolTerms(units, taskTerms), {
    ...pruning,
    maxTerms: Number.MAX_SAFE_INTEGER,
  });
  if (kept.length === 0) return [];
  const terms = kept.map((s) => s.term);
  const cap = Math.max(pruning.maxCandidates, limit);
  const lists = units.map((unit) =>
    unit.collect(unit.accumulate(terms, undefined, cap), limit, distinct),
  );
  return mergeTop(lists, limit);
}
