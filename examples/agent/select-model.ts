// Which model the agent talks to: the scripted one offline, a real provider when its key is set.
import { AnthropicModel } from './anthropic-model';
import type { Model } from './model';
import { OpenAiModel } from './openai-model';
import { ScriptedModel } from './scripted-model';

/** The model providers the agent knows. */
export const PROVIDERS = ['scripted', 'openai', 'anthropic'] as const;
/** A model provider. */
export type Provider = (typeof PROVIDERS)[number];

/** What decides the model. */
export interface ModelChoice {
  /** Force a provider; default: `LLM386_AGENT_PROVIDER`, else openai with `OPENAI_API_KEY`, else anthropic with `ANTHROPIC_API_KEY`, else scripted. */
  readonly provider?: string | undefined;
  /** The model (profile) name; default per provider (scripted: gpt-4o, openai: gpt-4o-mini, anthropic: claude-haiku-4-5), or `LLM386_AGENT_MODEL`. */
  readonly model?: string | undefined;
  /** The provider endpoint; default `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` (read by the SDKs), else the public API. */
  readonly baseURL?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** The provider a choice resolves to, or throws naming the valid ones. */
export function resolveProvider(choice: ModelChoice): Provider {
  const named = choice.provider ?? choice.env.LLM386_AGENT_PROVIDER;
  if (named !== undefined && named !== '') {
    if (!isProvider(named))
      throw new Error(`unknown provider "${named}": use one of ${PROVIDERS.join(', ')}`);
    return named;
  }
  if ((choice.env.OPENAI_API_KEY ?? '') !== '') return 'openai';
  if ((choice.env.ANTHROPIC_API_KEY ?? '') !== '') return 'anthropic';
  return 'scripted';
}

/** Builds the model for a choice; a real provider without its API key is an error saying which variable to set. */
export function selectModel(choice: ModelChoice): Model {
  const provider = resolveProvider(choice);
  const model = choice.model ?? choice.env.LLM386_AGENT_MODEL;
  switch (provider) {
    case 'scripted':
      return new ScriptedModel({ profile: model });
    case 'openai': {
      const apiKey = choice.env.OPENAI_API_KEY;
      if (apiKey === undefined || apiKey === '')
        throw new Error(
          'the openai provider needs OPENAI_API_KEY: set it, or use --provider scripted',
        );
      return new OpenAiModel({
        apiKey,
        model,
        baseURL: choice.baseURL ?? choice.env.OPENAI_BASE_URL,
      });
    }
    case 'anthropic': {
      const apiKey = choice.env.ANTHROPIC_API_KEY;
      if (apiKey === undefined || apiKey === '')
        throw new Error(
          'the anthropic provider needs ANTHROPIC_API_KEY: set it, or use --provider scripted',
        );
      return new AnthropicModel({
        apiKey,
        model,
        baseURL: choice.baseURL ?? choice.env.ANTHROPIC_BASE_URL,
      });
    }
  }
}
