// Packed provider requests obey the providers' tool-pairing rules, checked by a local fake server
// that enforces them the way the OpenAI and Anthropic APIs answer 400: every tool message answers
// a call of the assistant message right before it, every call is answered before the next turn,
// no empty ids; Anthropic tool results open the user turn right after their tool_use.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { page } from '../pager/index';
import { fixedRetriever, MODEL, newestFirst, policy, propertySeed } from '../pager/test-fixtures';
import { BUILTIN_PROFILES } from '../config/index';
import { useTempStores } from '../store/test-helpers';
import {
  toAnthropicRequest,
  toOpenAiRequest,
  type AnthropicRequest,
  type OpenAiChatRequest,
} from './adapters';
import { packChat, storeSource } from './packer';

/** The OpenAI Chat Completions pairing rules; the first broken one, or undefined. */
function openAiProblem(body: OpenAiChatRequest): string | undefined {
  let open: Set<string> | undefined;
  for (const [i, m] of body.messages.entries()) {
    if (m.role === 'tool') {
      if (m.tool_call_id === '') return `messages[${i}]: empty tool_call_id`;
      if (open === undefined || !open.has(m.tool_call_id))
        return `messages[${i}]: tool message ${m.tool_call_id} does not answer a preceding assistant tool call`;
      open.delete(m.tool_call_id);
      continue;
    }
    if (open !== undefined && open.size > 0)
      return `messages[${i}]: tool calls ${[...open].join(', ')} were not answered`;
    open =
      m.role === 'assistant' && m.tool_calls !== undefined
        ? new Set(m.tool_calls.map((c) => c.id))
        : undefined;
    if (m.role === 'assistant' && m.tool_calls?.some((c) => c.id === '') === true)
      return `messages[${i}]: empty tool call id`;
  }
  if (open !== undefined && open.size > 0)
    return `tool calls ${[...open].join(', ')} were not answered`;
  return undefined;
}

