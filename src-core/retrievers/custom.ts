import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Llm386Error, isBlockId } from '../base/index';
import { compareScored } from './rank';
import type { Retriever, ScoredId } from './retriever';

/** What a custom retriever module exports. */
export interface CustomRetrieverModule {
  createRetriever(options: Readonly<Record<string, unknown>>): Retriever | Promise<Retriever>;
}

/** Options of {@link loadCustomRetriever}. */
export interface LoadCustomOptions {
  /** Directory relative module paths are resolved against (the config file's); default the working directory. */
  readonly baseDir?: string | undefined;
  /** Overrides the retriever's own name (a config `name`). */
  readonly name?: string | undefined;
}

/**
 * Loads a custom retriever: a module (file path, or package name) exporting
 * `createRetriever(options) => Retriever` (or a promise of one). The result is wrapped so its
 * output keeps the built-ins' guarantees whatever the module does: only blocks of the pool, finite
 * scores, at most `limit`, sorted by score then newer id. Failures are `config-invalid` errors
 * naming the module.
 */
export async function loadCustomRetriever(
  modulePath: string,
  options: Readonly<Record<string, unknown>> = {},
  load: LoadCustomOptions = {},
): Promise<Retriever> {
  const relative = modulePath.startsWith('.') || isAbsolute(modulePath);
  const specifier = relative
    ? pathToFileURL(resolve(load.baseDir ?? process.cwd(), modulePath)).href
    : modulePath;
  let mod: Partial<CustomRetrieverModule> & { default?: Partial<CustomRetrieverModule> };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (error) {
    throw new Llm386Error(
      'config-invalid',
      `cannot load custom retriever module ${modulePath}: ${(error as Error).message}: check the path in [[retriever]] module`,
      {
        cause: error,
      },
    );
  }
  const create = mod.createRetriever ?? mod.default?.createRetriever;
  if (typeof create !== 'function') {
    throw new Llm386Error(
      'config-invalid',
      `custom retriever module ${modulePath} does not export createRetriever(options): export a function returning { name, retrieve }`,
    );
  }
  let inner: Retriever;
  try {
    inner = await create(options);
  } catch (error) {
    throw new Llm386Error(
      'config-invalid',
      `createRetriever of ${modulePath} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (inner === null || typeof inner !== 'object' || typeof inner.retrieve !== 'function') {
    throw new Llm386Error(
      'config-invalid',
      `createRetriever of ${modulePath} must return an object with a retrieve(query, context) method`,
    );
  }
  const name =
    load.name ?? (typeof inner.name === 'string' && inner.name !== '' ? inner.name : 'custom');
  const role = inner.role === 'recency' || inner.role === 'inclusion' ? inner.role : 'relevance';
  return {
    name,
    role,
    async retrieve(query, context) {
      const raw = await inner.retrieve(query, context);
      if (!Array.isArray(raw))
        throw new Llm386Error(
          'invalid-input',
          `custom retriever ${name} returned ${typeof raw}, not a list of { id, score }`,
        );
      context.catalog.sync();
      const pool = context.catalog.pool(query.sessions);
      const best = new Map<string, ScoredId>();
      for (const item of raw as unknown[]) {
        const { id, score } = (item ?? {}) as { id?: unknown; score?: unknown };
        if (!isBlockId(id) || typeof score !== 'number' || !Number.isFinite(score) || !pool.has(id))
          continue;
        if (query.visible !== undefined && !query.visible(id)) continue;
        const prev = best.get(id);
        if (prev === undefined || score > prev.score) best.set(id, { id, score });
      }
      return [...best.values()].sort(compareScored).slice(0, Math.max(0, query.limit));
    },
  };
}
