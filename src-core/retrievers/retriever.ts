import type { BlockId, RetrieverRole as BaseRetrieverRole } from '../base/index';
import type { Store } from '../store/index';
import type { Catalog } from './catalog';

/** What one page call asks every retriever. */
export interface RetrievalQuery {
  /** The session being paged. */
  readonly session: string;
  /** The candidate pool: the session plus the configured global sessions. */
  readonly sessions: readonly string[];
  /** The call's task text. */
  readonly task: string;
  /** The call's time (ms), from the injected clock. */
  readonly now: number;
  /** Most candidates to return. */
  readonly limit: number;
  /**
   * Replay and what-if of a call recorded before write sequences: only blocks with ids at or
   * below this watermark existed for it. See `visible`, which covers both kinds of watermark.
   */
  readonly asOf?: BlockId | undefined;
  /**
   * Replay and what-if: true for the blocks of the pool as it was at the call's watermark (the
   * writes up to it); with `session`, for the blocks that were in that session then (a fact may
   * have joined another session of the pool since). A retriever answers for that snapshot: drops
   * the others before applying `limit`, and computes any statistics over the visible blocks only.
   * Absent: every block.
   */
  readonly visible?: ((id: BlockId, session?: string) => boolean) | undefined;
  /**
   * With `visible`: the blocks in a session now that were not in it at the watermark (usually
   * few), for retrievers that scan a whole session index: skipping these is cheaper than asking
   * `visible` for every block. Blocks gone since are in no index and need no skipping.
   */
  readonly hiddenIn?: ((session: string) => ReadonlySet<BlockId>) | undefined;
}

/** A retriever's raw output: a block and its raw score (any scale; the pager normalises). */
export interface ScoredId {
  readonly id: BlockId;
  readonly score: number;
}

/** What retrievers may read: the store, and the in-memory catalog kept in step with it. */
export interface RetrievalContext {
  readonly store: Store;
  readonly catalog: Catalog;
}

/**
 * How the pager's default fusion reads a retriever's scores (see the pager README):
 * - `relevance` (bm25, ann, lexical, custom): how well a block matches the task; summed.
 * - `recency`: a time prior; it scales relevance up (a newer match beats an equal older one) but
 *   never brings in a block that matches nothing.
 * - `inclusion` (pinned, session kinds): "take this block"; its own term, not scaled.
 */
export type RetrieverRole = BaseRetrieverRole;

/**
 * A retriever: takes (session, task, time, limit) and returns candidates with raw scores.
 *
 * Must be deterministic: the same store snapshot and query give the same output in the same
 * order (break ties by id). Must not rebuild an index from scratch inside `retrieve`; catching up
 * on a few changes from the store's change log is fine. Custom retrievers implement this same
 * interface and are loaded from config by module path.
 */
export interface Retriever {
  /** Unique within a stack; shown in plans (`retrievers: { bm25: {...} }`). */
  readonly name: string;
  /** How fusion reads its scores; default `relevance`. */
  readonly role?: RetrieverRole | undefined;
  retrieve(query: RetrievalQuery, context: RetrievalContext): Promise<readonly ScoredId[]>;
}
