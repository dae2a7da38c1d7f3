import { describe, expect, it } from 'vitest';
import { readablePrompt } from './prompt-text';

describe('readablePrompt', () => {
  it('keeps a string prompt exactly', () => {
    expect(readablePrompt('## Task\nDo it.\n', 'string')).toBe('## Task\nDo it.\n');
  });

  it('lays out an OpenAI request one message per part, settings first, tool calls after the content', () => {
    const request = {
      max_completion_tokens: 100,
      messages: [
        { role: 'system', content: '## System\nBe brief.\n' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'calc', arguments: '{"x":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: '2' },
      ],
      model: 'gpt-4o',
    };
    expect(readablePrompt(JSON.stringify(request), 'openai')).toBe(
      [
        'max_completion_tokens: 100',
        'model: "gpt-4o"',
        '',
        '=== system ===',
        '## System\nBe brief.',
        '',
        '=== assistant ===',
        '→ calc({"x":1}) [c1]',
        '',
        '=== tool (c1) ===',
        '2',
      ].join('\n'),
    );
  });

  it('lays out an Anthropic request with its system text and content blocks', () => {
    const request = {
      model: 'claude',
      system: [{ type: 'text', text: 'Be kind.' }],
      messages: [
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'lookup', input: { q: 'a' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'found' }] },
      ],
    };
    const text = readablePrompt(JSON.stringify(request), 'anthropic');
    expect(text).toContain('=== system ===\nBe kind.');
    expect(text).toContain('→ lookup({"q":"a"}) [t1]');
    expect(text).toContain('[tool result t1]\nfound');
  });

  it('shows text that is not JSON as it is', () => {
    expect(readablePrompt('not json', 'chat')).toBe('not json');
  });
});
