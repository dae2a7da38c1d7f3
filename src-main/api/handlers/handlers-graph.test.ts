import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedCall } from '../../../src-core/index';
import type { ApiResult } from '../contract';
import { createApiHandlers, type ApiHandlers } from './index';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from '../../runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
let callId = '';
const opened: string[] = [];
const ids: Record<string, string> = {};

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-graph-'));
  store = Store.init(join(dir, 'store'));
  const t0 = Date.UTC(2026, 0, 1);
  ids.system = store.put({
    session: 'alpha',
    kind: 'system',
    body: 'You are terse.',
    createdAt: t0,
  }).block.id;
  ids.user = store.put({
    session: 'alpha',
    kind: 'user-message',
    body: 'What is 2 + 2?',
    createdAt: t0 + 1000,
  }).block.id;
  ids.assistant = store.put({
    session: 'alpha',
    kind: 'assistant-message',
    body: 'Calling calc.',
    parents: [ids.user],
    toolCalls: [{ id: 'c1', name: 'calc', arguments: '{"x":"2+2"}' }],
    createdAt: t0 + 2000,
  }).block.id;
  ids.result = store.put({
    session: 'alpha',
    kind: 'tool-result',
    body: '4',
    toolCallId: 'c1',
    createdAt: t0 + 3000,
  }).block.id;
  store.addEdge(ids.assistant, 'tool-invocation', ids.result);
  // A chain of facts: f0 <- f1 <- ... <- f29 (derived-from), for hop and cap tests.
  let previous: string | undefined;
  for (let i = 0; i < 30; i++) {
    const id = store.put({
      session: 'alpha',
      kind: 'fact',
      body: `fact ${i} about arithmetic ${'detail '.repeat(40)}`,
      createdAt: t0 + 4000 + i,
    }).block.id;
    if (previous !== undefined) store.addEdge(id, 'derived-from', previous);
    ids[`f${i}`] = id;
    previous = id;
  }
  // Loose facts with no edges: what a big turn has most of.
  for (let i = 0; i < 6; i++)
    ids[`loose${i}`] = store.put({
      session: 'alpha',
      kind: 'fact',
      body: `loose note ${i} on arithmetic sums ${'aside '.repeat(400)}`,
      createdAt: t0 + 5000 + i,
      ...(i === 0 ? { labels: ['maths', 'aside'] } : {}),
    }).block.id;
  const call = await tracedCall(
    store,
    {
      session: 'alpha',
      task: 'answer the sum',
      model: findProfile('gpt-4o', DEFAULT_CONFIG.profiles),
      budget: 400,
      now: t0 + 9000,
    },
    recordedPolicy(DEFAULT_CONFIG),
  );
  await call.recorded;
  callId = call.record.callId;
  api = createApiHandlers({
    store,
    config: DEFAULT_CONFIG,
    host: { bundlesDir: join(dir, 'bundles'), openStore: (d) => opened.push(d) },
  });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('graph.around', () => {
  it('gives each node its labels, for the tooltip', async () => {
    const g = value(await api['graph.around']({ block: ids.loose0 as string, depth: 1 }));
    expect(g.nodes.find((n) => n.id === ids.loose0)?.labels).toEqual(['aside', 'maths']);
    const t = value(await api['graph.turn']({ callId, depth: 1 }));
    expect(t.nodes.every((n) => Array.isArray(n.labels))).toBe(true);
  });

  it('returns the block and its neighbours within the hops, with the edges among them', async () => {
    const g = value(await api['graph.around']({ block: ids.f10 as string, depth: 2 }));
    expect(g.nodes.map((n) => n.id).sort()).toEqual(
      [ids.f8, ids.f9, ids.f10, ids.f11, ids.f12].sort(),
    );
    expect(g.nodes.find((n) => n.id === ids.f10)).toMatchObject({
      role: 'root',
      kind: 'fact',
      section: 'retrieved',
      session: 'alpha',
    });
    expect(g.nodes.find((n) => n.id === ids.f8)?.preview).toMatch(/^fact 8 about/);
    expect(g.edges).toHaveLength(4);
    expect(g).toMatchObject({ truncated: false, total: 5, turn: null });
  });

  it('caps the node count and says how many were within reach', async () => {
    const g = value(await api['graph.around']({ block: ids.f0 as string, depth: 6, maxNodes: 3 }));
    expect(g.nodes).toHaveLength(3);
    expect(g).toMatchObject({ truncated: true, total: 7, totalIsLowerBound: false });
  });

  it('fails as data for an unknown block', async () => {
    const r = await api['graph.around']({ block: '0'.repeat(32) });
    expect(r.ok === false && r.error.code).toBe('block-not-found');
  });
});

