import type { ModelProfile } from '../config/index';
import type { PackedChat } from './packer';

/** An OpenAI Chat Completions request body (the fields this adapter sets). */
export interface OpenAiChatRequest {
  model: string;
  messages: OpenAiMessage[];
  max_completion_tokens?: number;
}

/** One OpenAI chat message. */
export type OpenAiMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string; name?: string }
  | {
      role: 'assistant';
      content: string | null;
      name?: string;
      tool_calls?: {
        id: string;
        type: 'function';
        function: { name: string; arguments: string };
      }[];
    }
  | { role: 'tool'; content: string; tool_call_id: string };

/** The exact request body of the OpenAI Chat Completions API for a packed chat. */
export function toOpenAiRequest(chat: PackedChat, profile: ModelProfile): OpenAiChatRequest {
  const messages: OpenAiMessage[] = chat.messages.map((m) => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return m.name === undefined
          ? { role: 'user', content: m.content }
          : { role: 'user', content: m.content, name: m.name };
      case 'assistant':
        return m.toolCalls === undefined || m.toolCalls.length === 0
          ? {
              role: 'assistant',
              content: m.content,
              ...(m.name === undefined ? {} : { name: m.name }),
            }
          : {
              role: 'assistant',
              content: m.content,
              ...(m.name === undefined ? {} : { name: m.name }),
              tool_calls: m.toolCalls.map((c) => ({
                id: c.id,
                type: 'function' as const,
                function: { name: c.name, arguments: c.arguments },
              })),
            };
      case 'tool':
        return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
    }
  });
  return { model: profile.name, messages, max_completion_tokens: profile.reservedOutputTokens };
}

/** A text block of the Anthropic Messages API, optionally marking the end of the cached prefix. */
export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral' };
}

/** Anthropic content blocks used by this adapter. */
export type AnthropicContent =
  | AnthropicTextBlock
  | {
      type: 'tool_use';
      id: string;
      name: string;
      input: Record<string, unknown>;
      cache_control?: { type: 'ephemeral' };
    }
  | {
      type: 'tool_result';
      tool_use_id: string;
      content: string;
      cache_control?: { type: 'ephemeral' };
    };

/** An Anthropic Messages API request body (the fields this adapter sets). */
export interface AnthropicRequest {
  model: string;
  max_tokens: number;
  system?: AnthropicTextBlock[];
  messages: { role: 'user' | 'assistant'; content: AnthropicContent[] }[];
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return { raw: text };
  }
}

/**
 * The exact request body of the Anthropic Messages API for a packed chat: system messages become
 * the top-level `system` blocks, tool calls become `tool_use` blocks and tool results `tool_result`
 * blocks in a user turn, and `cache_control` marks the last block of the stable prefix.
 */
export function toAnthropicRequest(chat: PackedChat, profile: ModelProfile): AnthropicRequest {
  const system: AnthropicTextBlock[] = [];
  const messages: AnthropicRequest['messages'] = [];
  chat.messages.forEach((m, index) => {
    const cache =
      chat.cacheBoundary === index ? { cache_control: { type: 'ephemeral' as const } } : {};
    if (m.role === 'system') {
      system.push({ type: 'text', text: m.content, ...cache });
      return;
    }
    let role: 'user' | 'assistant';
    let content: AnthropicContent[];
    if (m.role === 'tool') {
      role = 'user';
      content = [
        { type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content, ...cache },
      ];
    } else if (m.role === 'assistant') {
      role = 'assistant';
      content = [{ type: 'text', text: m.content }];
      for (const c of m.toolCalls ?? [])
        content.push({
          type: 'tool_use',
          id: c.id,
          name: c.name,
          input: parseArguments(c.arguments),
        });
      const last = content[content.length - 1];
      if (last !== undefined && chat.cacheBoundary === index)
        content[content.length - 1] = { ...last, ...cache };
    } else {
      role = 'user';
      content = [{ type: 'text', text: m.content, ...cache }];
    }
    // Consecutive turns of one role (e.g. several tool results) are one turn in this API.
    const previous = messages[messages.length - 1];
    if (previous !== undefined && previous.role === role) previous.content.push(...content);
    else messages.push({ role, content });
  });
  return {
    model: profile.name,
    max_tokens: profile.reservedOutputTokens,
    ...(system.length === 0 ? {} : { system }),
    messages,
  };
}
