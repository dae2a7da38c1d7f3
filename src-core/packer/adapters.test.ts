import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, type ModelProfile } from '../config/index';
import { toAnthropicRequest, toOpenAiRequest } from './adapters';
import type { PackedChat } from './packer';

const gpt = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const claude = BUILTIN_PROFILES.find((p) => p.name === 'claude-sonnet-4-5') as ModelProfile;

const chat: PackedChat = {
  messages: [
    { role: 'system', content: '## System\nBe brief.\n' },
    { role: 'user', content: '## Retrieved\nAda lives in Lisbon.\n' },
    { role: 'user', content: 'What is 12*7?\n' },
    {
      role: 'assistant',
      content: 'Computing.\n',
      toolCalls: [{ id: 'call_1', name: 'calc', arguments: '{"expr":"12*7"}' }],
    },
    { role: 'tool', content: '84\n', toolCallId: 'call_1' },
    { role: 'user', content: '## Task\nanswer\n' },
  ],
  cacheBoundary: 0,
  tokens: 0,
  promptHash: '',
  spans: [],
};

describe('provider adapters', () => {
  it('produce the OpenAI Chat Completions request shape (type-checked against the official SDK)', () => {
    const request: ChatCompletionCreateParamsNonStreaming = toOpenAiRequest(chat, gpt);
    expect(request.model).toBe('gpt-4o');
    expect(request.messages[3]).toEqual({
      role: 'assistant',
      content: 'Computing.\n',
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'calc', arguments: '{"expr":"12*7"}' },
        },
      ],
    });
    expect(request.messages[4]).toEqual({ role: 'tool', content: '84\n', tool_call_id: 'call_1' });
  });

  it('produce the Anthropic Messages request shape with cache_control on the boundary (type-checked)', () => {
    const request: MessageCreateParamsNonStreaming = toAnthropicRequest(chat, claude);
    expect(request.system).toEqual([
      { type: 'text', text: '## System\nBe brief.\n', cache_control: { type: 'ephemeral' } },
    ]);
    expect(request.max_tokens).toBe(claude.reservedOutputTokens);
    // Consecutive user turns merge; the tool result is a user turn right after the tool use.
    expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[1]?.content).toEqual([
      { type: 'text', text: 'Computing.\n' },
      { type: 'tool_use', id: 'call_1', name: 'calc', input: { expr: '12*7' } },
    ]);
    expect(request.messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'call_1', content: '84\n' },
      { type: 'text', text: '## Task\nanswer\n' },
    ]);
  });

  it('put cache_control on a non-system boundary message too', () => {
    const request = toAnthropicRequest(
      { ...chat, messages: chat.messages.slice(1), cacheBoundary: 0 },
      claude,
    );
    expect(request.system).toBeUndefined();
    expect(request.messages[0]?.content[0]).toMatchObject({ cache_control: { type: 'ephemeral' } });
  });
});
