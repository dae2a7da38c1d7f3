import { Llm386Error } from '../base/index';
import type { TokenizerId } from '../tokenizer/index';

/** What the pager and packer need to know about a model. */
export interface ModelProfile {
  readonly name: string;
  readonly provider: 'openai' | 'anthropic' | 'custom';
  readonly maxContextTokens: number;
  readonly reservedOutputTokens: number;
  readonly safetyMarginTokens: number;
  readonly tokenizer: TokenizerId;
  /** False when counts only approximate the provider's tokenizer (Anthropic): say so wherever a count is shown. */
  readonly tokenizerExact: boolean;
  readonly supportsSystemRole: boolean;
  readonly supportsTools: boolean;
  /** List price in US dollars per million input tokens; absent when unknown (no cost is shown). */
  readonly inputPricePerMillion?: number | undefined;
  /** List price in US dollars per million output tokens; absent when unknown. */
  readonly outputPricePerMillion?: number | undefined;
}

/** A profile's list prices, US dollars per million tokens. */
export interface ModelPrices {
  readonly input: number;
  readonly output: number;
}

/** Both list prices of a profile, or undefined when either is unknown. */
export function profilePrices(profile: ModelProfile): ModelPrices | undefined {
  const { inputPricePerMillion: input, outputPricePerMillion: output } = profile;
  return input === undefined || output === undefined ? undefined : { input, output };
}

/**
 * The largest input budget (and model context) anything accepts: 10 million tokens. One cap in
 * the CLI, the library, bundles, configs and the inspector, so every traced call can be exported
 * and imported again.
 */
export const MAX_BUDGET_TOKENS = 10_000_000;

/** The input budget: `maxContextTokens - reservedOutputTokens - safetyMarginTokens`. */
export function inputBudget(profile: ModelProfile): number {
  return Math.max(
    0,
    profile.maxContextTokens - profile.reservedOutputTokens - profile.safetyMarginTokens,
  );
}

function openai(
  name: string,
  maxContextTokens: number,
  reservedOutputTokens: number,
  prices: readonly [input: number, output: number] | undefined,
  tokenizer: TokenizerId = 'o200k_base',
): ModelProfile {
  return {
    ...priced(prices),
    name,
    provider: 'openai',
    maxContextTokens,
    reservedOutputTokens,
    safetyMarginTokens: 256,
    tokenizer,
    tokenizerExact: true,
    supportsSystemRole: true,
    supportsTools: true,
  };
}

function anthropic(
  name: string,
  maxContextTokens: number,
  reservedOutputTokens: number,
  prices: readonly [input: number, output: number],
): ModelProfile {
  // Anthropic publishes no tokenizer; cl100k_base is a close proxy. A wider safety margin
  // absorbs the difference and every count shown for these profiles is marked approximate.
  return {
    ...priced(prices),
    name,
    provider: 'anthropic',
    maxContextTokens,
    reservedOutputTokens,
    safetyMarginTokens: Math.round(maxContextTokens * 0.05),
    tokenizer: 'cl100k_base',
    tokenizerExact: false,
    supportsSystemRole: true,
    supportsTools: true,
  };
}

function priced(
  prices: readonly [input: number, output: number] | undefined,
): Pick<ModelProfile, 'inputPricePerMillion' | 'outputPricePerMillion'> {
  return prices === undefined
    ? {}
    : { inputPricePerMillion: prices[0], outputPricePerMillion: prices[1] };
}

/**
 * Built-in profiles for current OpenAI and Anthropic models, with list prices (USD per million
 * input / output tokens, standard tier, no caching or batch discount).
 *
 * Prices as listed in 2026: OpenAI's pricing page (https://developers.openai.com/api/docs/pricing,
 * as tabulated at https://chatgptpricing-akr.pages.dev/api-pricing and
 * https://deploybase.ai/articles/openai-pricing); Anthropic's pricing page
 * (https://platform.claude.com/docs/en/about-claude/pricing). gpt-4-turbo and gpt-3.5-turbo carry
 * none: no current list price was found for them. A `[[profile]]` in the config overrides them.
 */
export const BUILTIN_PROFILES: readonly ModelProfile[] = [
  openai('gpt-5', 400_000, 128_000, [1.25, 10]),
  openai('gpt-5-mini', 400_000, 128_000, [0.25, 2]),
  openai('gpt-5-nano', 400_000, 128_000, [0.05, 0.4]),
  openai('gpt-4.1', 1_047_576, 32_768, [2, 8]),
  openai('gpt-4.1-mini', 1_047_576, 32_768, [0.4, 1.6]),
  openai('gpt-4.1-nano', 1_047_576, 32_768, [0.1, 0.4]),
  openai('gpt-4o', 128_000, 16_384, [2.5, 10]),
  openai('gpt-4o-mini', 128_000, 16_384, [0.15, 0.6]),
  openai('o3', 200_000, 100_000, [2, 8]),
  openai('o4-mini', 200_000, 100_000, [1.1, 4.4]),
  openai('gpt-4-turbo', 128_000, 4_096, undefined, 'cl100k_base'),
  openai('gpt-3.5-turbo', 16_385, 4_096, undefined, 'cl100k_base'),
  anthropic('claude-opus-4-5', 200_000, 32_000, [5, 25]),
  anthropic('claude-opus-4-1', 200_000, 32_000, [15, 75]),
  anthropic('claude-sonnet-4-5', 200_000, 64_000, [3, 15]),
  anthropic('claude-sonnet-4', 200_000, 64_000, [3, 15]),
  anthropic('claude-haiku-4-5', 200_000, 64_000, [1, 5]),
  anthropic('claude-3-5-haiku', 200_000, 8_192, [0.8, 4]),
];

/** The profile used when none is named. */
export const DEFAULT_MODEL = 'gpt-4o';

/** Finds a profile by name among built-ins and extra profiles (extras win), or throws `unknown-model`. */
export function findProfile(name: string, extra: readonly ModelProfile[] = []): ModelProfile {
  const found = extra.find((p) => p.name === name) ?? BUILTIN_PROFILES.find((p) => p.name === name);
  if (found === undefined) {
    throw new Llm386Error(
      'unknown-model',
      `unknown model "${name}": run \`llm386 list-models\` for the known ones, or add a [[profile]] to your config`,
    );
  }
  return found;
}

/** Every profile known with this config: extras first, then built-ins not overridden. */
export function allProfiles(extra: readonly ModelProfile[] = []): ModelProfile[] {
  const names = new Set(extra.map((p) => p.name));
  return [...extra, ...BUILTIN_PROFILES.filter((p) => !names.has(p.name))];
}
