import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../base/index';
import { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';
import { annRetriever } from './ann';
import { bm25Retriever } from './bm25';
import { Catalog, refresh } from './catalog';
import { featureHashingEmbedder } from './embedders';
import { IndexSet } from './index-set';
import { TextUnit } from './text-index';
import { bm25Search } from './text-search';
import { termIds } from './text-terms';
import { VectorUnit } from './vector-index';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'kappa'];
const SESSIONS = ['s1', 's2', 'g'];

type Step =
  | { put: number; session: number; words: number[]; knowledge: boolean; writer: number }
  | { del: number; writer: number }
  | { purge: number; writer: number }
  | { sync: number }
  | { flush: number }
  | { save: number }
  | { reopen: true };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      put: fc.nat(),
      session: fc.integer({ min: 0, max: 2 }),
      words: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 5 }),
      knowledge: fc.boolean(),
      writer: fc.integer({ min: 0, max: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ del: fc.nat(), writer: fc.integer({ min: 0, max: 1 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      purge: fc.integer({ min: 0, max: 2 }),
      writer: fc.integer({ min: 0, max: 1 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ sync: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ flush: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ save: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ reopen: true as const }) },
);

/** The store's index set with both families, sealing segments of `slots` blocks (and compacting its dictionary at every flush). */
function indexesOf(store: Store, slots: number): IndexSet {
  const set = IndexSet.of(store);
  set.vectors(featureHashingEmbedder());
  for (const family of set.families()) family.segmentSlots = slots;
  set.text.compactTermsFrom = 0;
  return set;
}

/** The reference: indexes built from scratch from the store's current tables. */
function reference(store: Store, sessions: readonly string[]) {
  const text: TextUnit[] = [];
  const vectors: VectorUnit[] = [];
  const embedder = featureHashingEmbedder();
  for (const session of sessions) {
    const t = new TextUnit();
    const v = new VectorUnit(256);
    for (const record of store.list(session)) {
      const body = decodeUtf8(store.getBody(record.hash) as Uint8Array) as string;
      t.add(record.id, termIds(body));
      v.add(record.id, embedder.termVector(termIds(body)));
    }
    text.push(t);
    vectors.push(v);
  }
  return { text, vectors };
}

describe('IndexSet and Catalog (property)', () => {
  it('match indexes built from scratch after any mix of writers, syncs, flushes, saves and reopens', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 15, maxLength: 40, size: 'max' }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        async (steps, task, slots) => {
          const t = tempStore();
          let stores: Store[] = [t.store, Store.open(t.dir)];
          try {
            for (const s of steps) {
              if ('put' in s) {
                stores[s.writer]?.put({
                  session: SESSIONS[s.session] as string,
                  kind: s.knowledge ? 'fact' : 'user-message',
                  body: s.words.map((w) => WORDS[w]).join(' '),
                });
              } else if ('del' in s) {
                const writer = stores[s.writer] as Store;
                // A writer reads its own snapshot until it is renewed: see the other writer's deletes
                // before choosing a block that still exists (the delete itself runs on fresh data).
                writer.refresh();
                const ids = SESSIONS.flatMap((x) => writer.listIds(x));
                const victim = ids[s.del % Math.max(1, ids.length)];
                if (victim !== undefined && writer.getRecord(victim) !== undefined)
                  writer.delete(victim);
              } else if ('purge' in s) {
                stores[s.writer]?.purgeSession(SESSIONS[s.purge] as string);
              } else if ('sync' in s) {
                await indexesOf(stores[s.sync] as Store, slots).sync();
                Catalog.of(stores[s.sync] as Store).sync();
              } else if ('flush' in s) {
                await indexesOf(stores[s.flush] as Store, slots).flush();
              } else if ('save' in s) {
                await indexesOf(stores[s.save] as Store, slots).save();
              } else {
                stores[1]?.close();
                stores = [stores[0] as Store, Store.open(t.dir)];
              }
            }
            const pool = ['s1', 'g'];
            const taskText = task.map((w) => WORDS[w]).join(' ');
            // The reference reads through the first instance: make it see the other's commits.
            refresh(stores[0] as Store);
            const ref = reference(stores[0] as Store, pool);
            const want = bm25Search(ref.text, termIds(taskText), 50, { k1: 1.2, b: 0.75, d: 0.5 });
            for (const store of stores) {
              indexesOf(store, slots);
              const context = { store, catalog: Catalog.of(store) };
              const q = { session: 's1', sessions: pool, task: taskText, now: 0, limit: 50 };
              expect(await bm25Retriever().retrieve(q, context)).toEqual(want);
              const ann = await annRetriever().retrieve(q, context);
              const annWant = ref.vectors.map((v) =>
                v.search(featureHashingEmbedder().termVector(termIds(taskText)), 50),
              );
              expect(new Set(ann.map((r) => r.id))).toEqual(
                new Set(annWant.flat().map((r) => r.id)),
              );
              context.catalog.sync();
              refresh(store);
              expect(context.catalog.ids(pool)).toEqual(
                [...new Set(pool.flatMap((s) => store.listIds(s)))].sort(),
              );
            }
          } finally {
            stores[1]?.close();
            t.cleanup();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
