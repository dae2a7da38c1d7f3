import { featureHashingEmbedder, type Embedder } from './embedders';
import { IndexSet } from './index-set';
import { effectiveLimit, mergeTop } from './rank';
import type { Retriever } from './retriever';

/** Settings of {@link annRetriever}. */
export interface AnnOptions {
  /** Name in plans; default `ann`. */
  readonly name?: string | undefined;
  /** The embedder; default the feature-hashing embedder with 256 dimensions. */
  readonly embedder?: Embedder | undefined;
  /** Most candidates; default: the query's limit. */
  readonly limit?: number | undefined;
}

const TASK_CACHE = 32;

/**
 * Cosine similarity between the task's embedding and the blocks' embeddings, searched with usearch
 * over per-session int8 matrices (exact, so deterministic and restricted to the pool by
 * construction; see `VectorUnit`). Block embeddings are computed at write time and cached per
 * (embedder id, body hash); task embeddings are memoised for the last few tasks.
 */
export function annRetriever(options: AnnOptions = {}): Retriever {
  const embedder = options.embedder ?? featureHashingEmbedder();
  const tasks = new Map<string, Float32Array>();
  async function embedTask(task: string): Promise<Float32Array | undefined> {
    let v = tasks.get(task);
    if (v === undefined) {
      [v] = await embedder.embed([task]);
      if (v === undefined) return undefined;
      if (tasks.size >= TASK_CACHE) tasks.delete(tasks.keys().next().value as string);
      tasks.set(task, v);
    }
    return v;
  }
  return {
    name: options.name ?? 'ann',
    async retrieve(query, { store }) {
      const limit = effectiveLimit(query.limit, options.limit);
      if (limit === 0 || query.task.trim() === '') return [];
      const family = IndexSet.of(store).vectors(embedder);
      const sessions = [...new Set(query.sessions)];
      await family.sync(sessions);
      const vector = await embedTask(query.task);
      if (vector === undefined) return [];
      const lists = [];
      const visible = query.visible;
      for (const session of sessions) {
        const unit = family.unit(session);
        if (unit !== undefined && unit.live > 0 && unit.dimensions === vector.length)
          lists.push(
            unit.search(
              vector,
              limit,
              visible === undefined ? undefined : (id) => visible(id, session),
            ),
          );
      }
      return mergeTop(lists, limit);
    },
  };
}
