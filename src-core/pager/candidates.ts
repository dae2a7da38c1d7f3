import type { BlockId, Section } from '../base/index';
import type { CatalogPool } from '../retrievers/index';
import type { BlockRecord } from '../store/index';
import { CandidateState, type Candidate, type PageContext } from './page-context';
import { RELEVANCE_FLOOR, type MergedScore } from './scores';
import { travelsAlone } from './units';

/** A candidate for a block (its cost and state read now). */
export function candidateOf(
  ctx: PageContext,
  record: BlockRecord,
  merged: MergedScore | undefined,
  /** The block's position in the call's pool when known (its cost is then an array read). */
  position = -1,
): Candidate {
  const id = record.id;
  const state = ctx.selected.has(id)
    ? CandidateState.Selected
    : ctx.omitted.has(id)
      ? CandidateState.Omitted
      : CandidateState.Open;
  const score = (merged?.fused ?? 0) + ctx.policy.pager.priorityWeight * record.priority;
  const cost = position >= 0 ? ctx.costs.costAt(position, record) : ctx.costs.cost(record);
  return {
    id,
    record,
    score,
    retrievers: merged?.retrievers ?? {},
    cost,
    density: score / Math.max(1, cost),
    alone: travelsAlone(ctx, record),
    state,
  };
}

/**
 * The call's candidates: every block the retrievers scored that the call can see. Unordered:
 * nothing after depends on the candidates' order (queues sort by a total order, the plan's lists
 * are sorted by id).
 */
export function addCandidates(
  ctx: PageContext,
  merged: ReadonlyMap<BlockId, MergedScore>,
  pool: CatalogPool,
): void {
  const candidates = ctx.candidates;
  const records = pool.records;
  for (const m of merged.values()) {
    if (!ctx.visible(m.id)) continue;
    // One lookup gives the record and the position its cost is kept at.
    const i = pool.indexOf(m.id);
    const record = i >= 0 ? records[i] : ctx.catalog.record(m.id);
    if (record === undefined) continue; // deleted since the retriever's index saw it
    candidates.set(m.id, candidateOf(ctx, record, m, i));
  }
}

/** Candidates with a positive score outside the conversation window, by the section they render in. */
export function sectionsOf(ctx: PageContext): Map<Section, Candidate[]> {
  const candidates = ctx.candidates;
  const out = new Map<Section, Candidate[]>();
  let best = 0;
  if (ctx.fusion === 'relevance')
    for (const c of candidates.values()) if (c.score > best) best = c.score;
  const min = RELEVANCE_FLOOR * best;
  for (const c of candidates.values()) {
    // Messages the window took are selected: their state keeps them out of every queue.
    if (c.score <= 0 || c.score < min || c.state === CandidateState.Selected) continue;
    const section = ctx.sectionOf(c.record);
    const list = out.get(section);
    if (list === undefined) out.set(section, [c]);
    else list.push(c);
  }
  return out;
}

/** A section's queue: its candidates not yet decided, best score per token first. */
export function sectionQueue(inSection: readonly Candidate[]): Candidate[] {
  const queue: Candidate[] = [];
  for (const c of inSection) if (c.state === CandidateState.Open) queue.push(c);
  return queue.sort(byDensity);
}

/**
 * Best score per token first; ties by score, then the newer id. Answers -1, 0 or 1 (a fractional
 * difference would be a heap number allocated on every comparison).
 */
function byDensity(a: Candidate, b: Candidate): number {
  if (a.density > b.density) return -1;
  if (a.density < b.density) return 1;
  if (a.score > b.score) return -1;
  if (a.score < b.score) return 1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
