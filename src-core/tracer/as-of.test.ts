import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/index';
import { MODEL } from '../pager/test-fixtures';
import { useTempStores } from '../store/test-helpers';
import { asOfTrace, edgesAt, sessionBlocksAt, sessionsAt, writtenBetween } from './as-of';
import { recordedPolicy, tracedCall } from './call';
import { getTrace, recordOutput } from './trace';

const fresh = useTempStores();

describe('the store as of a turn', () => {
  it('shows the blocks, sessions and edges a call saw, and what was written between two calls', async () => {
    const { store } = fresh();
    const a = store.put({
      session: 'chat',
      kind: 'user-message',
      body: 'where is the ferry?',
    }).block;
    const fact = store.put({
      session: 'kb',
      kind: 'fact',
      body: 'The ferry leaves at nine.',
    }).block;
    const first = await tracedCall(
      store,
      { session: 'chat', task: 'ferry', model: MODEL, budget: 400, now: 1_800_000_000_000 },
      recordedPolicy(DEFAULT_CONFIG),
    );
    await first.recorded;
    // Written after the first call: a message, the fact joining chat, an edge between old blocks, a label.
    const b = store.put({ session: 'chat', kind: 'assistant-message', body: 'At nine.' }).block;
    store.put({ session: 'chat', kind: 'fact', body: 'The ferry leaves at nine.' });
    store.put({
      session: 'kb',
      kind: 'fact',
      body: 'The ferry leaves at nine.',
      labels: ['timetable'],
    });
    store.addEdge(a.id, 'supports', fact.id);
    await recordOutput(store, first.record.callId, 'At nine.');
    const second = await tracedCall(
      store,
      { session: 'chat', task: 'ferry', model: MODEL, budget: 400, now: 1_800_000_060_000 },
      recordedPolicy(DEFAULT_CONFIG),
    );
    await second.recorded;

    const then = asOfTrace(getTrace(store, first.record.callId));
    const now = asOfTrace(getTrace(store, second.record.callId));
    expect(sessionBlocksAt(store, 'chat', then).map((r) => r.id)).toEqual([a.id]);
    expect(sessionBlocksAt(store, 'chat', now).map((r) => r.id)).toEqual([a.id, fact.id, b.id]);
    expect(sessionsAt(store, then)).toEqual([
      { session: 'chat', blocks: 1 },
      { session: 'kb', blocks: 1 },
    ]);
    expect(edgesAt(store, a.id, then)).toEqual([]);
    expect(edgesAt(store, a.id, now)).toEqual([{ from: a.id, kind: 'supports', to: fact.id }]);

    const between = writtenBetween(store, then.seq, now.seq);
    expect(between.added.map((x) => [x.id, x.session])).toEqual([
      [b.id, 'chat'],
      [fact.id, 'chat'],
    ]);
    expect(between.edges.map((e) => [e.from, e.kind, e.to])).toEqual([[a.id, 'supports', fact.id]]);
    // The first call's trace and its output are one call; the second call is recorded after `now`.
    expect(between.calls.map((c) => c.callId)).toEqual([first.record.callId]);
    expect(between.truncated).toBe(false);
    // The first write after the first call's watermark is its own trace.
    expect(writtenBetween(store, then.seq, now.seq, 1)).toMatchObject({
      truncated: true,
      added: [],
      calls: [{ callId: first.record.callId }],
    });
  });
});
