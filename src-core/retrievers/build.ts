import { Llm386Error } from '../base/index';
import type { RetrieverConfig } from '../config/index';
import type { Store } from '../store/index';
import { annRetriever } from './ann';
import { bm25Retriever } from './bm25';
import { loadCustomRetriever } from './custom';
import { embedderFromSpec, type Embedder } from './embedders';
import { IndexSet } from './index-set';
import { lexicalRetriever } from './lexical';
import { pinnedRetriever } from './pinned';
import { recencyRetriever } from './recency';
import type { Retriever } from './retriever';
import { sessionRetriever } from './session-kinds';

/**
 * The stack used when the config has no `[[retriever]]`: recency (half-life 1 h), bm25, ann (the
 * feature-hashing embedder, 256 dimensions) with weight 0.25, pinned and session (system, state,
 * plan) with weight 1. Hashed features are a weaker copy of bm25's lexical match (on real
 * conversations ann at weight 1 lowered recall at 2k from 0.91 to 0.87): give ann a model
 * embedder and weight 1 in a config for a semantic signal.
 */
export const DEFAULT_RETRIEVERS: readonly RetrieverConfig[] = [
  { kind: 'recency', name: 'recency', weight: 1 },
  { kind: 'bm25', name: 'bm25', weight: 1 },
  { kind: 'ann', name: 'ann', weight: 0.25 },
  { kind: 'pinned', name: 'pinned', weight: 1 },
  { kind: 'session', name: 'session', weight: 1 },
];

/** What building retrievers may need besides the config. */
export interface RetrieverDeps {
  /** The store (unused by the built-ins at build time; accepted for symmetry with callers). */
  readonly store?: Store | undefined;
  /** Directory custom retriever module paths are relative to (the config file's); default cwd. */
  readonly baseDir?: string | undefined;
  /** Embedders by spec (`hash`, `openai:<model>`, ...), overriding {@link embedderFromSpec}. */
  readonly embedders?: Readonly<Record<string, Embedder>> | undefined;
}

/** A built retriever with its weight and own candidate limit. */
export interface BuiltRetriever {
  readonly retriever: Retriever;
  readonly weight: number;
  readonly limit?: number | undefined;
}

const SETTINGS: Record<RetrieverConfig['kind'], readonly (keyof RetrieverConfig)[]> = {
  recency: ['halfLifeSecs'],
  lexical: [],
  bm25: ['k1', 'b'],
  ann: ['embedder', 'options'],
  pinned: ['ids', 'options'],
  session: ['kinds'],
  custom: ['module', 'options'],
};
const COMMON: readonly (keyof RetrieverConfig)[] = ['kind', 'name', 'weight', 'limit'];

/**
 * Turns the config's `[[retriever]]` entries into retrievers with weights; `undefined` (no
 * entries) gives {@link DEFAULT_RETRIEVERS}. Names must be unique. A setting that does not apply
 * to the kind, or a custom module that fails to load, is a `config-invalid` error.
 */
export async function buildRetrievers(
  configs: readonly RetrieverConfig[] | undefined,
  deps: RetrieverDeps = {},
): Promise<BuiltRetriever[]> {
  const list = configs ?? DEFAULT_RETRIEVERS;
  const names = new Set<string>();
  const out: BuiltRetriever[] = [];
  for (const config of list) {
    for (const key of Object.keys(config) as (keyof RetrieverConfig)[]) {
      if (
        config[key] !== undefined &&
        !COMMON.includes(key) &&
        !SETTINGS[config.kind].includes(key)
      ) {
        throw new Llm386Error(
          'config-invalid',
          `retriever "${config.name}" (${config.kind}) does not take ${snake(key)}: remove it`,
        );
      }
    }
    const retriever = await buildOne(config, deps);
    if (names.has(retriever.name)) {
      throw new Llm386Error(
        'config-invalid',
        `two retrievers are named "${retriever.name}": give each [[retriever]] a distinct name`,
      );
    }
    names.add(retriever.name);
    out.push({
      retriever,
      weight: config.weight,
      ...(config.limit === undefined ? {} : { limit: config.limit }),
    });
  }
  return out;
}

async function buildOne(config: RetrieverConfig, deps: RetrieverDeps): Promise<Retriever> {
  const { name, limit } = config;
  switch (config.kind) {
    case 'recency':
      return recencyRetriever({ name, limit, halfLifeSecs: config.halfLifeSecs });
    case 'lexical':
      return lexicalRetriever({ name, limit });
    case 'bm25':
      return bm25Retriever({ name, limit, k1: config.k1, b: config.b });
    case 'ann':
      return annRetriever({ name, limit, embedder: embedderFor(config, deps) });
    case 'pinned': {
      const label = config.options?.label;
      if (label !== undefined && typeof label !== 'string')
        throw new Llm386Error(
          'config-invalid',
          `retriever "${name}": options.label must be a string`,
        );
      return pinnedRetriever({ name, limit, ids: config.ids, label });
    }
    case 'session':
      return sessionRetriever({ name, limit, kinds: config.kinds });
    case 'custom': {
      if (config.module === undefined)
        throw new Llm386Error(
          'config-invalid',
          `custom retriever "${name}" needs module = "path/to/module.mjs"`,
        );
      const retriever = await loadCustomRetriever(config.module, config.options ?? {}, {
        baseDir: deps.baseDir,
        name: name === 'custom' ? undefined : name,
      });
      return limit === undefined
        ? retriever
        : {
            name: retriever.name,
            retrieve: (q, c) => retriever.retrieve({ ...q, limit: Math.min(q.limit, limit) }, c),
          };
    }
  }
}

/** The embedder an `ann` entry names (default `hash`, 256 dimensions). */
export function embedderFor(
  config: RetrieverConfig,
  deps: Pick<RetrieverDeps, 'embedders'> = {},
): Embedder {
  const spec = config.embedder ?? 'hash';
  return deps.embedders?.[spec] ?? embedderFromSpec(spec, config.options ?? {});
}

/**
 * The store's index set with the vector families the config's `ann` retrievers use registered
 * (the default stack: `hash-256`). Writers call this, then `sync()` after each batch and `save()`
 * at the end, so page calls find the indexes current.
 */
export function indexesFor(
  store: Store,
  configs: readonly RetrieverConfig[] | undefined,
  deps: Pick<RetrieverDeps, 'embedders'> = {},
): IndexSet {
  const set = IndexSet.of(store);
  for (const config of configs ?? DEFAULT_RETRIEVERS)
    if (config.kind === 'ann') set.vectors(embedderFor(config, deps));
  return set;
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
