// The AI SDK middleware against the SDK's own mock models: what the model receives is the packed,
// traced prompt; the caller's messages, the replies, tool pairs and usage land in the store once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, isStepCount, jsonSchema, streamText, tool, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4, convertArrayToReadableStream } from 'ai/test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyText, decodeUtf8, openRuntime, tracePrompt, type Runtime } from '../index';
import { llm386, toPrompt } from './ai-sdk';

type Params = MockLanguageModelV4['doGenerateCalls'][number];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV4['doGenerate']>>;
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer P>
    ? P
    : never;

const usage = (input: number, output: number): GenerateResult['usage'] => ({
  inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});
const stop = { unified: 'stop', raw: 'stop' } as const;
const toolCalls = { unified: 'tool-calls', raw: 'tool_calls' } as const;

/** The text the model received, all messages joined: what it can answer from. */
function promptText(params: Params): string {
  return params.prompt
    .map((m) =>
      typeof m.content === 'string'
        ? m.content
        : m.content
            .map((p) =>
              'text' in p
                ? p.text
                : p.type === 'tool-result' && p.output.type === 'text'
                  ? p.output.value
                  : '',
            )
            .join(''),
    )
    .join('\n');
}

/** The prompt a recorded call packed, as the SDK prompt the middleware sends for it. */
function tracedPrompt(trace: ReturnType<Runtime['traces']>[number] | undefined): Params['prompt'] {
  const bytes = trace === undefined ? undefined : tracePrompt(rt.store, trace);
  return toPrompt(
    JSON.parse(bytes === undefined ? 'null' : (decodeUtf8(bytes) ?? 'null')) as Parameters<
      typeof toPrompt
    >[0],
  );
}

let dir: string;
let rt: Runtime;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-ai-sdk-'));
  rt = openRuntime(dir);
});

afterEach(async () => {
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The session's blocks as `kind: body` lines, oldest first. */
function blocks(session: string): string[] {
  return rt.store.list(session).map((r) => {
    const block = rt.store.get(r.id);
    return `${r.kind}: ${block === undefined ? '?' : bodyText(block.body, block.hash, decodeUtf8)}`;
  });
}

const calculator = tool({
  description: 'Evaluates a + b.',
  inputSchema: jsonSchema<{ a: number; b: number }>({
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  }),
  execute: async ({ a, b }) => String(a + b),
});

describe('generateText through llm386', () => {
  it("sends the model the packed, traced prompt instead of the caller's messages", async () => {
    rt.put({ session: 'chat', kind: 'fact', body: 'Ada lives in Lisbon.' });
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: 'Lisbon.' }],
        finishReason: stop,
        usage: usage(50, 2),
        warnings: [],
      },
    });
    const result = await generateText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini' }),
      }),
      system: 'You are terse.',
      prompt: 'Where does Ada live?',
    });
    expect(result.text).toBe('Lisbon.');
    const [trace] = rt.traces('chat');
    expect(trace?.task).toBe('Where does Ada live?');
    const sent = model.doGenerateCalls[0];
    // The model saw the stored fact, which the caller never sent: the prompt is the packed one.
    expect(promptText(sent as Params)).toContain('Ada lives in Lisbon.');
    expect(sent?.prompt).toEqual(tracedPrompt(trace));
    expect(result.providerMetadata?.['llm386']?.['callId']).toBe(trace?.callId);
  });

  it('stores the system prompt, the user message and the reply, and records output and usage', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: 'Hello, Ada.' }],
        finishReason: stop,
        usage: usage(40, 3),
        warnings: [],
      },
    });
    await generateText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini' }),
      }),
      system: 'Be kind.',
      prompt: 'Hi, I am Ada.',
    });
    expect(blocks('chat')).toEqual([
      'system: Be kind.',
      'user-message: Hi, I am Ada.',
      'assistant-message: Hello, Ada.',
    ]);
    const [trace] = rt.traces('chat');
    expect(trace?.output?.text).toBe('Hello, Ada.');
    expect(trace?.output?.usage).toEqual({
      inputTokens: 40,
      outputTokens: 3,
      cachedInputTokens: 0,
    });
  });

  it('runs a tool loop: the call and its result are paired, and nothing resent is stored twice', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: [
        {
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call-1',
              toolName: 'calculator',
              input: '{"a":2,"b":3}',
            },
          ],
          finishReason: toolCalls,
          usage: usage(60, 8),
          warnings: [],
        },
        {
          content: [{ type: 'text', text: '2 + 3 = 5.' }],
          finishReason: stop,
          usage: usage(80, 6),
          warnings: [],
        },
      ],
    });
    const result = await generateText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini' }),
      }),
      tools: { calculator },
      stopWhen: isStepCount(3),
      prompt: 'What is 2 + 3?',
    });
    expect(result.text).toBe('2 + 3 = 5.');
    expect(blocks('chat')).toEqual([
      'user-message: What is 2 + 3?',
      'assistant-message: (calling calculator({"a":2,"b":3}))',
      'tool-result: 5',
      'assistant-message: 2 + 3 = 5.',
    ]);
    const [, assistant, result1] = rt.store.list('chat');
    expect(assistant?.toolCalls).toEqual([
      { id: 'call-1', name: 'calculator', arguments: '{"a":2,"b":3}' },
    ]);
    expect(result1?.toolCallId).toBe('call-1');
    expect(rt.store.edges(assistant!.id)).toContainEqual({
      from: assistant!.id,
      kind: 'tool-invocation',
      to: result1!.id,
    });
    // The second step's prompt is packed from the store: the call with its result right after it.
    const second = model.doGenerateCalls[1]?.prompt ?? [];
    const callAt = second.findIndex(
      (m) =>
        m.role === 'assistant' &&
        m.content.some((p) => p.type === 'tool-call' && p.toolCallId === 'call-1'),
    );
    expect(callAt).toBeGreaterThan(-1);
    expect(second[callAt + 1]).toMatchObject({
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'call-1', toolName: 'calculator' }],
    });
    const traces = rt.traces('chat');
    expect(model.doGenerateCalls.map((c) => c.prompt)).toEqual(traces.map((t) => tracedPrompt(t)));
    expect(traces.map((t) => t.output?.text)).toEqual([
      '[tool call] calculator({"a":2,"b":3})',
      '2 + 3 = 5.',
    ]);
    expect(traces.map((t) => t.output?.usage?.outputTokens)).toEqual([8, 6]);
  });

  it('stores a conversation resent in full on the next turn only once', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: [
        {
          content: [{ type: 'text', text: 'Noted: Lisbon.' }],
          finishReason: stop,
          usage: usage(30, 3),
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'You live in Lisbon.' }],
          finishReason: stop,
          usage: usage(40, 5),
          warnings: [],
        },
      ],
    });
    const wrapped = wrapLanguageModel({
      model,
      middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini' }),
    });
    const first = await generateText({
      model: wrapped,
      system: 'Be kind.',
      prompt: 'I live in Lisbon.',
    });
    await generateText({
      model: wrapped,
      system: 'Be kind.',
      messages: [
        { role: 'user', content: 'I live in Lisbon.' },
        ...first.response.messages,
        { role: 'user', content: 'Where do I live?' },
      ],
    });
    expect(blocks('chat')).toEqual([
      'system: Be kind.',
      'user-message: I live in Lisbon.',
      'assistant-message: Noted: Lisbon.',
      'user-message: Where do I live?',
      'assistant-message: You live in Lisbon.',
    ]);
  });

  it('pages within the budget it is given', async () => {
    for (let i = 0; i < 40; i++)
      rt.put({
        session: 'chat',
        kind: 'document-chunk',
        body: `Background note ${i}: ${'lorem ipsum '.repeat(20)}`,
      });
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: 'ok' }],
        finishReason: stop,
        usage: usage(1, 1),
        warnings: [],
      },
    });
    await generateText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini', budget: 400 }),
      }),
      prompt: 'Summarise the notes.',
    });
    const [trace] = rt.traces('chat');
    expect(trace?.tokens).toBeLessThanOrEqual(400);
    expect(trace?.plan.omitted.length).toBeGreaterThan(0);
  });

  it('takes the task from the option, and names the option when the model id is no known profile', async () => {
    const model = new MockLanguageModelV4({
      doGenerate: {
        content: [{ type: 'text', text: 'ok' }],
        finishReason: stop,
        usage: usage(1, 1),
        warnings: [],
      },
    });
    await generateText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 'chat', model: 'gpt-4o-mini', task: 'Answer briefly.' }),
      }),
      prompt: 'Hi',
    });
    expect(rt.traces('chat')[0]?.task).toBe('Answer briefly.');
    await expect(
      generateText({
        model: wrapLanguageModel({ model, middleware: llm386(rt, { session: 'chat' }) }),
        prompt: 'Hi',
        maxRetries: 0,
      }),
    ).rejects.toThrow(/model: 'gpt-4o'/);
  });
});

