import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_METHODS,
  BLOCK_KINDS,
  EDGE_KINDS,
  FILL_SECTIONS,
  RECENCY_BOOST,
  SECTIONS,
  type ApiMethod,
  type ApiResult,
  type PageResult,
} from '../contract';
import { callApi, createApiHandlers, noStoreHandlers, type ApiHandlers } from './index';
import * as runtime from '../../runtime';
import { DEFAULT_CONFIG, Store, STORE_FORMAT_VERSION } from '../../runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
const ids: Record<string, string> = {};

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-handlers-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  ids.system = store.put({
    session: 'alpha',
    kind: 'system',
    body: 'You are a careful travel agent.',
    createdAt: t0,
  }).block.id;
  ids.user = store.put({
    session: 'alpha',
    kind: 'user-message',
    body: 'Which city is the capital of France?',
    createdAt: t0 + 1000,
  }).block.id;
  ids.assistant = store.put({
    session: 'alpha',
    kind: 'assistant-message',
    body: 'Let me look that up.',
    parents: [ids.user],
    toolCalls: [{ id: 'call-1', name: 'lookup', arguments: '{"q":"capital of France"}' }],
    createdAt: t0 + 2000,
  }).block.id;
  ids.result = store.put({
    session: 'alpha',
    kind: 'tool-result',
    body: 'Paris is the capital of France.',
    toolCallId: 'call-1',
    createdAt: t0 + 3000,
  }).block.id;
  store.addEdge(ids.assistant, 'tool-invocation', ids.result);
  for (let i = 0; i < 40; i++) {
    const topic = i % 2 === 0 ? 'Paris museums and the Louvre' : 'Berlin history and the wall';
    ids[`fact${i}`] = store.put({
      session: 'alpha',
      kind: 'fact',
      body: `Fact ${i}: ${topic}. ${'More detail. '.repeat(12)}`,
      createdAt: t0 + 4000 + i,
      priority: i === 2 ? 0.8 : 0,
    }).block.id;
  }
  ids.binary = store.put({
    session: 'beta',
    kind: 'document-chunk',
    body: new Uint8Array([0xff, 0xfe, 0x00, 0x01]),
    createdAt: t0 + 9000,
  }).block.id;
  store.addEdge(ids.fact0 ?? '', 'supports', ids.user);
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the contract', () => {
  it('uses the runtime vocabulary itself, not copies of it', () => {
    expect(BLOCK_KINDS).toBe(runtime.BLOCK_KINDS);
    expect(SECTIONS).toBe(runtime.SECTIONS);
    expect(EDGE_KINDS).toBe(runtime.EDGE_KINDS);
    expect(FILL_SECTIONS).toBe(runtime.FILL_SECTIONS);
  });

  it('has a handler for every method and no other', () => {
    expect(Object.keys(api).sort()).toEqual([...API_METHODS].sort());
  });
});

describe('store.info and store.changes', () => {
  it('describes the open store', async () => {
    const info = value(await api['store.info']({}));
    expect(info.path).toBe(dir);
    expect(info.formatVersion).toBe(STORE_FORMAT_VERSION);
    expect(info.blocks).toBe(45);
    expect(info.sessions).toBe(2);
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(info.changeSeq).toBeGreaterThan(0);
  });

  it('reports a larger change sequence after a write', async () => {
    const before = value(await api['store.changes']({})).seq;
    const extra = store.put({ session: 'gamma', kind: 'fact', body: 'A write from elsewhere.' });
    const after = value(await api['store.changes']({})).seq;
    expect(after).toBeGreaterThan(before);
    store.delete(extra.block.id);
  });
});

describe('sessions.list', () => {
  it('lists sessions with block counts per kind and time range', async () => {
    const { sessions } = value(await api['sessions.list']({}));
    const alpha = sessions.find((s) => s.session === 'alpha');
    expect(alpha?.blocks).toBe(44);
    expect(alpha?.kinds).toEqual({
      system: 1,
      'user-message': 1,
      'assistant-message': 1,
      'tool-result': 1,
      fact: 40,
    });
    expect(alpha?.firstAt).toBe(Date.UTC(2026, 0, 1));
    expect(sessions.map((s) => s.session)).toContain('beta');
  });
});

