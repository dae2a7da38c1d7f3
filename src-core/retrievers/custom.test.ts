import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLlm386Error } from '../base/index';
import type { RetrieverConfig } from '../config/index';
import { DEFAULT_RETRIEVERS, buildRetrievers, indexesFor } from './build';
import { loadCustomRetriever } from './custom';
import { contextOf, fresh, query } from './test-fixtures/helpers';

const FIXTURES = join(__dirname, 'test-fixtures');

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isLlm386Error(error, 'config-invalid')) return error.message;
    throw error;
  }
  throw new Error('expected config-invalid');
}

describe('loadCustomRetriever', () => {
  it('loads createRetriever(options) from a module path relative to the config and keeps its output in the pool', async () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'one' }).block.id;
    const b = store.put({ session: 's', kind: 'fact', body: 'two' }).block.id;
    store.put({ session: 'elsewhere', kind: 'fact', body: 'three' });
    const retriever = await loadCustomRetriever(
      './custom-retriever.mjs',
      { base: 10 },
      { baseDir: FIXTURES },
    );
    expect(retriever.name).toBe('echo');
    const out = await retriever.retrieve(query(['s']), contextOf(store));
    expect(out).toEqual([
      { id: b, score: 11 },
      { id: a, score: 10 },
    ]);
    const limited = await retriever.retrieve(query(['s'], '', { limit: 1 }), contextOf(store));
    expect(limited).toEqual([{ id: b, score: 11 }]);
  });

  it('takes the config name over the module’s', async () => {
    const retriever = await loadCustomRetriever(
      join(FIXTURES, 'custom-retriever.mjs'),
      { base: 0 },
      { name: 'mine' },
    );
    expect(retriever.name).toBe('mine');
  });

  it('fails with config-invalid naming the module when it is missing or exports no factory', async () => {
    expect(await failure(loadCustomRetriever('./missing.mjs', {}, { baseDir: FIXTURES }))).toMatch(
      /missing\.mjs/,
    );
    expect(
      await failure(loadCustomRetriever('./no-factory.mjs', {}, { baseDir: FIXTURES })),
    ).toMatch(/does not export createRetriever/);
  });
});

describe('buildRetrievers', () => {
  it('gives the documented default stack when none is configured', async () => {
    const built = await buildRetrievers(undefined);
    expect(built.map((b) => [b.retriever.name, b.weight])).toEqual([
      ['recency', 1],
      ['bm25', 1],
      ['ann', 0.25],
      ['pinned', 1],
      ['session', 1],
    ]);
    expect(DEFAULT_RETRIEVERS).toHaveLength(5);
  });

  it('builds each configured kind with its name, weight and limit', async () => {
    const configs: RetrieverConfig[] = [
      { kind: 'recency', name: 'fresh', weight: 2, halfLifeSecs: 60 },
      { kind: 'lexical', name: 'lexical', weight: 0.5, limit: 10 },
      { kind: 'bm25', name: 'bm25', weight: 1, k1: 1.5, b: 0.5 },
      { kind: 'ann', name: 'ann', weight: 1, embedder: 'hash-64' },
      { kind: 'pinned', name: 'pinned', weight: 3, ids: ['0'.repeat(32)] },
      { kind: 'session', name: 'session', weight: 1, kinds: ['system'] },
      {
        kind: 'custom',
        name: 'custom',
        weight: 1,
        module: './custom-retriever.mjs',
        options: { base: 1 },
      },
    ];
    const built = await buildRetrievers(configs, { baseDir: FIXTURES });
    expect(built.map((b) => [b.retriever.name, b.weight, b.limit])).toEqual([
      ['fresh', 2, undefined],
      ['lexical', 0.5, 10],
      ['bm25', 1, undefined],
      ['ann', 1, undefined],
      ['pinned', 3, undefined],
      ['session', 1, undefined],
      ['echo', 1, undefined],
    ]);
  });

  it('rejects duplicate names, settings of another kind and a custom entry without a module', async () => {
    expect(
      await failure(
        buildRetrievers([
          { kind: 'bm25', name: 'x', weight: 1 },
          { kind: 'ann', name: 'x', weight: 1 },
        ]),
      ),
    ).toMatch(/two retrievers are named "x"/);
    expect(
      await failure(buildRetrievers([{ kind: 'recency', name: 'recency', weight: 1, k1: 1 }])),
    ).toMatch(/does not take k1/);
    expect(await failure(buildRetrievers([{ kind: 'custom', name: 'custom', weight: 1 }]))).toMatch(
      /needs module/,
    );
    expect(
      await failure(buildRetrievers([{ kind: 'ann', name: 'ann', weight: 1, embedder: 'glove' }])),
    ).toMatch(/unknown embedder/);
  });

  it('registers the embedders of the configured ann retrievers for writers', async () => {
    const { store } = fresh();
    const set = indexesFor(store, [{ kind: 'ann', name: 'small', weight: 1, embedder: 'hash-64' }]);
    expect(set.families().map((f) => f.name)).toEqual(['text', 'ann:hash-64']);
  });
});
