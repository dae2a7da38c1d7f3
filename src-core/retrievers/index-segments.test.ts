import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../base/index';
import { Store } from '../store/index';
import { annRetriever } from './ann';
import { bm25Retriever } from './bm25';
import { featureHashingEmbedder } from './embedders';
import { IndexSet } from './index-set';
import { lexicalRetriever } from './lexical';
import type { Retriever } from './retriever';
import { TextUnit } from './text-index';
import { bm25Search } from './text-search';
import { STOP_WORDS, termIds, textTerms } from './text-terms';
import { contextOf, fresh, other, query } from './test-fixtures/helpers';

const TOPICS = ['docker daemon logs', 'lemon cake recipe', 'kubernetes pod restarts', 'tomatoes'];
const TASK = 'docker logs restarts tomatoes';
const RETRIEVERS: readonly Retriever[] = [bm25Retriever(), lexicalRetriever(), annRetriever()];

/** The store's index set, sealing segments of `slots` blocks. */
function indexes(store: Store, slots = 8): IndexSet {
  const set = IndexSet.of(store);
  set.vectors(featureHashingEmbedder());
  for (const family of set.families()) family.segmentSlots = slots;
  return set;
}

/** Writes `n` blocks in batches of 5, flushing after each, as `llm386 ingest` does. */
async function ingest(store: Store, n: number, offset = 0): Promise<void> {
  const set = indexes(store);
  for (let i = 0; i < n; i += 5) {
    store.putMany(
      Array.from({ length: Math.min(5, n - i) }, (_, k) => ({
        session: 's',
        kind: 'user-message' as const,
        body: `message ${i + k + offset} about ${TOPICS[(i + k + offset) % TOPICS.length] as string}`,
      })),
    );
    await set.flush();
  }
  await set.save();
}

async function answers(store: Store) {
  return Promise.all(RETRIEVERS.map((r) => r.retrieve(query(['s'], TASK), contextOf(store))));
}

/** BM25 over a unit built from the store's tables: what the answers must be. */
function reference(store: Store) {
  const unit = new TextUnit();
  for (const record of store.list('s'))
    unit.add(record.id, termIds(decodeUtf8(store.getBody(record.hash) as Uint8Array) as string));
  return bm25Search([unit], termIds(TASK), 100, { k1: 1.2, b: 0.75, d: 0.5 });
}

