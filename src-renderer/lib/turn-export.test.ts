import { describe, expect, it } from 'vitest';
import type { TurnDetail, TurnPrompt } from '../../src-main/api/contract';
import { turnExport, turnExportName } from './turn-export';

const detail = {
  turn: {
    callId: 'c'.repeat(32),
    session: 'chat',
    createdAt: 1,
    model: 'gpt-4o',
    inputBudget: 100,
    tokens: 50,
    overhead: 5,
    selected: 1,
    omitted: 0,
    task: 't',
    mode: 'openai',
    promptHash: 'h',
    hasOutput: true,
  },
  plan: { selected: [], omitted: [] },
  blocks: {},
  policy: { sectionBudgets: {}, weights: {}, switches: {} },
  previous: null,
  next: null,
  missing: [],
} as unknown as TurnDetail;

const prompt: TurnPrompt = {
  mode: 'openai',
  prompt: { text: '## Task\nt', tokens: 9, promptHash: 'x', spans: [] },
  chat: {
    messages: [{ role: 'user', content: 't', toolCalls: [], toolCallId: null }],
    cacheBoundary: null,
    tokens: 50,
    promptHash: 'h',
    spans: [],
  },
  exact: true,
  request: '{"model":"gpt-4o","messages":[]}',
  output: { text: 'done', recordedAt: 2, inputTokens: null, outputTokens: null },
};

describe('turn export', () => {
  it('holds the plan, the prompt, the messages, the request sent and the output', () => {
    const json = turnExport(detail, prompt);
    expect(json).toMatchObject({
      format: 'llm386-turn',
      version: 1,
      turn: detail.turn,
      plan: detail.plan,
      messages: prompt.chat?.messages,
      output: prompt.output,
    });
    expect(json['prompt']).toMatchObject({
      mode: 'openai',
      exact: true,
      text: '## Task\nt',
      tokens: 50,
      promptHash: 'h',
    });
    expect(json['request']).toEqual({ model: 'gpt-4o', messages: [] });
  });

  it('is named after the session and the call', () => {
    expect(turnExportName(detail)).toBe(`llm386-turn-chat-${'c'.repeat(32)}.json`);
  });
});