describe('blocks.list', () => {
  it('pages through a session by cursor, in creation order', async () => {
    const first = value(await api['blocks.list']({ session: 'alpha', limit: 10 }));
    expect(first.total).toBe(44);
    expect(first.items).toHaveLength(10);
    expect(first.items[0]?.id).toBe(ids.system);
    expect(first.nextCursor).toBe(first.items[9]?.id);
    const second = value(
      await api['blocks.list']({
        session: 'alpha',
        limit: 40,
        cursor: first.nextCursor ?? undefined,
      }),
    );
    expect(second.items).toHaveLength(34);
    expect(second.nextCursor).toBeNull();
    expect((second.items[0]?.id ?? '') > (first.items[9]?.id ?? '')).toBe(true);
  });

  it('reads any window by offset, for virtual lists', async () => {
    const window = value(await api['blocks.list']({ session: 'alpha', offset: 40, limit: 10 }));
    expect(window.offset).toBe(40);
    expect(window.items.map((b) => b.id)).toEqual([ids.fact36, ids.fact37, ids.fact38, ids.fact39]);
    expect(value(await api['blocks.list']({ session: 'alpha', offset: 999 })).items).toEqual([]);
  });

  it('filters by kind and by case-insensitive text', async () => {
    const facts = value(await api['blocks.list']({ session: 'alpha', kinds: ['fact'] }));
    expect(facts.total).toBe(40);
    expect(facts.items.every((b) => b.kind === 'fact' && b.section === 'retrieved')).toBe(true);
    const louvre = value(await api['blocks.list']({ session: 'alpha', search: 'LOUVRE' }));
    expect(louvre.total).toBe(20);
    const messages = value(
      await api['blocks.list']({
        session: 'alpha',
        kinds: ['user-message', 'tool-result'],
        search: 'france',
      }),
    );
    expect(messages.items.map((b) => b.id)).toEqual([ids.user, ids.result]);
  });

  it('shows a binary body as a placeholder', async () => {
    const beta = value(await api['blocks.list']({ session: 'beta' }));
    expect(beta.items[0]?.binary).toBe(true);
    expect(beta.items[0]?.preview).toMatch(/^\[binary body: 4 bytes/);
  });
});

describe('blocks.get', () => {
  it('returns the text, metadata, tool calls and edges both ways', async () => {
    const {
      block,
      out,
      in: incoming,
    } = value(await api['blocks.get']({ id: ids.assistant ?? '' }));
    expect(block.text).toBe('Let me look that up.');
    expect(block.toolCalls).toEqual([
      { id: 'call-1', name: 'lookup', arguments: '{"q":"capital of France"}' },
    ]);
    expect(block.tokens['o200k_base']).toBeGreaterThan(0);
    expect(out).toEqual([
      expect.objectContaining({ from: ids.assistant, kind: 'parent', to: ids.user }),
      expect.objectContaining({ from: ids.assistant, kind: 'tool-invocation', to: ids.result }),
    ]);
    expect(out[0]?.other?.preview).toBe('Which city is the capital of France?');
    expect(incoming).toEqual([]);
    const result = value(await api['blocks.get']({ id: ids.result ?? '' }));
    expect(result.in).toEqual([
      expect.objectContaining({ from: ids.assistant, kind: 'tool-invocation', to: ids.result }),
    ]);
  });

  it('never returns raw binary', async () => {
    const { block } = value(await api['blocks.get']({ id: ids.binary ?? '' }));
    expect(block.binary).toBe(true);
    expect(block.text).toMatch(/^\[binary body: 4 bytes, sha256 [0-9a-f]{16}\]$/);
  });

  it('fails as data for a block that does not exist', async () => {
    const result = await api['blocks.get']({ id: '0'.repeat(32) });
    expect(result).toEqual({
      ok: false,
      error: { code: 'block-not-found', message: expect.stringContaining('no block') },
    });
  });
});

describe('models.list', () => {
  it('lists profiles with their input budget and whether counts are exact', async () => {
    const { models, defaultModel } = value(await api['models.list']({}));
    const gpt = models.find((m) => m.name === defaultModel);
    expect(gpt?.inputBudget).toBe(
      (gpt?.maxContextTokens ?? 0) -
        (gpt?.reservedOutputTokens ?? 0) -
        (gpt?.safetyMarginTokens ?? 0),
    );
    expect(models.find((m) => m.provider === 'anthropic')?.tokenizerExact).toBe(false);
  });
});

describe('plan.page', () => {
  const request = {
    session: 'alpha',
    task: 'Tell me about Paris museums',
    budget: 400,
    now: Date.UTC(2026, 0, 2),
  };

  it('returns the plan with every candidate decided, and both renderings with spans', async () => {
    const result = value(await api['plan.page'](request));
    const { plan, prompt, chat } = result;
    expect(plan.budget.input).toBe(400);
    expect(plan.budget.used).toBeLessThanOrEqual(400);
    expect(plan.selected.length).toBeGreaterThan(0);
    expect(plan.omitted.length).toBeGreaterThan(0);
    expect(plan.selected.map((s) => s.id)).toContain(ids.system);
    const decided = new Set([...plan.selected, ...plan.omitted].map((b) => b.id));
    for (const id of decided) expect(result.blocks[id]?.preview).toBeTruthy();
    for (const span of prompt.spans) expect(decided.has(span.id)).toBe(true);
    const systemSpan = prompt.spans.find((s) => s.id === ids.system);
    expect(prompt.text.slice(systemSpan?.start, systemSpan?.end)).toBe(
      'You are a careful travel agent.\n',
    );
    expect(chat.messages.at(-1)?.content).toContain('Tell me about Paris museums');
    expect(result.policy.weights).toHaveProperty('recency');
  });

  it('records why an omitted block was left out', async () => {
    const { plan } = value(await api['plan.page'](request));
    const omitted = plan.omitted.find(
      (o) => o.reason === 'section-budget' || o.reason === 'global-budget',
    );
    expect(omitted).toBeDefined();
    expect(omitted?.tokensNeeded).toBeGreaterThan(omitted?.tokensLeft ?? Infinity);
  });

  it("shows the fusion formula, each retriever's role, and contributions that add up to every candidate's score", async () => {
    const { plan, blocks } = value(await api['plan.page'](request));
    expect(plan.fusion).toMatchObject({
      mode: 'relevance',
      priorityWeight: 0.5,
      recencyBoost: RECENCY_BOOST,
    });
    expect(plan.fusion?.formula).toContain(`(1 + ${RECENCY_BOOST} x sum(recency))`);
    expect(Object.fromEntries(plan.retrievers.map((r) => [r.name, r.role]))).toMatchObject({
      bm25: 'relevance',
      recency: 'recency',
    });
    for (const r of plan.retrievers)
      expect([typeof r.top, typeof r.flat]).toEqual(['number', 'boolean']);
    const withPriority = [...plan.selected, ...plan.omitted].find((c) => c.id === ids.fact2);
    expect(withPriority).toBeDefined();
    for (const c of [...plan.selected, ...plan.omitted])
      expect(c.score).toBeCloseTo(recomputed(plan, c.retrievers, blocks[c.id]?.priority ?? NaN), 9);
  });

  it('applies section fraction, weight and switch overrides', async () => {
    const result = value(
      await api['plan.page']({
        ...request,
        sectionBudgets: { retrieved: 0.1 },
        weights: { recency: 0 },
        switches: { spill: false },
      }),
    );
    expect(result.policy.sectionBudgets.retrieved).toBe(0.1);
    expect(result.policy.weights['recency']).toBe(0);
    expect(result.policy.switches.spill).toBe(false);
    expect(result.plan.retrievers.find((r) => r.name === 'recency')?.weight).toBe(0);
  });

  it('fails as data for fractions over 1, an unknown retriever, an unknown model, a budget too small', async () => {
    const over = await api['plan.page']({
      ...request,
      sectionBudgets: { retrieved: 0.9, recent: 0.9 },
    });
    expect(over.ok === false && over.error.code).toBe('invalid-input');
    const unknown = await api['plan.page']({ ...request, weights: { nope: 1 } });
    expect(unknown.ok === false && unknown.error.message).toMatch(/no retriever "nope"/);
    const model = await api['plan.page']({ ...request, model: 'gpt-0' });
    expect(model.ok === false && model.error.code).toBe('unknown-model');
    const tiny = await api['plan.page']({ ...request, budget: 5 });
    expect(tiny.ok === false && tiny.error.code).toBe('budget-exceeded');
  });
});

/** A candidate's score from the terms the wire shows: fused (by the retrievers' roles) + priorityWeight x priority. */
function recomputed(
  plan: PageResult['plan'],
  scores: PageResult['plan']['selected'][number]['retrievers'],
  priority: number,
): number {
  let inclusion = 0;
  let relevance = 0;
  let recency = 0;
  for (const [name, score] of Object.entries(scores)) {
    const role = plan.retrievers.find((r) => r.name === name)?.role;
    const term = score.contribution ?? NaN;
    if (role === 'inclusion') inclusion = Math.max(inclusion, term);
    else if (role === 'recency') recency += term;
    else relevance += term;
  }
  return (
    inclusion +
    relevance * (1 + RECENCY_BOOST * recency) +
    (plan.fusion?.priorityWeight ?? NaN) * priority
  );
}

describe('invalid input', () => {
  const bad: Record<ApiMethod, readonly unknown[]> = {
    'store.info': [{ extra: 1 }, 'text', 42, []],
    'store.changes': [{ since: 'x' }, 'x', [1]],
    'sessions.list': [{ all: true }, 7],
    'blocks.list': [
      {},
      { session: '' },
      { session: 'a b' },
      { session: 'a', limit: 0 },
      { session: 'a', limit: 5000 },
      { session: 'a', kinds: ['nope'] },
      { session: 'a', cursor: 'zz' },
      { session: 'a', offset: -1 },
      { session: 'a', offset: 1, cursor: '0'.repeat(32) },
      { session: 'a', path: '/etc' },
    ],
    'blocks.get': [
      {},
      { id: 'abc' },
      { id: 42 },
      { id: '0'.repeat(32), extra: true },
      { path: '/etc/passwd' },
    ],
    'models.list': [{ x: 1 }],
    'plan.page': [
      {},
      { session: 'alpha', budget: -1 },
      { session: 'alpha', budget: 1.5 },
      { session: 'alpha', required: ['nope'] },
      { session: 'alpha', sectionBudgets: { retrieved: 2 } },
      { session: 'alpha', sectionBudgets: { system: 0.1 } },
      { session: 'alpha', weights: { recency: -1 } },
      { session: 'alpha', switches: { spill: 'yes' } },
      { session: 'alpha', store: '/tmp/other' },
    ],
    'turns.list': [{}, { session: '' }, { session: 'a', limit: 0 }, { session: 'a', dir: '/tmp' }],
    'turns.get': [
      {},
      { callId: 'x' },
      { callId: 42 },
      { callId: '0'.repeat(32), path: '/etc' },
      { callId: '0'.repeat(32), omitted: 'no' },
    ],
    'turns.prompt': [{}, { callId: 'ABC' }, { callId: '0'.repeat(31) }],
    'turns.omitted': [{}, { callId: 'x' }, { callId: '0'.repeat(32), omitted: true }],
    'turns.forBlock': [
      {},
      { id: 'nope' },
      { id: '0'.repeat(32), session: 'a b' },
      { id: '0'.repeat(32), scan: 0 },
      { id: '0'.repeat(32), before: 'x' },
      { id: '0'.repeat(32), all: true },
    ],
    'turns.calls': [
      {},
      { callIds: [] },
      { callIds: ['x'] },
      { callIds: '0'.repeat(32) },
      { callIds: ['0'.repeat(32)], session: 'a b' },
    ],
    'turns.search': [
      {},
      { session: 'a' },
      { session: 'a', query: '' },
      { session: 'a b', query: 'x' },
      { session: 'a', query: 'x'.repeat(201) },
      { session: 'a', query: 'x', limit: 5 },
    ],
    'turns.sessions': [{ session: 'a' }, { all: true }, { tokens: 'yes' }],
    'compare.turns': [
      {},
      { b: 'x' },
      { a: '0'.repeat(32) },
      { b: '0'.repeat(32), a: 'nope' },
      { b: '0'.repeat(32), path: '/etc' },
    ],
    'compare.prompts': [
      {},
      { a: '0'.repeat(32) },
      { a: '0'.repeat(32), b: 7 },
      { a: '0'.repeat(32), b: '0'.repeat(32), file: '/etc/passwd' },
    ],
    'whatif.run': [
      {},
      { callId: 'x' },
      { callId: '0'.repeat(32), overrides: { budget: 0 } },
      { callId: '0'.repeat(32), overrides: { sectionBudgets: { system: 0.1 } } },
      { callId: '0'.repeat(32), overrides: { switches: { includeTimestamps: true } } },
      { callId: '0'.repeat(32), overrides: { store: '/tmp' } },
    ],
    'whatif.detail': [
      {},
      { callId: 'x' },
      { callId: '0'.repeat(32), overrides: { budget: -1 } },
      { callId: '0'.repeat(32), overrides: { model: 7 } },
      { callId: '0'.repeat(32), path: '/etc' },
    ],
    'whatif.replay': [{}, { callId: 'Z'.repeat(32) }, { callId: '0'.repeat(32), extra: 1 }],
    'graph.around': [
      {},
      { block: 'abc' },
      { block: '0'.repeat(32), depth: 0 },
      { block: '0'.repeat(32), maxNodes: 10_000 },
      { block: '0'.repeat(32), kinds: ['nope'] },
      { block: '0'.repeat(32), path: '/etc' },
    ],
    'graph.turn': [
      {},
      { callId: 'x' },
      { callId: '0'.repeat(32), depth: 9 },
      { callId: '0'.repeat(32), maxNodes: 0 },
    ],
    'bundle.export': [{}, { callId: 'x' }, { callId: '0'.repeat(32), out: '/tmp/x.json' }],
    'bundle.import': [
      {},
      { text: '' },
      { text: 42 },
      { path: '/etc/passwd' },
      { text: '{}', dir: '/tmp' },
    ],
    'stores.list': [{ all: true }, 'x'],
    'stores.open': [
      {},
      { id: 'ABC' },
      { id: '0'.repeat(15) },
      { path: '/tmp/other' },
      { id: '0'.repeat(16), dir: '/tmp' },
    ],
    'store.verify': [{ store: '/tmp' }, { path: '/etc' }, 'x', [1]],
    'asof.sessions': [{}, { callId: 'x' }, { callId: '0'.repeat(32), store: '/tmp' }],
    'asof.blocks': [
      {},
      { callId: '0'.repeat(32) },
      { callId: '0'.repeat(32), session: 'a b' },
      { callId: '0'.repeat(32), session: 'a', limit: 0 },
      { callId: '0'.repeat(32), session: 'a', offset: -1 },
      { callId: '0'.repeat(32), session: 'a', kinds: ['nope'] },
    ],
    'asof.block': [{}, { callId: '0'.repeat(32) }, { callId: '0'.repeat(32), id: 'x' }],
    'asof.graph': [
      {},
      { callId: 'x' },
      { callId: '0'.repeat(32), depth: 5 },
      { callId: '0'.repeat(32), maxNodes: 0 },
      { callId: '0'.repeat(32), block: 'x' },
    ],
    'asof.between': [
      {},
      { from: 'x' },
      { from: '0'.repeat(32), to: 'y' },
      { from: '0'.repeat(32), limit: 0 },
      { from: '0'.repeat(32), limit: 100_000 },
    ],
  };

  for (const method of API_METHODS) {
    it(`${method} rejects invalid input with invalid-input`, async () => {
      for (const input of bad[method]) {
        const result = await api[method](input);
        expect(result.ok, JSON.stringify(input)).toBe(false);
        if (!result.ok) expect(result.error.code, JSON.stringify(input)).toBe('invalid-input');
      }
    });
  }

  it('treats a missing input as an empty object', async () => {
    expect((await api['store.info'](undefined)).ok).toBe(true);
  });
});

describe('callApi', () => {
  it('refuses a method that is not in the contract', async () => {
    for (const method of ['store.delete', '__proto__', 'constructor', 'toString']) {
      expect(await callApi(api, method, {})).toEqual({
        ok: false,
        error: { code: 'unknown-method', message: expect.any(String) },
      });
    }
  });

  it('routes a known method', async () => {
    expect((await callApi(api, 'store.changes', {})).ok).toBe(true);
  });
});

describe('noStoreHandlers', () => {
  it('fails every method with no-store', async () => {
    const none = noStoreHandlers('no store is open: pass --store DIR');
    for (const method of API_METHODS) {
      expect(await none[method]({})).toEqual({
        ok: false,
        error: { code: 'no-store', message: 'no store is open: pass --store DIR' },
      });
    }
  });
});
