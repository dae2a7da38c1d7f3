import type { Store } from '../store/index';
import type { Embedder } from './embedders';

/** A body to embed: its hash (the cache key) and its text. */
export interface EmbedItem {
  readonly hash: string;
  readonly text: string;
}

/**
 * Embeddings of bodies through the store's cache (`db.embeddings`, keyed by [embedder id, body
 * hash]): cached vectors are read back, the rest are embedded in one call and written to the cache
 * in one transaction (skipped on a read-only store). Returns a map from hash to vector.
 */
export async function embedCached(
  store: Store,
  embedder: Embedder,
  items: readonly EmbedItem[],
): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  const missing: EmbedItem[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.hash)) continue;
    seen.add(item.hash);
    const cached = store.embeddings.get(embedder.id, item.hash);
    if (cached !== undefined && cached.byteLength > 0 && cached.byteLength % 4 === 0) {
      // Copy into an aligned Float32Array (the buffer may be a view at any offset).
      const v = new Float32Array(cached.byteLength / 4);
      new Uint8Array(v.buffer).set(cached);
      out.set(item.hash, v);
    } else {
      missing.push(item);
    }
  }
  if (missing.length === 0) return out;
  const vectors = await embedder.embed(missing.map((m) => m.text));
  missing.forEach((m, i) => out.set(m.hash, vectors[i] as Float32Array));
  if (!store.readOnly)
    store.embeddings.putMany(
      embedder.id,
      missing.map((m, i) => [m.hash, vectors[i] as Float32Array] as const),
    );
  return out;
}
