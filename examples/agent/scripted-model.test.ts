import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src-core/index';
import { splitMemory } from './memory';
import {
  arithmeticIn,
  scriptedReply,
  secondPerson,
  statedFacts,
  TURN_TASK_PREFIX,
} from './scripted-model';

const system: ChatMessage = { role: 'system', content: '## System\nYou are an assistant.\n' };
const task = (text: string): ChatMessage => ({
  role: 'user',
  content: `## Task\n${TURN_TASK_PREFIX}${text}\n`,
});
const user = (text: string): ChatMessage => ({ role: 'user', content: `${text}\n` });

describe('statedFacts', () => {
  it('turns what the user says about themselves into fact sentences', () => {
    expect(statedFacts('Hi! My name is Ada Lovelace and I live in London.')).toEqual([
      "The user's name is Ada Lovelace.",
      'The user lives in London.',
    ]);
    expect(statedFacts('I moved to Vancouver now.')).toEqual(['The user lives in Vancouver.']);
    expect(statedFacts('I work as a nurse, and my favorite color is green.')).toEqual([
      'The user works as a nurse.',
      "The user's favorite color is green.",
    ]);
    expect(statedFacts('I work at Acme Corp.')).toEqual(['The user works at Acme Corp.']);
    expect(statedFacts('What is 2+2?')).toEqual([]);
  });
});

describe('arithmeticIn', () => {
  it('finds symbolic and worded expressions, not lone numbers', () => {
    expect(arithmeticIn('What is 12*7?')).toEqual(['12*7']);
    expect(arithmeticIn('compute (3 + 4) * 2 and 2^10 please')).toEqual(['(3 + 4) * 2', '2^10']);
    expect(arithmeticIn('what is 6 times 7')).toEqual(['6 * 7']);
    expect(arithmeticIn('I was born in 1990 and have 2 cats')).toEqual([]);
  });
});

describe('scriptedReply', () => {
  it('calls the calculator for arithmetic, then answers from the tool result', () => {
    const first = scriptedReply([system, user('What is 12*7?'), task('What is 12*7?')], true);
    expect(first.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{12}_1$/),
        name: 'calculator',
        arguments: '{"expression":"12*7"}',
      },
    ]);
    // Ids are unique per prompt, like a provider's, and deterministic.
    expect(scriptedReply([system, user('What is 12*7?'), task('What is 12*7?')], true)).toEqual(
      first,
    );
    expect(
      scriptedReply([system, user('What is 12*8?'), task('What is 12*8?')], true).toolCalls[0]?.id,
    ).not.toBe(first.toolCalls[0]?.id);
    const second = scriptedReply(
      [
        system,
        user('What is 12*7?'),
        { role: 'assistant', content: '(calling calculator)\n', toolCalls: first.toolCalls },
        { role: 'tool', content: '12*7 = 84\n', toolCallId: first.toolCalls[0]?.id },
        task('What is 12*7?'),
      ],
      true,
    );
    expect(second).toEqual({ text: '12*7 = 84.', toolCalls: [] });
  });

  it('looks up "my" profile by the name fact in the prompt', () => {
    const context: ChatMessage = {
      role: 'user',
      content: "## Retrieved\nThe user's name is Bo Chen.\n",
    };
    const reply = scriptedReply(
      [system, context, user('Look up my profile'), task('Look up my profile')],
      true,
    );
    expect(reply.toolCalls).toEqual([
      { id: expect.stringMatching(/_1$/), name: 'lookup_profile', arguments: '{"user":"Bo Chen"}' },
    ]);
  });

  it('stores stated facts through a memory envelope and answers from fact lines', () => {
    const told = scriptedReply(
      [system, user('My name is Ada Lovelace'), task('My name is Ada Lovelace')],
      true,
    );
    const split = splitMemory(told.text);
    expect(split.visible).toBe('Nice to meet you, Ada Lovelace! I will remember that.');
    expect(JSON.parse((split.envelope ?? '').replace(/```json|```/g, ''))).toEqual({
      events: [{ kind: 'fact', body: "The user's name is Ada Lovelace." }],
    });

    const context: ChatMessage = {
      role: 'user',
      content:
        "## Retrieved\nThe user's name is Ada Lovelace.\nThe user lives in London.\nThe user lives in Paris.\n",
    };
    expect(
      scriptedReply([system, context, user('What is my name?'), task('What is my name?')], true)
        .text,
    ).toBe('Your name is Ada Lovelace.');
    expect(
      scriptedReply([system, context, user('Where do I live?'), task('Where do I live?')], true)
        .text,
    ).toBe('You live in Paris.');
    expect(
      scriptedReply([system, user('What is my name?'), task('What is my name?')], true).text,
    ).toMatch(/^I don't know your name yet/);
  });

  it('prefers what the user said over a shared fact about them by name', () => {
    const context: ChatMessage = {
      role: 'user',
      content: "## Retrieved\nThe user's name is Bo Chen.\nBo Chen lives in Toronto.\n",
    };
    expect(
      scriptedReply([system, context, user('Where do I live?'), task('Where do I live?')], true)
        .text,
    ).toBe('You live in Toronto.');
    const moved: ChatMessage = {
      role: 'user',
      content:
        "## Retrieved\nThe user's name is Bo Chen.\nThe user lives in Vancouver.\nBo Chen lives in Toronto.\n",
    };
    expect(
      scriptedReply([system, moved, user('Where do I live?'), task('Where do I live?')], true).text,
    ).toBe('You live in Vancouver.');
  });

  it('reads the user text from the task when the message itself did not fit', () => {
    expect(scriptedReply([system, task('What is 2+2?')], true).toolCalls).toHaveLength(1);
  });

  it('answers in text when tools are not offered', () => {
    const reply = scriptedReply([system, user('What is 12*7?'), task('What is 12*7?')], false);
    expect(reply.toolCalls).toEqual([]);
    expect(reply.text).not.toBe('');
  });

  it('answers a question from a document line that shares its words', () => {
    const background: ChatMessage = {
      role: 'system',
      content:
        '## System\nYou are an assistant.\n## Background\nBM25 ranks documents by term frequency and inverse document frequency. The k1 parameter saturates term frequency.\n',
    };
    const reply = scriptedReply(
      [
        background,
        user('What does the k1 parameter of BM25 do?'),
        task('What does the k1 parameter of BM25 do?'),
      ],
      true,
    );
    expect(reply.text).toMatch(/^According to my notes: BM25 ranks documents/);
  });

  it('renders facts in the second person', () => {
    expect(secondPerson("The user's favorite color is green.")).toBe(
      'Your favorite color is green.',
    );
    expect(secondPerson('The user works as a nurse.')).toBe('You work as a nurse.');
  });
});
