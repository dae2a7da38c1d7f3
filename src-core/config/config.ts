import { readFileSync } from 'node:fs';
import { parse as parseToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { Llm386Error, SECTIONS } from '../base/index';
import { TOKENIZER_IDS } from '../tokenizer/index';
import { locateKey } from './locate';
import { BUILTIN_PROFILES, MAX_BUDGET_TOKENS, type ModelProfile } from './profiles';

/** Section fractions of the budget left after task, required and System blocks. */
export interface SectionBudgets {
  readonly state: number;
  readonly plan: number;
  readonly retrieved: number;
  readonly tools: number;
  readonly recent: number;
  readonly background: number;
}

/** Default fractions; what is left (0.05) is Slack and never filled. */
export const DEFAULT_SECTION_BUDGETS: SectionBudgets = {
  state: 0.1,
  plan: 0.05,
  retrieved: 0.55,
  tools: 0.1,
  recent: 0.1,
  background: 0.05,
};

/** One entry of the retriever stack as configured. */
export interface RetrieverConfig {
  readonly kind: 'recency' | 'lexical' | 'bm25' | 'ann' | 'pinned' | 'session' | 'custom';
  readonly name: string;
  readonly weight: number;
  readonly limit?: number | undefined;
  readonly halfLifeSecs?: number | undefined;
  readonly k1?: number | undefined;
  readonly b?: number | undefined;
  readonly embedder?: string | undefined;
  readonly ids?: readonly string[] | undefined;
  readonly kinds?: readonly string[] | undefined;
  readonly module?: string | undefined;
  readonly options?: Readonly<Record<string, unknown>> | undefined;
}

/** Switches of the pager. */
export interface PagerConfig {
  readonly includeDependencies: boolean;
  readonly summarySubstitution: boolean;
  /** Jaccard similarity above which a candidate counts as a near-duplicate; 1 disables the check. */
  readonly redundancyThreshold: number;
  readonly priorityWeight: number;
  readonly spill: boolean;
  readonly globalSessions: readonly string[];
  /**
   * How retrievers' scores are fused and sections filled: `relevance` (default) or the seed's
   * `max` (see the pager README). Trace records made before this setting existed lack it and
   * replay as `max`.
   */
  readonly fusion: 'relevance' | 'max';
  /**
   * How a plan charges rendering: `exact` (default) for the rendering it is made for (string,
   * chat or a provider format), so its `used` is the packed prompt's exact count; `bound` charges
   * every section header and each block's larger rendering, an upper bound on both (the rule
   * before plans had a rendering). Trace records made before this setting lack it and replay as
   * `bound`.
   */
  readonly accounting: 'exact' | 'bound';
}

/** The whole validated configuration. */
export interface Config {
  readonly profiles: readonly ModelProfile[];
  readonly retrievers: readonly RetrieverConfig[] | undefined;
  readonly sectionBudgets: SectionBudgets;
  readonly pager: PagerConfig;
  readonly packer: { readonly includeTimestamps: boolean };
  readonly cache: { readonly stableSections: readonly string[] };
  /** Where the config came from, for messages. */
  readonly source: string | undefined;
  /** Things the file does that are allowed but worth saying (a profile replacing a built-in). */
  readonly warnings?: readonly string[] | undefined;
}

/** The configuration used when no file is given. */
export const DEFAULT_CONFIG: Config = {
  profiles: [],
  retrievers: undefined,
  sectionBudgets: DEFAULT_SECTION_BUDGETS,
  pager: {
    includeDependencies: true,
    summarySubstitution: true,
    redundancyThreshold: 1,
    priorityWeight: 0.5,
    spill: true,
    globalSessions: [],
    fusion: 'relevance',
    accounting: 'exact',
  },
  packer: { includeTimestamps: false },
  cache: { stableSections: ['system', 'background'] },
  source: undefined,
};

const fraction = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

const profileSchema = z.strictObject({
  name: z.string().min(1),
  provider: z.enum(['openai', 'anthropic', 'custom']).optional(),
  max_context_tokens: positiveInt.max(MAX_BUDGET_TOKENS),
  reserved_output_tokens: z.number().int().min(0),
  safety_margin_tokens: z.number().int().min(0).default(0),
  tokenizer: z.enum(TOKENIZER_IDS),
  tokenizer_exact: z.boolean().default(true),
  supports_system_role: z.boolean().default(true),
  supports_tools: z.boolean().default(true),
  /** US dollars per million tokens; a profile replacing a built-in keeps the built-in's prices unless it sets them. */
  input_price_per_million: z.number().min(0).max(10_000).optional(),
  output_price_per_million: z.number().min(0).max(10_000).optional(),
});

const retrieverSchema = z.strictObject({
  kind: z.enum(['recency', 'lexical', 'bm25', 'ann', 'pinned', 'session', 'custom']),
  name: z.string().min(1).optional(),
  weight: z.number().min(0).max(100).default(1),
  limit: positiveInt.optional(),
  half_life_secs: z.number().positive().optional(),
  k1: z.number().min(0).max(10).optional(),
  b: fraction.optional(),
  embedder: z.string().min(1).optional(),
  ids: z.array(z.string()).optional(),
  kinds: z.array(z.string()).optional(),
  module: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const sectionBudgetsSchema = z
  .strictObject({
    state: fraction.optional(),
    plan: fraction.optional(),
    retrieved: fraction.optional(),
    tools: fraction.optional(),
    recent: fraction.optional(),
    background: fraction.optional(),
  })
  .transform((v) => ({ ...DEFAULT_SECTION_BUDGETS, ...stripUndefined(v) }))
  .refine((v) => Object.values(v).reduce((a, b) => a + b, 0) <= 1 + 1e-9, {
    message: 'section fractions must sum to at most 1',
  });

const configSchema = z.strictObject({
  profile: z.array(profileSchema).optional(),
  retriever: z.array(retrieverSchema).optional(),
  section_budgets: sectionBudgetsSchema.optional(),
  pager: z
    .strictObject({
      include_dependencies: z.boolean().optional(),
      summary_substitution: z.boolean().optional(),
      redundancy_threshold: fraction.optional(),
      priority_weight: z.number().min(0).max(10).optional(),
      spill: z.boolean().optional(),
      global_sessions: z.array(z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/)).optional(),
      fusion: z.enum(['relevance', 'max']).optional(),
      accounting: z.enum(['exact', 'bound']).optional(),
    })
    .optional(),
  packer: z.strictObject({ include_timestamps: z.boolean().optional() }).optional(),
  cache: z.strictObject({ stable_sections: z.array(z.enum(SECTIONS)).optional() }).optional(),
});

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Parses and validates TOML config text; errors name the key and its line. */
export function parseConfig(text: string, source = 'config'): Config {
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0] ?? error.message;
      throw new Llm386Error('config-invalid', `${source}:${error.line}: malformed TOML: ${first}`, {
        cause: error,
      });
    }
    throw error;
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue === undefined) throw new Llm386Error('config-invalid', `${source}: invalid config`);
    let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined)
      path = [...path, issue.keys[0]];
    const line = locateKey(text, path);
    const key =
      path
        .map((p) => (typeof p === 'number' ? `[${p}]` : p))
        .join('.')
        .replaceAll('.[', '[') || '(root)';
    const what = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
    throw new Llm386Error(
      'config-invalid',
      `${source}${line === undefined ? '' : `:${line}`}: ${key}: ${what}: fix or remove it (see the README's config section)`,
    );
  }
  const v = result.data;
  const d = DEFAULT_CONFIG;
  const warnings: string[] = [];
  const seen = new Map<string, number>();
  for (const [i, p] of (v.profile ?? []).entries()) {
    const line = locateKey(text, ['profile', i, 'name']);
    const first = seen.get(p.name);
    if (first !== undefined) {
      const firstLine = locateKey(text, ['profile', first, 'name']);
      throw new Llm386Error(
        'config-invalid',
        `${source}${line === undefined ? '' : `:${line}`}: profile "${p.name}" is defined twice (lines ${firstLine ?? '?'} and ${line ?? '?'}): rename or remove one`,
      );
    }
    seen.set(p.name, i);
    if (BUILTIN_PROFILES.some((b) => b.name === p.name)) {
      warnings.push(
        `${source}${line === undefined ? '' : `:${line}`}: profile "${p.name}" replaces the built-in profile of that name`,
      );
    }
  }
  return {
    warnings,
    profiles: (v.profile ?? []).map((p) => ({
      ...profilePricesOf(p),
      name: p.name,
      provider: p.provider ?? 'custom',
      maxContextTokens: p.max_context_tokens,
      reservedOutputTokens: p.reserved_output_tokens,
      safetyMarginTokens: p.safety_margin_tokens,
      tokenizer: p.tokenizer,
      tokenizerExact: p.tokenizer_exact,
      supportsSystemRole: p.supports_system_role,
      supportsTools: p.supports_tools,
    })),
    retrievers: v.retriever?.map((r) => ({
      kind: r.kind,
      name: r.name ?? r.kind,
      weight: r.weight,
      limit: r.limit,
      halfLifeSecs: r.half_life_secs,
      k1: r.k1,
      b: r.b,
      embedder: r.embedder,
      ids: r.ids,
      kinds: r.kinds,
      module: r.module,
      options: r.options,
    })),
    sectionBudgets: v.section_budgets ?? d.sectionBudgets,
    pager: {
      includeDependencies: v.pager?.include_dependencies ?? d.pager.includeDependencies,
      summarySubstitution: v.pager?.summary_substitution ?? d.pager.summarySubstitution,
      redundancyThreshold: v.pager?.redundancy_threshold ?? d.pager.redundancyThreshold,
      priorityWeight: v.pager?.priority_weight ?? d.pager.priorityWeight,
      spill: v.pager?.spill ?? d.pager.spill,
      globalSessions: v.pager?.global_sessions ?? d.pager.globalSessions,
      fusion: v.pager?.fusion ?? d.pager.fusion,
      accounting: v.pager?.accounting ?? d.pager.accounting,
    },
    packer: { includeTimestamps: v.packer?.include_timestamps ?? d.packer.includeTimestamps },
    cache: { stableSections: v.cache?.stable_sections ?? d.cache.stableSections },
    source,
  };
}

/** A configured profile's prices: its own, or those of the built-in it replaces (per price). */
function profilePricesOf(p: {
  name: string;
  input_price_per_million?: number | undefined;
  output_price_per_million?: number | undefined;
}): Pick<ModelProfile, 'inputPricePerMillion' | 'outputPricePerMillion'> {
  const builtin = BUILTIN_PROFILES.find((b) => b.name === p.name);
  const input = p.input_price_per_million ?? builtin?.inputPricePerMillion;
  const output = p.output_price_per_million ?? builtin?.outputPricePerMillion;
  return {
    ...(input === undefined ? {} : { inputPricePerMillion: input }),
    ...(output === undefined ? {} : { outputPricePerMillion: output }),
  };
}

/** Reads and validates a TOML config file. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Llm386Error(
      'config-not-found',
      `cannot read config ${path}: check the --config path or LLM386_CONFIG`,
      {
        cause: error,
      },
    );
  }
  return parseConfig(text, path);
}
