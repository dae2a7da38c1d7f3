import { describe, expect, it } from 'vitest';
import { Store, repairStore } from '../store/index';
import { annRetriever } from './ann';
import { bm25Retriever } from './bm25';
import type { Embedder } from './embedders';
import { featureHashingEmbedder, hashVector } from './embedders';
import { IndexSet } from './index-set';
import type { Retriever } from './retriever';
import { contextOf, fresh, other, query } from './test-fixtures/helpers';

const TOPICS = [
  'docker daemon logs',
  'lemon cake recipe',
  'quarterly revenue report',
  'kubernetes pod restarts',
  'garden tomatoes watering',
];

function fill(store: Store, session: string, n: number, offset = 0): void {
  store.putMany(
    Array.from({ length: n }, (_, i) => ({
      session,
      kind: 'user-message',
      body: `message ${i + offset} about ${TOPICS[(i + offset) % TOPICS.length] as string} number ${(i + offset) * 7}`,
    })),
  );
}

async function results(
  store: Store,
  retrievers: readonly Retriever[],
  sessions = ['s'],
  task = 'docker logs restarts',
) {
  return Promise.all(retrievers.map((r) => r.retrieve(query(sessions, task), contextOf(store))));
}

describe('IndexSet', () => {
  it('is one per store instance and always has the text family', () => {
    const { store } = fresh();
    expect(IndexSet.of(store)).toBe(IndexSet.of(store));
    expect(
      IndexSet.of(store)
        .families()
        .map((f) => f.name),
    ).toEqual(['text']);
  });

  it('persists its snapshot: reopened, it loads instead of rebuilding and gives identical results', async () => {
    const { store, dir } = fresh();
    fill(store, 's', 60);
    const set = IndexSet.of(store);
    set.vectors(featureHashingEmbedder());
    await set.sync();
    expect(await set.save()).toBe(true);
    const retrievers = [bm25Retriever(), annRetriever()];
    const before = await results(store, retrievers);
    expect(before[0]?.length).toBeGreaterThan(0);
    expect(before[1]?.length).toBeGreaterThan(0);
    store.close();

    const reopened = Store.open(dir);
    try {
      const after = await results(reopened, retrievers);
      expect(after).toEqual(before);
      const stats = IndexSet.of(reopened).stats();
      expect(stats.text).toMatchObject({ builds: 0, loads: 1, opsApplied: 0 });
      expect(stats['ann:hash-256']).toMatchObject({ builds: 0, loads: 1, opsApplied: 0 });
    } finally {
      reopened.close();
    }
  });

  it('catches up from the snapshot with writes made through another store instance, without rebuilding', async () => {
    const { store, dir } = fresh();
    fill(store, 's', 30);
    const set = IndexSet.of(store);
    set.vectors(featureHashingEmbedder());
    await set.sync();
    await set.save();

    const reader = other(dir);
    const retrievers = [bm25Retriever(), annRetriever()];
    await results(reader, retrievers);

    const added = store.put({
      session: 's',
      kind: 'fact',
      body: 'zeppelin hangar inspection notes',
    }).block.id;
    const [bm25, ann] = await results(reader, retrievers, ['s'], 'zeppelin hangar');
    expect(bm25?.[0]?.id).toBe(added);
    expect(ann?.[0]?.id).toBe(added);

    store.delete(added);
    const victim = store.listIds('s')[0] as string;
    store.purgeSession('s');
    const [bm25After, annAfter] = await results(
      reader,
      retrievers,
      ['s'],
      'zeppelin hangar docker',
    );
    expect(bm25After).toEqual([]);
    expect(annAfter).toEqual([]);
    expect(victim).toBeDefined();
    const stats = IndexSet.of(reader).stats();
    expect(stats.text?.builds).toBe(0);
    expect(stats['ann:hash-256']?.builds).toBe(0);
    expect(stats.text?.opsApplied).toBe(32);
  });

  it('builds from the tables only when no snapshot exists, and saves every session then', async () => {
    const { store, dir } = fresh();
    fill(store, 'a', 10);
    fill(store, 'b', 10);
    const set = IndexSet.of(store);
    await set.text.sync(['a']);
    expect(set.stats().text?.builds).toBe(1);
    expect(await set.save()).toBe(true);
    store.close();
    const reopened = Store.open(dir);
    try {
      await IndexSet.of(reopened).text.sync(['a', 'b']);
      expect(IndexSet.of(reopened).stats().text).toMatchObject({ builds: 0, loads: 2 });
    } finally {
      reopened.close();
    }
  });

  it('rebuilds after a reset written by repair', async () => {
    const { store } = fresh();
    fill(store, 's', 10);
    const set = IndexSet.of(store);
    await set.sync(['s']);
    await set.save();
    const before = await results(store, [bm25Retriever()]);
    repairStore(store);
    const after = await results(store, [bm25Retriever()]);
    expect(after).toEqual(before);
    expect(set.stats().text?.builds).toBe(2);
  });

  it('never replaces a newer snapshot saved by another process while it was saving', async () => {
    const { store, dir } = fresh();
    const writer = other(dir);
    const plain = (id: string): Embedder => ({
      id,
      dimensions: 8,
      embed: async (texts) => texts.map((t) => hashVector(t, 8)),
    });
    let raced = false;
    // While this process embeds (say, over HTTP), another one writes and saves a newer snapshot.
    const slow: Embedder = {
      ...plain('model-8'),
      async embed(texts) {
        if (!raced) {
          raced = true;
          fill(writer, 's', 3, 100);
          const theirs = IndexSet.of(writer).vectors(plain('model-8'));
          await theirs.sync();
          expect(await theirs.save()).toBe(true);
        }
        return texts.map((t) => hashVector(t, 8));
      },
    };
    fill(store, 's', 5);
    const mine = IndexSet.of(store).vectors(slow);
    expect(await mine.save()).toBe(false);
    expect(mine.unsavedChanges()).toBe(0);
    // The next save, caught up, goes through.
    fill(store, 's', 1, 200);
    expect(await mine.save()).toBe(true);
  });

  it('checkpoint saves only when there is no snapshot or enough unsaved changes', async () => {
    const { store } = fresh();
    fill(store, 's', 5);
    const set = IndexSet.of(store);
    expect(await set.checkpoint(100)).toBe(true);
    fill(store, 's', 5, 5);
    expect(await set.checkpoint(100)).toBe(false);
    fill(store, 's', 100, 10);
    expect(await set.checkpoint(100)).toBe(true);
    expect(set.text.unsavedChanges()).toBe(0);
  });

  it('registers persisted hash embedders automatically, so writers keep them current', async () => {
    const { store, dir } = fresh();
    fill(store, 's', 5);
    const set = IndexSet.of(store);
    set.vectors(featureHashingEmbedder());
    await set.sync();
    await set.save();
    const writer = other(dir);
    expect(
      IndexSet.of(writer)
        .families()
        .map((f) => f.name),
    ).toEqual(['text', 'ann:hash-256']);
  });

  it('caches model embeddings per (embedder, body hash): a body shared by two sessions is embedded once', async () => {
    const { store, dir } = fresh();
    const calls: string[][] = [];
    const counting: Embedder = {
      id: 'counting-8',
      dimensions: 8,
      async embed(texts) {
        calls.push([...texts]);
        return texts.map((t) => hashVector(t, 8));
      },
    };
    store.put({ session: 'a', kind: 'fact', body: 'shared body about docker' });
    store.put({ session: 'b', kind: 'fact', body: 'shared body about docker' });
    store.put({ session: 'b', kind: 'user-message', body: 'another one' });
    const family = IndexSet.of(store).vectors(counting);
    await family.sync(['a']);
    await family.sync(['b']);
    expect(calls.flat().sort()).toEqual(['another one', 'shared body about docker']);
    // A second process reads the cache instead of calling the model again.
    const reader = other(dir);
    const readerCalls = calls.length;
    await IndexSet.of(reader).vectors(counting).sync(['a', 'b']);
    expect(calls.length).toBe(readerCalls);
    const ann = annRetriever({ embedder: counting });
    const out = await ann.retrieve(query(['a', 'b'], 'docker'), contextOf(reader));
    expect(out[0]?.score).toBeGreaterThan(0);
  });
});

describe('IndexSet with a failing embedder', () => {
  it('keeps the changes queued and applies them once the embedder works again', async () => {
    const { store } = fresh();
    let down = false;
    const flaky: Embedder = {
      id: 'flaky-8',
      dimensions: 8,
      async embed(texts) {
        if (down) throw new Error('connection refused');
        return texts.map((t) => hashVector(t, 8));
      },
    };
    store.put({ session: 's', kind: 'fact', body: 'first fact about docker' });
    const family = IndexSet.of(store).vectors(flaky);
    await family.sync(['s']);
    down = true;
    const later = store.put({ session: 's', kind: 'fact', body: 'second fact about zeppelins' })
      .block.id;
    await expect(family.sync(['s'])).rejects.toThrow(/connection refused/);
    down = false;
    await family.sync(['s']);
    expect(family.unit('s')?.has(later)).toBe(true);
    expect(family.unit('s')?.live).toBe(2);
  });
});
