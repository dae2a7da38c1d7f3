import { describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { Store } from '../store/index';
import { annRetriever } from './ann';
import { bm25Retriever } from './bm25';
import { lexicalRetriever } from './lexical';
import { pinnedRetriever } from './pinned';
import { recencyRetriever } from './recency';
import type { Retriever, ScoredId } from './retriever';
import { sessionRetriever } from './session-kinds';
import { contextOf, fresh, query } from './test-fixtures/helpers';

const T0 = 1_700_000_000_000;

/** A small store: session `s` (a chat about docker and cake), session `g` (global facts), session `x` (elsewhere). */
function sample() {
  const { store, dir } = fresh();
  const put = (session: string, kind: string, body: string, minutes: number, labels?: string[]) =>
    store.put({ session, kind, body, createdAt: T0 + minutes * 60_000, labels }).block.id;
  const ids = {
    system: put('s', 'system', 'You are a helpful assistant.', 0),
    plan: put('s', 'plan', 'Plan: fix the docker deployment, then bake the cake.', 1),
    q1: put('s', 'user-message', 'The docker daemon fails to start after the upgrade.', 2),
    a1: put('s', 'assistant-message', 'Check the systemd logs of the docker daemon.', 3),
    q2: put('s', 'user-message', 'How long should a lemon cake bake?', 4, ['pinned']),
    a2: put('s', 'assistant-message', 'Bake the lemon cake for forty minutes.', 5),
    state: put('s', 'state', 'Deployment status: docker broken, cake pending.', 6),
    fact: put('g', 'fact', 'Docker stores its logs in the systemd journal.', 7),
    other: put('x', 'fact', 'The docker daemon of another project, also broken.', 8),
  };
  return { store, dir, ids };
}

async function run(
  retriever: Retriever,
  store: Store,
  sessions: readonly string[],
  task: string,
  overrides = {},
): Promise<readonly ScoredId[]> {
  return retriever.retrieve(query(sessions, task, overrides), contextOf(store));
}

function isSorted(out: readonly ScoredId[]): boolean {
  return out.every(
    (r, i) =>
      i === 0 ||
      (out[i - 1] as ScoredId).score > r.score ||
      ((out[i - 1] as ScoredId).score === r.score && (out[i - 1] as ScoredId).id > r.id),
  );
}

describe('recency', () => {
  it('scores 0.5 ^ (age / half-life) and returns the newest first', async () => {
    const { store, ids } = sample();
    const now = T0 + 6 * 60_000;
    const out = await run(recencyRetriever({ halfLifeSecs: 60 }), store, ['s'], '', {
      now,
      limit: 3,
    });
    expect(out).toEqual([
      { id: ids.state, score: 1 },
      { id: ids.a2, score: 0.5 },
      { id: ids.q2, score: 0.25 },
    ]);
  });

  it('ranks by creation time even when ids are out of time order', async () => {
    const { store, ids } = sample();
    const backdated = store.put({
      session: 's',
      kind: 'fact',
      body: 'an old fact put late',
      createdAt: T0 - 3_600_000,
    }).block.id;
    const out = await run(recencyRetriever(), store, ['s'], '', {
      now: T0 + 3_600_000,
      limit: 100,
    });
    expect(out[0]?.id).toBe(ids.state);
    expect(out[out.length - 1]?.id).toBe(backdated);
    expect(isSorted(out)).toBe(true);
  });
});

describe('lexical', () => {
  it('scores the share of task terms a block contains', async () => {
    const { store, ids } = sample();
    const out = await run(lexicalRetriever(), store, ['s'], 'docker daemon logs');
    expect(out[0]).toEqual({ id: ids.a1, score: 1 });
    expect(out.find((r) => r.id === ids.q1)?.score).toBeCloseTo(2 / 3);
    expect(out.map((r) => r.id)).not.toContain(ids.q2);
  });
});

describe('bm25', () => {
  it('ranks the blocks about the task first', async () => {
    const { store, ids } = sample();
    const out = await run(bm25Retriever(), store, ['s'], 'lemon cake baking time');
    expect(
      out
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    ).toEqual([ids.q2, ids.a2].sort());
    expect(out.map((r) => r.id)).not.toContain(ids.q1);
    expect(isSorted(out)).toBe(true);
  });

  it('accepts k1 and b', async () => {
    const { store } = sample();
    const a = await run(bm25Retriever({ k1: 0.1, b: 0 }), store, ['s'], 'docker');
    const b = await run(bm25Retriever({ k1: 2, b: 1 }), store, ['s'], 'docker');
    expect(a.map((r) => r.score)).not.toEqual(b.map((r) => r.score));
  });

  it('keeps a 30-word task cheap and still finds the rare term', async () => {
    const { store, ids } = sample();
    const long = `${'please tell me everything about the deployment status and whatever else matters here now '.repeat(3)} systemd`;
    const out = await run(bm25Retriever({ pruning: { maxTerms: 2 } }), store, ['s'], long);
    expect(out[0]?.id).toBe(ids.a1);
  });
});

describe('ann', () => {
  it('ranks by cosine similarity of feature-hashing embeddings', async () => {
    const { store, ids } = sample();
    const out = await run(annRetriever(), store, ['s'], 'lemon cake bake');
    expect([ids.q2, ids.a2]).toContain(out[0]?.id);
    expect(out.every((r) => r.score > 0 && r.score <= 1 + 1e-9)).toBe(true);
    expect(isSorted(out)).toBe(true);
  });
});

describe('pinned', () => {
  it('offers listed ids and blocks labelled pinned, raw score 1, only from the pool', async () => {
    const { store, ids } = sample();
    const out = await run(
      pinnedRetriever({ ids: [ids.fact, ids.other] }),
      store,
      ['s', 'g'],
      'anything',
    );
    expect(out.map((r) => r.id).sort()).toEqual([ids.fact, ids.q2].sort());
    expect(out.every((r) => r.score === 1)).toBe(true);
  });
});

describe('session', () => {
  it('offers every block of the given kinds (default system, state, plan), newest first', async () => {
    const { store, ids } = sample();
    expect((await run(sessionRetriever(), store, ['s'], '')).map((r) => r.id)).toEqual([
      ids.state,
      ids.plan,
      ids.system,
    ]);
    expect(
      (await run(sessionRetriever({ kinds: ['fact'] }), store, ['s', 'g'], '')).map((r) => r.id),
    ).toEqual([ids.fact]);
  });
});

describe('every built-in retriever', () => {
  const all = (): Retriever[] => [
    recencyRetriever(),
    lexicalRetriever(),
    bm25Retriever(),
    annRetriever(),
    pinnedRetriever({ ids: [] }),
    sessionRetriever({ kinds: ['fact', 'user-message', 'state'] }),
  ];

  it('returns only blocks of the pool, global sessions included', async () => {
    const { store, ids } = sample();
    for (const retriever of all()) {
      const own = await run(retriever, store, ['s'], 'docker daemon logs systemd');
      expect(
        own.map((r) => r.id),
        retriever.name,
      ).not.toContain(ids.fact);
      expect(
        own.map((r) => r.id),
        retriever.name,
      ).not.toContain(ids.other);
      const withGlobal = await run(retriever, store, ['s', 'g'], 'docker daemon logs systemd');
      expect(
        withGlobal.map((r) => r.id),
        retriever.name,
      ).not.toContain(ids.other);
      if (retriever.name !== 'pinned')
        expect(
          withGlobal.map((r) => r.id),
          retriever.name,
        ).toContain(ids.fact);
    }
  });

  it('respects the limit and is deterministic: same output twice and after reopening the store', async () => {
    const { store, dir } = sample();
    const task = 'docker cake logs';
    const first = await Promise.all(
      all().map((r) => run(r, store, ['s', 'g'], task, { limit: 3 })),
    );
    const again = await Promise.all(
      all().map((r) => run(r, store, ['s', 'g'], task, { limit: 3 })),
    );
    expect(again).toEqual(first);
    for (const out of first) {
      expect(out.length).toBeLessThanOrEqual(3);
      expect(isSorted(out)).toBe(true);
    }
    store.close();
    const reopened = Store.open(dir);
    try {
      const after = await Promise.all(
        all().map((r) => run(r, reopened, ['s', 'g'], task, { limit: 3 })),
      );
      expect(after).toEqual(first);
    } finally {
      reopened.close();
    }
  });

  it('returns nothing for an empty or unknown pool', async () => {
    const { store } = sample();
    for (const retriever of all())
      expect(await run(retriever, store, ['nobody'], 'docker')).toEqual([]);
  });

  it('breaks equal scores by the newer id', async () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'user-message', body: 'same words', createdAt: T0 })
      .block.id;
    const b = store.put({ session: 's', kind: 'user-message', body: 'same words', createdAt: T0 })
      .block.id;
    for (const retriever of [
      recencyRetriever(),
      lexicalRetriever(),
      bm25Retriever(),
      annRetriever(),
    ]) {
      const out = await run(retriever, store, ['s'], 'same words', { now: T0 });
      expect(
        out.map((r) => r.id),
        retriever.name,
      ).toEqual([b, a] as BlockId[]);
      expect(out[0]?.score, retriever.name).toBe(out[1]?.score);
    }
  });
});

describe('retrievers over a growing session', () => {
  it('see blocks appended after an earlier call, and lose deleted ones', async () => {
    const { store, ids } = sample();
    const retrievers = [
      recencyRetriever(),
      pinnedRetriever(),
      sessionRetriever(),
      bm25Retriever(),
      annRetriever(),
      lexicalRetriever(),
    ];
    await Promise.all(retrievers.map((r) => run(r, store, ['s'], 'zeppelin')));
    const added = store.put({
      session: 's',
      kind: 'state',
      body: 'zeppelin status: airborne',
      createdAt: T0 + 3_600_000,
      labels: ['pinned'],
    }).block.id;
    for (const retriever of retrievers) {
      const out = await run(retriever, store, ['s'], 'zeppelin', { now: T0 + 3_600_000 });
      expect(out[0]?.id, retriever.name).toBe(added);
    }
    store.delete(added);
    store.delete(ids.state);
    for (const retriever of retrievers) {
      const out = (
        await run(retriever, store, ['s'], 'zeppelin status', { now: T0 + 3_600_000 })
      ).map((r) => r.id);
      expect(out, retriever.name).not.toContain(added);
      expect(out, retriever.name).not.toContain(ids.state);
    }
  });
});