describe('streamText through llm386', () => {
  const streamOf = (parts: StreamPart[]) => ({ stream: convertArrayToReadableStream(parts) });

  it('streams the reply through and records it, with its tool calls and usage, once the stream ends', async () => {
    const model = new MockLanguageModelV4({
      doStream: [
        streamOf([
          { type: 'stream-start', warnings: [] },
          {
            type: 'tool-call',
            toolCallId: 'call-9',
            toolName: 'calculator',
            input: '{"a":40,"b":2}',
          },
          { type: 'finish', finishReason: toolCalls, usage: usage(70, 9) },
        ]),
        streamOf([
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't1' },
          { type: 'text-delta', id: 't1', delta: 'It is ' },
          { type: 'text-delta', id: 't1', delta: '42.' },
          { type: 'text-end', id: 't1' },
          { type: 'finish', finishReason: stop, usage: usage(90, 4) },
        ]),
      ],
    });
    const result = streamText({
      model: wrapLanguageModel({
        model,
        middleware: llm386(rt, { session: 's', model: 'gpt-4o-mini' }),
      }),
      tools: { calculator },
      stopWhen: isStepCount(3),
      prompt: 'What is 40 + 2?',
    });
    expect(await result.text).toBe('It is 42.');
    expect(blocks('s')).toEqual([
      'user-message: What is 40 + 2?',
      'assistant-message: (calling calculator({"a":40,"b":2}))',
      'tool-result: 42',
      'assistant-message: It is 42.',
    ]);
    const [assistant, toolResult] = rt.store.list('s').slice(1);
    expect(rt.store.edges(assistant!.id)).toContainEqual({
      from: assistant!.id,
      kind: 'tool-invocation',
      to: toolResult!.id,
    });
    const traces = rt.traces('s');
    expect(traces.map((t) => t.output?.text)).toEqual([
      '[tool call] calculator({"a":40,"b":2})',
      'It is 42.',
    ]);
    expect(traces.map((t) => t.output?.usage)).toEqual([
      { inputTokens: 70, outputTokens: 9, cachedInputTokens: 0 },
      { inputTokens: 90, outputTokens: 4, cachedInputTokens: 0 },
    ]);
    expect(model.doStreamCalls.map((c) => c.prompt)).toEqual(traces.map((t) => tracedPrompt(t)));
    expect(promptText(model.doStreamCalls[1] as Params)).toContain('42');
    expect((await result.providerMetadata)?.['llm386']?.['callId']).toBe(traces[1]?.callId);
  });
});