describe('segmented index units', () => {
  it('a flushing writer saves each segment as it fills and keeps only the head in memory', async () => {
    const { store } = fresh();
    await ingest(store, 43);
    // 43 blocks: five sealed segments of 8 and a head of 3, for each family.
    expect(store.indexTables.blobKeys('text/s/')).toHaveLength(5);
    expect(store.indexTables.blobKeys('ann:hash-256/s/')).toHaveLength(5);
    const text = IndexSet.of(store).text;
    expect(text.stats.segmentLoads).toBe(0);
    // A query reads the released segments back.
    const [bm25] = await answers(store);
    expect(text.stats.segmentLoads).toBe(5);
    expect(bm25).toEqual(reference(store));
  });

  it("drops the terms only released segments use from a flushing writer's dictionary", async () => {
    const { store } = fresh();
    const set = indexes(store);
    set.text.compactTermsFrom = 16;
    await ingest(store, 400);
    // Every message has its own number: 400 terms, besides the stop-words and topics.
    const unique = new Set(store.list('s').flatMap((r) => textTerms(store.text(r)))).size;
    expect(unique).toBeGreaterThan(400);
    expect(set.terms.terms.length - STOP_WORDS.size).toBeLessThan(unique / 2);
    const [bm25] = await answers(store);
    expect(bm25).toEqual(reference(store));
  });

  it('answers as one unsegmented unit does, in the writer and after reopening', async () => {
    const segmented = fresh();
    await ingest(segmented.store, 37);
    const plain = fresh();
    const set = indexes(plain.store, 1_000_000);
    for (const record of segmented.store.list('s'))
      plain.store.put({
        session: 's',
        kind: record.kind,
        body: segmented.store.text(record),
      });
    await set.sync();
    await set.save();
    const want = await answers(plain.store);
    const strip = (lists: Awaited<ReturnType<typeof answers>>, store: Store) =>
      lists.map((list) =>
        list.map((r) => ({ body: store.text(store.requireRecord(r.id)), score: r.score })),
      );
    expect(strip(await answers(segmented.store), segmented.store)).toEqual(
      strip(want, plain.store),
    );
    const reopened = other(segmented.dir);
    indexes(reopened);
    expect(strip(await answers(reopened), reopened)).toEqual(strip(want, plain.store));
    expect(IndexSet.of(reopened).stats().text).toMatchObject({ builds: 0, segmentLoads: 4 });
  });

  it('removing a block of a released segment reads it back and rewrites that segment only', async () => {
    const { store } = fresh();
    await ingest(store, 24);
    const before = store.indexTables.blobKeys('text/s/').map((k) => store.indexTables.blob(k));
    const victim = store.listIds('s')[3] as string;
    store.delete(victim);
    const set = indexes(store);
    await set.flush();
    await set.save();
    const after = store.indexTables.blobKeys('text/s/').map((k) => store.indexTables.blob(k));
    expect(after).toHaveLength(3);
    expect(after[0]).not.toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
    const [bm25] = await answers(other(store.dir));
    expect(bm25?.some((r) => r.id === victim)).toBe(false);
    expect(bm25).toEqual(reference(store));
  });

  it('compacts emptied segments away and merges neighbours that fit in one', async () => {
    const { store, dir } = fresh();
    await ingest(store, 32);
    const ids = store.listIds('s');
    // Empty the first segment, halve the next two.
    for (const [i, id] of ids.entries()) if (i < 8 || (i < 24 && i % 2 === 0)) store.delete(id);
    const set = indexes(store);
    await set.flush();
    await set.save();
    // Left: one segment of 4 + 4 merged, one of 8, and no head.
    expect(store.indexTables.blobKeys('text/s/')).toHaveLength(2);
    const reopened = other(dir);
    indexes(reopened);
    const [bm25] = await answers(reopened);
    expect(bm25).toEqual(reference(reopened));
  });

  it('rebuilds from the tables when a released segment was rewritten by another process', async () => {
    const { store, dir } = fresh();
    await ingest(store, 24);
    // Another process compacts the segments (its saves rewrite them) while this writer holds
    // only its head and the directory it read.
    const theirs = other(dir);
    const set = indexes(theirs);
    await set.sync(['s']);
    for (const id of theirs.listIds('s').slice(0, 12)) theirs.delete(id);
    await set.sync(['s']);
    expect(await set.save()).toBe(true);
    // An op on a block of a released segment makes this writer read the segments back.
    store.refresh();
    store.delete(store.listIds('s')[5] as string);
    const mine = indexes(store);
    await mine.flush();
    expect(mine.stats().text?.builds).toBe(2);
    const [bm25] = await answers(store);
    expect(bm25).toEqual(reference(store));
  });

  it('still reads snapshots written before segments (format 2, one blob per session)', async () => {
    const { store, dir } = fresh();
    for (let i = 0; i < 20; i++)
      store.put({ session: 's', kind: 'fact', body: `fact ${i} on ${TOPICS[i % 4] as string}` });
    const set = indexes(store, 1_000_000);
    await set.sync();
    await set.save();
    for (const key of store.indexTables.blobKeys('')) {
      const blob = store.indexTables.blob(key) as Buffer;
      // Same length: the header stays where it is.
      const old = Buffer.from(
        blob.toString('latin1').replace('"version":3', '"version":2'),
        'latin1',
      );
      expect(old.length).toBe(blob.length);
      store.transaction(() => store.indexTables.putBlob(key, old));
    }
    const reopened = other(dir);
    indexes(reopened);
    const [bm25] = await answers(reopened);
    expect(bm25).toEqual(reference(reopened));
    expect(IndexSet.of(reopened).stats().text).toMatchObject({ builds: 0, loads: 1 });
  });
});
