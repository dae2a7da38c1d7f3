import { mkdtempSync, rmSync } from 'node:fs';
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
const ids: Record<string, string> = {};
let first = '';
let second = '';

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

const t0 = Date.UTC(2026, 0, 1);
async function call(now: number): Promise<string> {
  const c = await tracedCall(
    store,
    {
      session: 'chat',
      task: 'where does the ferry go',
      model: findProfile('gpt-4o', DEFAULT_CONFIG.profiles),
      budget: 400,
      now,
    },
    recordedPolicy(DEFAULT_CONFIG),
  );
  await c.recorded;
  return c.record.callId;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-asof-'));
  store = Store.init(join(dir, 'store'));
  for (let i = 0; i < 5; i++)
    ids[`m${i}`] = store.put({
      session: 'chat',
      kind: i % 2 === 0 ? 'user-message' : 'assistant-message',
      body: `message ${i} about the ferry`,
      createdAt: t0 + i,
    }).block.id;
  ids.fact = store.put({
    session: 'kb',
    kind: 'fact',
    body: 'The ferry leaves at nine.',
    createdAt: t0 + 10,
  }).block.id;
  ids.doomed = store.put({
    session: 'chat',
    kind: 'user-message',
    body: 'a message deleted later',
    createdAt: t0 + 11,
  }).block.id;
  store.addEdge(ids.m1 ?? '', 'parent', ids.m0 ?? '');
  first = await call(t0 + 100);
  // Written after the first turn: a message, the fact joining chat, an edge between old blocks, a new session.
  ids.later = store.put({
    session: 'chat',
    kind: 'assistant-message',
    body: 'It goes to Lisbon.',
    createdAt: t0 + 200,
  }).block.id;
  store.put({ session: 'chat', kind: 'fact', body: 'The ferry leaves at nine.' });
  store.addEdge(ids.m2 ?? '', 'supports', ids.fact ?? '');
  store.put({
    session: 'notes',
    kind: 'fact',
    body: 'A note made after both turns would be here.',
    createdAt: t0 + 250,
  });
  second = await call(t0 + 300);
  store.put({
    session: 'chat',
    kind: 'user-message',
    body: 'and after the second turn',
    createdAt: t0 + 400,
  });
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('asof.sessions', () => {
  it('counts each session as the turn saw it and as it is now', async () => {
    const view = value(await api['asof.sessions']({ callId: first }));
    expect(view.turn).toMatchObject({ callId: first, session: 'chat' });
    expect(view.sessions).toEqual([
      { session: 'chat', blocks: 6, now: 9 },
      { session: 'kb', blocks: 1, now: 1 },
      { session: 'notes', blocks: 0, now: 1 },
    ]);
    expect(view.goneSince).toEqual({ deleted: 0, removed: 0, lowerBound: false });
  });
});

describe('asof.blocks', () => {
  it('pages a session as it was, oldest first, with the total then', async () => {
    const page = value(
      await api['asof.blocks']({ callId: first, session: 'chat', offset: 2, limit: 3 }),
    );
    expect(page.total).toBe(6);
    expect(page.offset).toBe(2);
    expect(page.items.map((b) => b.id)).toEqual([ids.m2, ids.m3, ids.m4]);
  });

  it('filters by kind among the blocks that existed then', async () => {
    const then = value(
      await api['asof.blocks']({ callId: first, session: 'chat', kinds: ['assistant-message'] }),
    );
    expect(then.items.map((b) => b.id)).toEqual([ids.m1, ids.m3]);
    const later = value(
      await api['asof.blocks']({
        callId: second,
        session: 'chat',
        kinds: ['assistant-message', 'fact'],
      }),
    );
    expect(later.items.map((b) => b.id)).toEqual([ids.m1, ids.m3, ids.fact, ids.later]);
  });

  it('names the sessions a shared block had joined by the turn', async () => {
    const kb = value(await api['asof.blocks']({ callId: first, session: 'kb' }));
    expect(kb.items[0]).toMatchObject({ id: ids.fact, sessions: ['kb'] });
    const kbLater = value(await api['asof.blocks']({ callId: second, session: 'kb' }));
    expect(kbLater.items[0]?.sessions).toEqual(['chat', 'kb']);
  });

  it('keeps its list while the store only grows, and drops a block deleted since', async () => {
    expect(value(await api['asof.blocks']({ callId: first, session: 'chat' })).total).toBe(6);
    store.put({
      session: 'chat',
      kind: 'user-message',
      body: 'one more, long after',
      createdAt: t0 + 500,
    });
    expect(value(await api['asof.blocks']({ callId: first, session: 'chat' })).total).toBe(6);
    store.delete(ids.doomed ?? '');
    const page = value(await api['asof.blocks']({ callId: first, session: 'chat' }));
    expect(page.total).toBe(5);
    expect(page.items.map((b) => b.id)).not.toContain(ids.doomed);
    expect(value(await api['asof.sessions']({ callId: first })).goneSince.deleted).toBe(1);
  });
});

describe('asof.block', () => {
  it('shows the edges and sessions a block had at the turn, and what came later', async () => {
    const fact = value(await api['asof.block']({ callId: first, id: ids.fact ?? '' }));
    expect(fact.existed).toBe(true);
    expect(fact.block.sessions).toEqual(['kb']);
    expect(fact.joinedLater.map((j) => j.session)).toEqual(['chat']);
    expect(fact.in).toEqual([]);
    expect(fact.edgesLater).toBe(1);
    const m1 = value(await api['asof.block']({ callId: first, id: ids.m1 ?? '' }));
    expect(m1.out).toMatchObject([
      {
        from: ids.m1,
        kind: 'parent',
        to: ids.m0,
        other: { id: ids.m0, kind: 'user-message', preview: 'message 0 about the ferry' },
      },
    ]);
    const now = value(await api['asof.block']({ callId: second, id: ids.fact ?? '' }));
    expect(now.in.map((e) => e.from)).toEqual([ids.m2]);
  });

  it('says a block was written after the turn', async () => {
    const later = value(await api['asof.block']({ callId: first, id: ids.later ?? '' }));
    expect(later).toMatchObject({ existed: false, block: { sessions: [] }, out: [], in: [] });
    expect(later.writtenSeq).toBeGreaterThan(later.turn.seq);
  });
});

describe('asof.graph', () => {
  it('walks the edges as they were at the turn', async () => {
    const then = value(await api['asof.graph']({ callId: first, block: ids.m2 ?? '', depth: 2 }));
    expect(then.nodes.map((n) => n.id)).toEqual([ids.m2]);
    const later = value(await api['asof.graph']({ callId: second, block: ids.m2 ?? '', depth: 2 }));
    expect(later.nodes.map((n) => n.id).sort()).toEqual([ids.m2, ids.fact].sort());
    expect(later.edges).toEqual([{ from: ids.m2, kind: 'supports', to: ids.fact }]);
    expect(later.nodes.find((n) => n.id === ids.m2)?.role).toBe('root');
  });

  it('without a block, starts from the turn’s selection and marks its candidates', async () => {
    const g = value(await api['asof.graph']({ callId: first }));
    expect(g.nodes.some((n) => n.role === 'selected')).toBe(true);
    const m1 = g.nodes.find((n) => n.id === ids.m1);
    expect(m1?.role).toBe('selected');
    expect(g.edges).toContainEqual({ from: ids.m1, kind: 'parent', to: ids.m0 });
  });

  it('draws nothing around a block written after the turn', async () => {
    expect(value(await api['asof.graph']({ callId: first, block: ids.later ?? '' })).nodes).toEqual(
      [],
    );
  });
});

describe('asof.between', () => {
  it('lists the blocks, edges and calls written between two turns', async () => {
    const w = value(await api['asof.between']({ from: first, to: second }));
    expect(w.reversed).toBe(false);
    expect(w.added.map((a) => [a.id, a.session, a.existedBefore])).toEqual([
      [ids.later, 'chat', false],
      [ids.fact, 'chat', true],
      [expect.any(String), 'notes', false],
    ]);
    expect(w.added[0]).toMatchObject({ kind: 'assistant-message', preview: 'It goes to Lisbon.' });
    expect(w.edges).toEqual([
      {
        from: expect.objectContaining({ id: ids.m2 }),
        kind: 'supports',
        to: expect.objectContaining({ id: ids.fact, kind: 'fact' }),
        seq: expect.any(Number),
      },
    ]);
    // The first turn's own record is the first write after its watermark.
    expect(w.calls).toEqual([
      { callId: first, session: 'chat', seq: expect.any(Number), task: 'where does the ferry go' },
    ]);
    expect(w.truncated).toBe(false);
  });

  it('runs from the earlier turn to the later one whichever is given first, and up to now without `to`', async () => {
    const back = value(await api['asof.between']({ from: second, to: first }));
    expect(back.reversed).toBe(true);
    expect(back.from.callId).toBe(first);
    expect(back.to?.callId).toBe(second);
    const now = value(await api['asof.between']({ from: second }));
    expect(now.to).toBeNull();
    expect(now.deleted.map((d) => d.id)).toEqual([ids.doomed]);
    expect(now.added.map((a) => a.preview)).toContain('and after the second turn');
  });

  it('counts every write between and lists at most `limit` of each kind', async () => {
    const w = value(await api['asof.between']({ from: first, to: second, limit: 2 }));
    expect(w.totals).toEqual({ added: 3, removed: 0, deleted: 0, edges: 1, calls: 1 });
    expect(w.added).toHaveLength(2);
    expect(w.edges).toHaveLength(1);
    expect(w.truncated).toBe(false);
  });
});