/** The Anthropic Messages pairing rules; the first broken one, or undefined. */
function anthropicProblem(body: AnthropicRequest): string | undefined {
  for (const [i, m] of body.messages.entries()) {
    if (i > 0 && body.messages[i - 1]?.role === m.role)
      return `messages[${i}]: two ${m.role} turns in a row`;
    const uses =
      m.role === 'assistant' ? m.content.flatMap((c) => (c.type === 'tool_use' ? [c.id] : [])) : [];
    if (uses.some((id) => id === '')) return `messages[${i}]: empty tool_use id`;
    const results = m.content.flatMap((c) => (c.type === 'tool_result' ? [c.tool_use_id] : []));
    if (m.role === 'user' && results.length > 0) {
      const firstText = m.content.findIndex((c) => c.type !== 'tool_result');
      if (firstText !== -1 && firstText < results.length)
        return `messages[${i}]: tool_result blocks must come first in the user turn`;
      const before = body.messages[i - 1];
      const called = new Set(
        before?.role === 'assistant'
          ? before.content.flatMap((c) => (c.type === 'tool_use' ? [c.id] : []))
          : [],
      );
      for (const id of results)
        if (!called.has(id))
          return `messages[${i}]: tool_result ${id} has no tool_use right before it`;
    }
    if (uses.length > 0) {
      const next = body.messages[i + 1];
      const answered = new Set(
        next?.role === 'user'
          ? next.content.flatMap((c) => (c.type === 'tool_result' ? [c.tool_use_id] : []))
          : [],
      );
      for (const id of uses)
        if (!answered.has(id))
          return `messages[${i}]: tool_use ${id} is not answered in the next turn`;
    }
    if (m.content.some((c) => c.type === 'text' && c.text === ''))
      return `messages[${i}]: empty text block`;
  }
  return undefined;
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data) as unknown;
      const problem =
        req.url === '/v1/chat/completions'
          ? openAiProblem(body as OpenAiChatRequest)
          : anthropicProblem(body as AnthropicRequest);
      res.statusCode = problem === undefined ? 200 : 400;
      res.end(
        JSON.stringify(problem === undefined ? { ok: true } : { error: { message: problem } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

async function send(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: response.status, text: await response.text() };
}

const fresh = useTempStores();
const CLAUDE = BUILTIN_PROFILES.find((p) => p.provider === 'anthropic') ?? MODEL;

describe('provider requests obey the tool-pairing rules (fake provider server)', () => {
  it('the fake server refuses what the providers refuse', async () => {
    const badOpenAi = {
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'tool', content: 'r', tool_call_id: '' },
      ],
    };
    expect((await send('/v1/chat/completions', badOpenAi)).status).toBe(400);
    const badAnthropic = {
      model: 'm',
      max_tokens: 1,
      messages: [
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'r' }] },
      ],
    };
    expect((await send('/v1/messages', badAnthropic)).status).toBe(400);
  });

  it('a tool-invocation edge from an older store between blocks that are no call and result packs valid requests', async () => {
    const { store } = fresh();
    store.put({ session: 's', kind: 'user-message', body: 'hello' });
    const plain = store.put({ session: 's', kind: 'assistant-message', body: 'no calls here' })
      .block.id;
    const result = store.put({ session: 's', kind: 'tool-result', body: '42' }).block.id;
    // Written as add-edge accepted it before it checked pairs (the direction indexes only).
    store.transaction(() => {
      store.db.edgesOut.putSync([plain, 'tool-invocation', result], null);
      store.db.edgesIn.putSync([result, 'tool-invocation', plain], null);
    });
    const plan = await page(
      store,
      { session: 's', task: 'hi', model: MODEL, budget: 400, now: 1_800_000_000_000 },
      policy([newestFirst(), fixedRetriever('r', new Map([[result, 1]]))]),
    );
    const chat = packChat(plan, storeSource(store, plan));
    const openai = await send('/v1/chat/completions', toOpenAiRequest(chat, MODEL));
    expect(openai.status, openai.text).toBe(200);
    expect((await send('/v1/messages', toAnthropicRequest(chat, CLAUDE))).status).toBe(200);
  });

  it('random conversations with answered and unanswered tool calls, at any budget', async () => {
    const turn = fc.oneof(
      fc.record({ t: fc.constant('user' as const), n: fc.nat(9) }),
      fc.record({ t: fc.constant('assistant' as const), n: fc.nat(9) }),
      fc.record({
        t: fc.constant('calls' as const),
        count: fc.integer({ min: 1, max: 3 }),
        answered: fc.integer({ min: 0, max: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(turn, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 60, max: 2500 }),
        async (turns, budget) => {
          const { store } = fresh();
          let callNo = 0;
          const tools: BlockId[] = [];
          for (const t of turns) {
            if (t.t === 'user')
              store.put({ session: 's', kind: 'user-message', body: `question ${t.n}` });
            else if (t.t === 'assistant')
              store.put({ session: 's', kind: 'assistant-message', body: `answer ${t.n}` });
            else {
              const calls = Array.from({ length: t.count }, () => ({
                id: `call_${callNo++}`,
                name: 'lookup',
                arguments: `{"n":${callNo}}`,
              }));
              const a = store.put({
                session: 's',
                kind: 'assistant-message',
                body: 'let me look',
                toolCalls: calls,
              }).block.id;
              for (const c of calls.slice(0, t.answered)) {
                const r = store.put({
                  session: 's',
                  kind: 'tool-result',
                  body: `result of ${c.id}`,
                  toolCallId: c.id,
                }).block.id;
                store.addEdge(a, 'tool-invocation', r);
                tools.push(r);
              }
            }
          }
          const stack = policy([
            newestFirst(),
            fixedRetriever('tools', new Map(tools.map((id, i) => [id, 1 - i / 100]))),
          ]);
          for (const model of [MODEL, CLAUDE]) {
            const plan = await page(
              store,
              { session: 's', task: 'look things up', model, budget, now: 1_800_000_000_000 },
              stack,
            );
            const chat = packChat(plan, storeSource(store, plan));
            const openai = await send('/v1/chat/completions', toOpenAiRequest(chat, model));
            expect(openai.status, openai.text).toBe(200);
            const anthropic = await send('/v1/messages', toAnthropicRequest(chat, model));
            expect(anthropic.status, anthropic.text).toBe(200);
          }
          store.close();
        },
      ),
      { numRuns: 40, seed: propertySeed('provider rules') },
    );
  });
});
