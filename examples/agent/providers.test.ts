import { afterEach, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  openRuntime,
  sha256Hex,
  tracePrompt,
  type Runtime,
  type TraceRecord,
} from '../../src-core/index';
import { runCli } from './cli';
import {
  anthropicMessage,
  openAiCompletion,
  startFakeProvider,
  type ReceivedRequest,
} from './fake-provider-server';
import { factEnvelope } from './memory';
import { resolveProvider, selectModel } from './select-model';
import { tempDir } from './test-helpers';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const c of pending) await c();
});

async function cli(args: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdin: process.stdin,
    out: (t) => (out += t),
    err: (t) => (err += t),
    env,
  });
  return { code, out, err };
}

/** The request body without what the agent adds to the packed request: tools and tool choice. */
function packedPart(request: ReceivedRequest): Record<string, unknown> {
  const { tools: _tools, tool_choice: _choice, ...rest } = request.body;
  return rest;
}

/** Checks that a request carried exactly the bytes the trace recorded (and hashed) for its call. */
function expectSentAsTraced(rt: Runtime, record: TraceRecord, request: ReceivedRequest): void {
  const sent = packedPart(request);
  expect(sha256Hex(canonicalJson(sent))).toBe(record.promptHash);
  expect(sent).toEqual(JSON.parse(tracePrompt(rt.store, record)?.toString('utf8') ?? 'null'));
}

function pairedBlocks(rt: Runtime, session: string, callId: string) {
  const caller = rt.store
    .list(session, { kinds: ['assistant-message'] })
    .find((b) => b.toolCalls?.some((c) => c.id === callId));
  const invoked = rt.store
    .edges(caller?.id as string, 'out')
    .filter((e) => e.kind === 'tool-invocation');
  const results = invoked.map((e) => rt.store.getRecord(e.to));
  return { caller, results };
}

describe('the OpenAI path (official SDK against a local fake server)', () => {
  it('sends the packed messages with tools, runs the tool, and stores the pair and the answer', async () => {
    const server = await startFakeProvider('/v1/chat/completions', [
      openAiCompletion(
        {
          content: null,
          toolCalls: [{ id: 'call_abc', name: 'calculator', arguments: '{"expression":"12*7"}' }],
        },
        { prompt: 300, completion: 20, cached: 0 },
      ),
      openAiCompletion(
        { content: `12*7 is 84, Ada.\n\n${factEnvelope(["The user's name is Ada."])}` },
        { prompt: 340, completion: 30, cached: 256 },
      ),
    ]);
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);

    const run = await cli(['--store', t.dir, 'My name is Ada. What is 12*7?'], {
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: `${server.origin}/v1`,
    });
    expect(run).toEqual({ code: 0, out: '12*7 is 84, Ada.\n', err: '' });

    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(first?.headers.authorization).toBe('Bearer test-key');
    expect(first?.body).toMatchObject({
      model: 'gpt-4o-mini',
      tool_choice: 'auto',
      max_completion_tokens: 16_384,
    });
    expect(
      (first?.body.tools as { function: { name: string } }[]).map((x) => x.function.name),
    ).toEqual(['calculator', 'lookup_profile']);
    expect(first?.body.messages).toContainEqual({
      role: 'user',
      content: 'My name is Ada. What is 12*7?\n',
    });

    const rt = openRuntime(t.dir, { create: false });
    cleanups.push(() => rt.close());
    const records = rt.traces('chat');
    expect(records).toHaveLength(2);
    expectSentAsTraced(rt, records[0] as TraceRecord, first as ReceivedRequest);
    expectSentAsTraced(rt, records[1] as TraceRecord, second as ReceivedRequest);

    // The second call carries the tool round trip, paired.
    const messages = second?.body.messages as {
      role: string;
      tool_calls?: { id: string }[];
      tool_call_id?: string;
      content: string;
    }[];
    const at = messages.findIndex(
      (m) => m.role === 'assistant' && m.tool_calls?.[0]?.id === 'call_abc',
    );
    expect(at).toBeGreaterThan(-1);
    expect(messages[at + 1]).toEqual({
      role: 'tool',
      tool_call_id: 'call_abc',
      content: '12*7 = 84\n',
    });

    // Stored: the calling message, its result (paired by id and edge), the answer and the fact.
    const { caller, results } = pairedBlocks(rt, 'chat', 'call_abc');
    expect(caller?.toolCalls).toEqual([
      { id: 'call_abc', name: 'calculator', arguments: '{"expression":"12*7"}' },
    ]);
    expect(
      results.map((r) => [r?.kind, r?.toolCallId, r === undefined ? '' : rt.store.text(r)]),
    ).toEqual([['tool-result', 'call_abc', '12*7 = 84']]);
    expect(
      rt.store.list('chat', { kinds: ['assistant-message'] }).map((b) => rt.store.text(b)),
    ).toEqual(['(calling calculator({"expression":"12*7"}))', '12*7 is 84, Ada.']);
    expect(rt.store.list('chat', { kinds: ['fact'] }).map((b) => rt.store.text(b))).toEqual([
      "The user's name is Ada.",
    ]);
    expect(records[0]?.output).toMatchObject({
      text: '[tool call] calculator({"expression":"12*7"})',
      usage: { inputTokens: 300, outputTokens: 20, cachedInputTokens: 0 },
    });
    expect(records[1]?.output?.usage).toEqual({
      inputTokens: 340,
      outputTokens: 30,
      cachedInputTokens: 256,
    });
    for (const r of records) expect((await rt.replay(r.callId)).identical).toBe(true);
  });
});

