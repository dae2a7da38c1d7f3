import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { BUILTIN_PROFILES, findProfile, inputBudget, profilePrices } from './profiles';

describe('config', () => {
  it('parses extra profiles with the original snake_case keys', () => {
    const config = parseConfig(
      [
        '[[profile]]',
        'name = "local-llama"',
        'max_context_tokens = 8192',
        'reserved_output_tokens = 1024',
        'safety_margin_tokens = 64',
        'tokenizer = "cl100k_base"',
        'supports_system_role = false',
        'supports_tools = false',
      ].join('\n'),
    );
    const profile = findProfile('local-llama', config.profiles);
    expect(profile.maxContextTokens).toBe(8192);
    expect(profile.supportsSystemRole).toBe(false);
    expect(inputBudget(profile)).toBe(8192 - 1024 - 64);
  });

  it('refuses a profile defined twice, naming both lines', () => {
    const one =
      '[[profile]]\nname = "m"\nmax_context_tokens = 1000\nreserved_output_tokens = 10\ntokenizer = "cl100k_base"\n';
    expect(() => parseConfig(`${one}\n${one}`, 'c.toml')).toThrow(
      /c\.toml:8: profile "m" is defined twice \(lines 2 and 8\): rename or remove one/,
    );
  });

  it('allows a profile to replace a built-in, and says so', () => {
    const config = parseConfig(
      '[[profile]]\nname = "gpt-4o"\nmax_context_tokens = 1000\nreserved_output_tokens = 10\ntokenizer = "o200k_base"\n',
      'c.toml',
    );
    expect(config.warnings).toEqual([
      'c.toml:2: profile "gpt-4o" replaces the built-in profile of that name',
    ]);
    expect(parseConfig('').warnings).toEqual([]);
  });

  it('names the unknown key and its line', () => {
    const text = '[pager]\nspill = true\nspil = false\n';
    expect(() => parseConfig(text, 'my.toml')).toThrow(/my\.toml:3: pager\.spil: unknown key/);
  });

  it('names an out-of-range value and its line', () => {
    const text =
      '[[profile]]\nname = "x"\nmax_context_tokens = -5\nreserved_output_tokens = 1\ntokenizer = "o200k_base"\n';
    expect(() => parseConfig(text, 'p.toml')).toThrow(
      /p\.toml:3: profile\[0\]\.max_context_tokens/,
    );
  });

  it('reports malformed TOML with its line', () => {
    expect(() => parseConfig('a = 1\n[pager\n', 'bad.toml')).toThrow(/bad\.toml:2: malformed TOML/);
  });

  it('rejects section fractions that sum above 1', () => {
    expect(() => parseConfig('[section_budgets]\nretrieved = 0.9\nrecent = 0.5\n')).toThrow(
      /sum to at most 1/,
    );
  });

  it('defaults section budgets to the spec fractions', () => {
    const config = parseConfig('');
    expect(config.sectionBudgets).toEqual({
      state: 0.1,
      plan: 0.05,
      retrieved: 0.55,
      tools: 0.1,
      recent: 0.1,
      background: 0.05,
    });
  });

  it('marks Anthropic profiles as approximate and OpenAI ones as exact', () => {
    for (const p of BUILTIN_PROFILES) expect(p.tokenizerExact).toBe(p.provider === 'openai');
  });

  it('rejects an unknown model with a hint', () => {
    expect(() => findProfile('gpt-9000')).toThrow(/unknown model "gpt-9000".*list-models/);
  });

  it('reads per-million input and output prices of a profile', () => {
    const config = parseConfig(
      '[[profile]]\nname = "local"\nmax_context_tokens = 8192\nreserved_output_tokens = 1024\ntokenizer = "cl100k_base"\ninput_price_per_million = 0.3\noutput_price_per_million = 1.2\n',
    );
    expect(profilePrices(findProfile('local', config.profiles))).toEqual({
      input: 0.3,
      output: 1.2,
    });
  });

  it('leaves a profile without prices unpriced', () => {
    const config = parseConfig(
      '[[profile]]\nname = "local"\nmax_context_tokens = 8192\nreserved_output_tokens = 1024\ntokenizer = "cl100k_base"\n',
    );
    expect(profilePrices(findProfile('local', config.profiles))).toBeUndefined();
  });

  it('overrides a built-in profile’s prices, keeping the built-in’s where the config sets none', () => {
    const base =
      '[[profile]]\nname = "gpt-4o"\nmax_context_tokens = 128000\nreserved_output_tokens = 16384\ntokenizer = "o200k_base"\n';
    expect(
      profilePrices(
        findProfile('gpt-4o', parseConfig(`${base}input_price_per_million = 1\n`).profiles),
      ),
    ).toEqual({ input: 1, output: 10 });
    expect(profilePrices(findProfile('gpt-4o', parseConfig(base).profiles))).toEqual({
      input: 2.5,
      output: 10,
    });
  });

  it('refuses a negative price, naming the key and its line', () => {
    const text =
      '[[profile]]\nname = "x"\nmax_context_tokens = 1000\nreserved_output_tokens = 1\ntokenizer = "o200k_base"\noutput_price_per_million = -2\n';
    expect(() => parseConfig(text, 'p.toml')).toThrow(
      /p\.toml:6: profile\[0\]\.output_price_per_million: Too small/,
    );
    expect(() => parseConfig(text.replace('-2', '"two"'), 'p.toml')).toThrow(
      /profile\[0\]\.output_price_per_million/,
    );
  });

  it('prices every built-in OpenAI and Anthropic model of the current list', () => {
    const unpriced = BUILTIN_PROFILES.filter((p) => profilePrices(p) === undefined).map(
      (p) => p.name,
    );
    expect(unpriced).toEqual(['gpt-4-turbo', 'gpt-3.5-turbo']);
    expect(profilePrices(findProfile('claude-sonnet-4-5'))).toEqual({ input: 3, output: 15 });
    expect(profilePrices(findProfile('gpt-5'))).toEqual({ input: 1.25, output: 10 });
  });
});
