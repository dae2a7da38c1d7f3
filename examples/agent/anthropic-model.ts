// The Anthropic Messages model, through the official SDK. The request body is exactly what
// `Runtime.pack(..., { mode: 'anthropic' })` rendered (system blocks with `cache_control` on the
// stable prefix, tool_use/tool_result pairs), plus `tools`/`tool_choice`.
import { Anthropic } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { AnthropicRequest } from '../../src-core/index';
import type { Model, ModelReply, ModelRequest } from './model';
import type { ToolSpec } from './tools';

/** Options of {@link AnthropicModel}. */
export interface AnthropicModelOptions {
  readonly apiKey: string;
  /** The model profile and API model name (default claude-haiku-4-5). */
  readonly model?: string | undefined;
  /** Another endpoint, e.g. `http://127.0.0.1:8080`; default the SDK's (or `ANTHROPIC_BASE_URL`). */
  readonly baseURL?: string | undefined;
  readonly maxRetries?: number | undefined;
  /**
   * Request timeout in ms (default 10 minutes). Set explicitly because the SDK refuses a
   * non-streaming request whose `max_tokens` (the profile's reserved output) suggests a long reply.
   */
  readonly timeoutMs?: number | undefined;
}

/** The tool list in the Messages API shape. */
export function anthropicTools(
  tools: readonly ToolSpec[],
): MessageCreateParamsNonStreaming['tools'] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: { ...t.parameters, required: [...t.parameters.required] },
  }));
}

/** A model served by the Anthropic Messages API. */
export class AnthropicModel implements Model {
  readonly label: string;
  readonly profile: string;
  readonly mode = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(options: AnthropicModelOptions) {
    this.profile = options.model ?? 'claude-haiku-4-5';
    this.label = `anthropic ${this.profile}`;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      timeout: options.timeoutMs ?? 600_000,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    });
  }

  async complete(request: ModelRequest): Promise<ModelReply> {
    const body = request.packed.request as AnthropicRequest | undefined;
    if (body === undefined || request.packed.mode !== 'anthropic')
      throw new Error(
        `AnthropicModel needs a call packed in anthropic mode, got ${request.packed.mode}`,
      );
    const params: MessageCreateParamsNonStreaming = {
      ...body,
      ...(request.tools.length === 0
        ? {}
        : { tools: anthropicTools(request.tools), tool_choice: { type: request.toolChoice } }),
    };
    const message = await this.client.messages.create(params);
    let text = '';
    const toolCalls: { id: string; name: string; arguments: string }[] = [];
    for (const block of message.content) {
      if (block.type === 'text') text += block.text;
      else if (block.type === 'tool_use')
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
    }
    const u = message.usage;
    const cached = u.cache_read_input_tokens ?? 0;
    // Anthropic's input_tokens excludes cache reads and writes; the trace wants the whole input.
    const input = u.input_tokens + cached + (u.cache_creation_input_tokens ?? 0);
    return {
      text,
      toolCalls,
      usage: { inputTokens: input, outputTokens: u.output_tokens, cachedInputTokens: cached },
    };
  }
}