describe('the Anthropic path (official SDK against a local fake server)', () => {
  it('sends the packed request with cache_control and tools, and stores the tool_use / tool_result pair', async () => {
    const server = await startFakeProvider('/v1/messages', [
      anthropicMessage([
        { type: 'text', text: 'Let me calculate.' },
        { type: 'tool_use', id: 'toolu_01', name: 'calculator', input: { expression: '12*7' } },
      ]),
      anthropicMessage([{ type: 'text', text: 'It is 84.' }], {
        input: 40,
        output: 6,
        cacheRead: 200,
        cacheWrite: 10,
      }),
    ]);
    cleanups.push(() => server.close());
    const t = tempDir();
    cleanups.push(t.cleanup);

    const run = await cli(['--store', t.dir, '--session', 'support', 'What is 12*7?'], {
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_BASE_URL: server.origin,
    });
    expect(run).toEqual({ code: 0, out: 'It is 84.\n', err: '' });

    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    // The SDK sends the key as x-api-key or (newer versions) as a bearer token.
    expect([first?.headers['x-api-key'], first?.headers.authorization]).toContainEqual(
      expect.stringMatching(/^(Bearer )?test-key$/),
    );
    expect(first?.body).toMatchObject({ model: 'claude-haiku-4-5', tool_choice: { type: 'auto' } });
    const system = first?.body.system as { type: string; text: string; cache_control?: unknown }[];
    expect(system[system.length - 1]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(system[0]?.text).toContain('You are a concise, friendly assistant');
    expect(
      (first?.body.tools as { name: string; input_schema: unknown }[]).map((x) => x.name),
    ).toEqual(['calculator', 'lookup_profile']);
    expect(first?.body.messages).toContainEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is 12*7?\n' },
        { type: 'text', text: "## Task\nReply to the user's latest message: What is 12*7?\n" },
      ],
    });

    const rt = openRuntime(t.dir, { create: false });
    cleanups.push(() => rt.close());
    const records = rt.traces('support');
    expect(records).toHaveLength(2);
    expectSentAsTraced(rt, records[0] as TraceRecord, first as ReceivedRequest);
    expectSentAsTraced(rt, records[1] as TraceRecord, second as ReceivedRequest);

    const messages = second?.body.messages as {
      role: string;
      content: {
        type: string;
        id?: string;
        tool_use_id?: string;
        content?: string;
        input?: unknown;
      }[];
    }[];
    const at = messages.findIndex(
      (m) =>
        m.role === 'assistant' &&
        m.content.some((c) => c.type === 'tool_use' && c.id === 'toolu_01'),
    );
    expect(messages[at]?.content).toContainEqual({
      type: 'tool_use',
      id: 'toolu_01',
      name: 'calculator',
      input: { expression: '12*7' },
    });
    expect(messages[at + 1]?.content[0]).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_01',
      content: '12*7 = 84\n',
    });

    const { caller, results } = pairedBlocks(rt, 'support', 'toolu_01');
    expect(rt.store.text(caller as never)).toBe('Let me calculate.');
    expect(results.map((r) => [r?.kind, r?.toolCallId])).toEqual([['tool-result', 'toolu_01']]);
    expect(records[1]?.output?.usage).toEqual({
      inputTokens: 250,
      outputTokens: 6,
      cachedInputTokens: 200,
    });
    for (const r of records) expect((await rt.replay(r.callId)).identical).toBe(true);
  });
});

describe('model selection', () => {
  it('is offline unless a key is set or a provider is named', () => {
    expect(resolveProvider({ env: {} })).toBe('scripted');
    expect(resolveProvider({ env: { OPENAI_API_KEY: 'k' } })).toBe('openai');
    expect(resolveProvider({ env: { ANTHROPIC_API_KEY: 'k' } })).toBe('anthropic');
    expect(
      resolveProvider({ env: { OPENAI_API_KEY: 'k', LLM386_AGENT_PROVIDER: 'scripted' } }),
    ).toBe('scripted');
    expect(
      resolveProvider({
        provider: 'anthropic',
        env: { OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' },
      }),
    ).toBe('anthropic');
    expect(() => resolveProvider({ provider: 'gemini', env: {} })).toThrow(
      /unknown provider "gemini"/,
    );
    expect(() => selectModel({ provider: 'openai', env: {} })).toThrow(/needs OPENAI_API_KEY/);
    expect(selectModel({ env: {}, model: 'gpt-4.1' })).toMatchObject({
      profile: 'gpt-4.1',
      mode: 'chat',
    });
  });
});