describe('graph.turn', () => {
  it("marks the turn's selected and omitted blocks with their reasons, and the tool pair", async () => {
    const g = value(await api['graph.turn']({ callId }));
    const selected = g.nodes.filter((n) => n.role === 'selected');
    const omitted = g.nodes.filter((n) => n.role === 'omitted');
    expect(selected.length).toBeGreaterThan(0);
    expect(omitted.length).toBeGreaterThan(0);
    expect(omitted.every((n) => n.reason !== null && (n.tokens ?? 0) > 0)).toBe(true);
    expect(g.edges.some((e) => e.kind === 'tool-invocation')).toBe(true);
    expect(g.turn).toMatchObject({ callId, session: 'alpha', task: 'answer the sum', missing: 0 });
  });

  it('within the cap draws the selection, then the linked candidates and their neighbours, then the rest by score; the others are listed', async () => {
    const full = value(await api['graph.turn']({ callId, depth: 1 }));
    const selected = full.nodes.filter((n) => n.role === 'selected');
    const linked = new Set(full.edges.flatMap((e) => [e.from, e.to]));
    const linkedOmitted = full.nodes.filter((n) => n.role === 'omitted' && linked.has(n.id));
    const neighbours = full.nodes.filter((n) => n.role === 'neighbour');
    const lone = full.nodes.filter((n) => n.role === 'omitted' && !linked.has(n.id));
    expect(full.listedOnly).toEqual([]);
    expect(full.truncated).toBe(false);
    const must = selected.length + linkedOmitted.length + neighbours.length;
    expect(lone.length).toBeGreaterThan(1);
    // Room for all but the lone candidates, plus one: the best-scored lone candidate is drawn.
    const g = value(await api['graph.turn']({ callId, depth: 1, maxNodes: must + 1 }));
    expect(g.nodes).toHaveLength(must + 1);
    expect(g).toMatchObject({ truncated: true, total: full.nodes.length });
    const drawn = new Set(g.nodes.map((n) => n.id));
    for (const n of [...selected, ...linkedOmitted, ...neighbours])
      expect(drawn.has(n.id)).toBe(true);
    expect(g.listedOnly).toHaveLength(lone.length - 1);
    expect(g.listedOnly.every((n) => n.role === 'omitted' && !drawn.has(n.id))).toBe(true);
    // Every candidate is either drawn or listed.
    expect(g.nodes.filter((n) => n.role !== 'neighbour').length + g.listedOnly.length).toBe(
      selected.length + linkedOmitted.length + lone.length,
    );
    expect(g.edges.every((e) => drawn.has(e.from) && drawn.has(e.to))).toBe(true);
    // A cap below the selection still draws the whole selection, and nothing else.
    const tiny = value(await api['graph.turn']({ callId, maxNodes: 1 }));
    expect(tiny.nodes.map((n) => n.role)).toEqual(selected.map(() => 'selected'));
    expect(tiny.listedOnly.length).toBe(linkedOmitted.length + lone.length);
  });

  it('depth 0 draws the candidates alone, with the edges among them', async () => {
    const g = value(await api['graph.turn']({ callId, depth: 0 }));
    expect(g.nodes.every((n) => n.role !== 'neighbour')).toBe(true);
    expect(g.edges.some((e) => e.kind === 'tool-invocation')).toBe(true);
  });

  it('fails as data for an unknown call', async () => {
    const r = await api['graph.turn']({ callId: '0'.repeat(32) });
    expect(r.ok === false && r.error.code).toBe('trace-not-found');
  });
});

