import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { page } from '../pager/index';
import { conversation, fixedRetriever, MODEL, newestFirst, policy } from '../pager/test-fixtures';
import { useTempStores } from '../store/test-helpers';
import { getTokenizer } from '../tokenizer/index';
import { toOpenAiRequest } from './adapters';
import { canonicalJson, packChat, packString, storeSource } from './packer';

const fresh = useTempStores();

async function planFor(budget = 3000, includeTimestamps = false) {
  const { store } = fresh();
  const ids = conversation(store, 's', 6);
  const sys = store.put({ session: 's', kind: 'system', body: 'Be brief.' }).block.id;
  const fact = store.put({ session: 's', kind: 'fact', body: 'Ada lives in Lisbon.' }).block.id;
  const doc = store.put({ session: 's', kind: 'document-chunk', body: 'Background doc.' }).block.id;
  const plan = await page(
    store,
    { session: 's', task: 'where does Ada live?', model: MODEL, budget, now: 1_800_000_000_000 },
    policy(
      [
        newestFirst(),
        fixedRetriever(
          'facts',
          new Map([
            [fact, 1],
            [doc, 1],
          ]),
        ),
      ],
      {},
      { includeTimestamps },
    ),
  );
  return { store, plan, ids, sys, fact, doc };
}

describe('string rendering', () => {
  it('renders stable section headers in order, never ids, hashes or scores', async () => {
    const { store, plan } = await planFor();
    const { prompt } = packString(plan, storeSource(store, plan));
    const headers = prompt.split('\n').filter((l) => l.startsWith('## '));
    expect(headers).toEqual(['## System', '## Task', '## Retrieved', '## Recent', '## Background']);
    for (const s of plan.selected) {
      expect(prompt).not.toContain(s.id);
      expect(prompt).not.toContain(s.hash);
    }
  });

  it('puts each tool result right after the assistant message that called it', async () => {
    const { store, plan, ids } = await planFor();
    const { prompt } = packString(plan, storeSource(store, plan));
    expect(prompt).toContain(
      '[assistant]\nlet me compute 2\n[tool call] calc({"x":2})\n[tool result]\nresult 4\n',
    );
    expect(ids.tools.length).toBe(2);
  });

  it('reports the exact token count and the SHA-256 of the bytes, identically every time', async () => {
    const { store, plan } = await planFor();
    const a = packString(plan, storeSource(store, plan));
    const b = packString(plan, storeSource(store, plan));
    expect(a).toEqual(b);
    expect(a.tokens).toBe(getTokenizer('o200k_base').count(a.prompt));
    expect(a.promptHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the hash of the prompt bytes when read, also through a spread and JSON', async () => {
    const { store, plan } = await planFor();
    const packed = packString(plan, storeSource(store, plan));
    const expected = createHash('sha256').update(Buffer.from(packed.prompt, 'utf8')).digest('hex');
    expect(packed.promptHash).toBe(expected);
    expect({ ...packed }.promptHash).toBe(expected);
    expect((JSON.parse(JSON.stringify(packed)) as { promptHash: string }).promptHash).toBe(
      expected,
    );
    expect(structuredClone(packed).promptHash).toBe(expected);
  });

  it('adds ISO timestamps per block and a current-time line when asked', async () => {
    const { store, plan } = await planFor(3000, true);
    const { prompt, tokens } = packString(plan, storeSource(store, plan), {
      includeTimestamps: true,
    });
    expect(prompt).toContain(`Current time: ${new Date(1_800_000_000_000).toISOString()}\n`);
    expect(prompt).toMatch(/\[user \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\]\n/);
    expect(tokens).toBe(getTokenizer('o200k_base').count(prompt));
    expect(tokens).toBeLessThanOrEqual(plan.budget.input);
  });

  it('maps every span back to its block', async () => {
    const { store, plan, fact } = await planFor();
    const packed = packString(plan, storeSource(store, plan));
    const span = packed.spans.find((s) => s.id === fact);
    expect(packed.prompt.slice(span?.start, span?.end)).toBe('Ada lives in Lisbon.\n');
  });
});

describe('chat rendering', () => {
  it('puts stable sections first with the cache boundary, then context, conversation and task', async () => {
    const { store, plan } = await planFor();
    const chat = packChat(plan, storeSource(store, plan));
    expect(chat.messages[0]).toMatchObject({ role: 'system' });
    expect(chat.messages[0]?.content).toContain('## System\nBe brief.\n');
    expect(chat.messages[0]?.content).toContain('## Background\nBackground doc.\n');
    expect(chat.cacheBoundary).toBe(0);
    expect(chat.messages[1]).toEqual({
      role: 'user',
      content: '## Retrieved\nAda lives in Lisbon.\n',
    });
    expect(chat.messages.at(-1)).toEqual({
      role: 'user',
      content: '## Task\nwhere does Ada live?\n',
    });
    const roles = chat.messages.map((m) => m.role);
    const firstTool = roles.indexOf('tool');
    expect(chat.messages[firstTool - 1]?.toolCalls?.[0]?.id).toBe(
      chat.messages[firstTool]?.toolCallId,
    );
    expect(chat.tokens).toBeLessThanOrEqual(plan.budget.input);
  });

  it('hashes the canonical JSON of the messages', async () => {
    const { store, plan } = await planFor();
    const chat = packChat(plan, storeSource(store, plan));
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(chat.promptHash).toHaveLength(64);
  });

  it('uses a user message for the stable prefix when the model has no system role', async () => {
    const { store, plan } = await planFor();
    const chat = packChat(
      { ...plan, model: { ...plan.model, supportsSystemRole: false } },
      storeSource(store, plan),
    );
    expect(chat.messages[0]?.role).toBe('user');
  });
});

describe('speakers', () => {
  it("shows a message's speaker beside its role: in the string label, as chat and OpenAI `name`, counted exactly", async () => {
    const { store } = fresh();
    store.put({ session: 's', kind: 'user-message', body: 'I moved to Lisbon.', name: 'Dr. Ines' });
    store.put({ session: 's', kind: 'assistant-message', body: 'Noted.', name: 'helper' });
    const plan = await page(
      store,
      { session: 's', task: 'where?', model: MODEL, budget: 400, now: 1_800_000_000_000 },
      policy([newestFirst()]),
    );
    const source = storeSource(store, plan);
    const text = packString(plan, source);
    expect(text.prompt).toContain('[user Dr. Ines]\nI moved to Lisbon.\n');
    expect(text.prompt).toContain('[assistant helper]\nNoted.\n');
    const chatPlan = await page(
      store,
      {
        session: 's',
        task: 'where?',
        model: MODEL,
        budget: 400,
        now: 1_800_000_000_000,
        rendering: 'chat',
      },
      policy([newestFirst()]),
    );
    const chat = packChat(chatPlan, storeSource(store, chatPlan));
    expect(chat.messages.filter((m) => m.name !== undefined).map((m) => [m.role, m.name])).toEqual([
      ['user', 'Dr__Ines'],
      ['assistant', 'helper'],
    ]);
    const request = toOpenAiRequest(chat, MODEL);
    expect(
      request.messages.filter((m) => 'name' in m).map((m) => (m as { name: string }).name),
    ).toEqual(['Dr__Ines', 'helper']);
    expect(text.tokens).toBe(getTokenizer('o200k_base').count(text.prompt));
    expect(text.tokens).toBe(plan.budget.used);
    expect(chat.tokens).toBe(chatPlan.budget.used);
  });
});

describe('a model without tools (supports_tools = false)', () => {
  it('gets tool calls and results as plain messages, counted exactly, within the budget', async () => {
    const { store } = fresh();
    conversation(store, 's', 9);
    const model = { ...MODEL, name: 'no-tools', supportsTools: false };
    for (const budget of [200, 600, 3000]) {
      const plan = await page(
        store,
        { session: 's', task: 'compute', model, budget, now: 1_800_000_000_000, rendering: 'chat' },
        policy([newestFirst()]),
      );
      const chat = packChat(plan, storeSource(store, plan));
      expect(
        chat.messages.some(
          (m) => m.role === 'tool' || m.toolCalls !== undefined || m.toolCallId !== undefined,
        ),
      ).toBe(false);
      expect(chat.tokens).toBe(plan.budget.used);
      if (budget === 3000) {
        const text = chat.messages.map((m) => m.content).join('\n');
        expect(text).toMatch(/\[tool call\] calc\(\{"x":\d+\}\)/);
        expect(text).toMatch(/\[tool result\]\nresult \d+/);
      }
      const request = toOpenAiRequest(chat, model);
      expect(request.messages.every((m) => m.role !== 'tool' && !('tool_calls' in m))).toBe(true);
    }
  });
});
