// The OpenAI Chat Completions model, through the official SDK. The request body is exactly what
// `Runtime.pack(..., { mode: 'openai' })` rendered (and the trace hashed), plus `tools`/`tool_choice`.
import { OpenAI } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { OpenAiChatRequest } from '../../src-core/index';
import type { Model, ModelReply, ModelRequest } from './model';
import type { ToolSpec } from './tools';

/** Options of {@link OpenAiModel}. */
export interface OpenAiModelOptions {
  readonly apiKey: string;
  /** The model profile and API model name (default gpt-4o-mini). */
  readonly model?: string | undefined;
  /** An OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8080/v1`; default the SDK's (or `OPENAI_BASE_URL`). */
  readonly baseURL?: string | undefined;
  /** Retries on transient errors (default the SDK's, 2). */
  readonly maxRetries?: number | undefined;
}

/** The tool list in the Chat Completions shape. */
export function openAiTools(
  tools: readonly ToolSpec[],
): ChatCompletionCreateParamsNonStreaming['tools'] {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: { ...t.parameters } },
  }));
}

/** A model served by the OpenAI Chat Completions API (or a compatible server). */
export class OpenAiModel implements Model {
  readonly label: string;
  readonly profile: string;
  readonly mode = 'openai' as const;
  private readonly client: OpenAI;

  constructor(options: OpenAiModelOptions) {
    this.profile = options.model ?? 'gpt-4o-mini';
    this.label = `openai ${this.profile}`;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const body = request.packed.request as OpenAiChatRequest | undefined;
    if (body === undefined || request.packed.mode !== 'openai')
      throw new Error(`OpenAiModel needs a call packed in openai mode, got ${request.packed.mode}`);
    const params: ChatCompletionCreateParamsNonStreaming = {
      ...body,
      ...(request.tools.length === 0
        ? {}
        : { tools: openAiTools(request.tools), tool_choice: request.toolChoice }),
    };
    const completion = await this.client.chat.completions.create(params);
    const message = completion.choices[0]?.message;
    if (message === undefined) throw new Error('the OpenAI response has no choices: try again');
    const toolCalls = (message.tool_calls ?? []).flatMap((c) =>
      c.type === 'function'
        ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }]
        : [],
    );
    const usage = completion.usage;
    return {
      text: message.content ?? '',
      toolCalls,
      ...(usage === undefined
        ? {}
        : {
            usage: {
              inputTokens: usage.prompt_tokens,
              outputTokens: usage.completion_tokens,
              ...(usage.prompt_tokens_details?.cached_tokens === undefined
                ? {}
                : { cachedInputTokens: usage.prompt_tokens_details.cached_tokens }),
            },
          }),
    };
  }
}