describe('bundles', () => {
  it('export then import: a new store in the bundles folder, replay identical, and the host switches to it', async () => {
    const exported = value(await api['bundle.export']({ callId }));
    expect(exported.fileName).toBe(`llm386-turn-${callId}.json`);
    expect(exported.bundle).toMatchObject({ format: 'llm386-turn-bundle', callId });
    const made = value(await api['bundle.import']({ text: JSON.stringify(exported.bundle) }));
    expect(made).toMatchObject({
      callId,
      session: 'alpha',
      switched: true,
      replay: { identical: true, divergence: null },
    });
    expect(made.dir.startsWith(join(dir, 'bundles'))).toBe(true);
    expect(opened).toEqual([made.dir]);
    const imported = Store.open(made.dir);
    expect(imported.getRecord(ids.result as string)?.toolCallId).toBe('c1');
    imported.close();
  });

  it('opening the same bundle again reopens the store made from it: one folder, not two', async () => {
    const exported = value(await api['bundle.export']({ callId }));
    const first = value(await api['bundle.import']({ text: JSON.stringify(exported.bundle) }));
    const folders = readdirSync(join(dir, 'bundles'));
    // The same content, written differently (indented), is the same bundle.
    const again = value(
      await api['bundle.import']({ text: JSON.stringify(exported.bundle, null, 2) }),
    );
    expect(again).toMatchObject({
      dir: first.dir,
      store: first.store,
      reused: true,
      replay: { identical: true },
    });
    expect(readdirSync(join(dir, 'bundles'))).toEqual(folders);
    expect(opened.at(-1)).toBe(first.dir);
  });

  it('rejects text that is not a bundle as data, leaving no folder behind', async () => {
    const before = existsSync(join(dir, 'bundles')) ? readdirSync(join(dir, 'bundles')).length : 0;
    const notJson = await api['bundle.import']({ text: '{oops' });
    expect(notJson.ok === false && notJson.error).toMatchObject({
      code: 'bundle-invalid',
      message: expect.stringMatching(/not JSON/),
    });
    const notBundle = await api['bundle.import']({ text: '{"format":"something-else"}' });
    expect(notBundle.ok === false && notBundle.error).toMatchObject({
      code: 'bundle-invalid',
      message: expect.stringMatching(/not a valid turn bundle at format/),
    });
    expect(readdirSync(join(dir, 'bundles')).length).toBe(before);
  });

  it('refuses a bundle whose policy embeds over the network (opening a file never calls out)', async () => {
    const exported = value(await api['bundle.export']({ callId }));
    const bundle = JSON.parse(JSON.stringify(exported.bundle)) as {
      trace: {
        policy: {
          retrievers: { kind: string; name: string; embedder?: string; options?: unknown }[];
        };
      };
    };
    bundle.trace.policy.retrievers.push({
      kind: 'ann',
      name: 'remote',
      embedder: 'http:evil',
      options: { base_url: 'http://attacker.example' },
    } as never);
    (bundle.trace.policy.retrievers.at(-1) as { weight?: number }).weight = 1;
    const r = await api['bundle.import']({ text: JSON.stringify(bundle) });
    expect(r.ok === false && r.error).toMatchObject({
      code: 'bundle-invalid',
      message: expect.stringMatching(
        /names the endpoint "http:\/\/attacker.example", which a bundle may not carry/,
      ),
    });
  });

  it('export of an unknown call is trace-not-found; import without a host is refused', async () => {
    const r = await api['bundle.export']({ callId: '0'.repeat(32) });
    expect(r.ok === false && r.error.code).toBe('trace-not-found');
    const bare = createApiHandlers({ store, config: DEFAULT_CONFIG });
    const refused = await bare['bundle.import']({ text: '{}' });
    expect(refused.ok === false && refused.error.code).toBe('invalid-input');
  });
});
