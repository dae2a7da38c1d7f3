import { describe, expect, it } from 'vitest';
import { Llm386Error } from '../base/index';
import { commitReduction } from './commit';
import { jsonEvents } from './json-events';
import { reducerId, type ReduceInput } from './reducer';
import { freshStores, storeState } from './test-helpers';

const fresh = freshStores();
const NOW = 1_700_000_900_000;
const input = (output: string, callId = 'call-1'): ReduceInput => ({
  callId,
  session: 's',
  now: NOW,
  output,
});
const id = (i: number, callId = 'call-1') => reducerId(callId, i, NOW);

describe('json-events: valid envelopes', () => {
  it('commits a bare envelope: blocks with their fields, and parent edges to existing blocks and earlier events', () => {
    const store = fresh();
    const existing = store.put({ session: 's', kind: 'document-chunk', body: 'the source text' })
      .block.id;
    const output = JSON.stringify({
      events: [
        {
          kind: 'fact',
          body: 'Paris is the capital of France',
          labels: ['geo', 'europe'],
          priority: 0.8,
          parents: [existing],
          source: 'chat',
        },
        { kind: 'plan', body: 'step 1: check the atlas', parents: ['$0'] },
      ],
    });
    const results = commitReduction(store, jsonEvents(input(output)));
    expect(results.map((r) => r.block.id)).toEqual([id(0), id(1)]);
    expect(store.requireRecord(id(0))).toMatchObject({
      kind: 'fact',
      priority: 0.8,
      labels: ['europe', 'geo'],
      source: 'chat',
      createdAt: NOW,
    });
    expect(store.requireRecord(id(1))).toMatchObject({
      kind: 'plan',
      priority: 0,
      source: 'call:call-1',
    });
    expect(store.text(store.requireRecord(id(0)))).toBe('Paris is the capital of France');
    expect(store.edges(id(0))).toEqual([{ from: id(0), kind: 'parent', to: existing }]);
    expect(store.edges(id(1))).toEqual([{ from: id(1), kind: 'parent', to: id(0) }]);
  });

  it('commits a fenced envelope with prose around it', () => {
    const store = fresh();
    const output =
      'Noted. Here is what I learned:\n\n```json\n{"events": [{"kind": "state", "body": "user prefers metric units"}]}\n```\n\nAnything else?';
    commitReduction(store, jsonEvents(input(output)));
    expect(store.requireRecord(id(0)).kind).toBe('state');
    expect(store.blockCount()).toBe(1);
  });

  it('accepts an unlabelled fence when there is no json fence, and prefers the json fence over other fences', () => {
    expect(
      jsonEvents(input('```\n{"events": [{"kind": "fact", "body": "a"}]}\n```')).puts,
    ).toHaveLength(1);
    const mixed =
      'Code:\n```python\nprint(1)\n```\nEvents:\n```JSON\n{"events": [{"kind": "fact", "body": "b"}]}\n```';
    expect(jsonEvents(input(mixed)).puts.map((p) => p.body)).toEqual(['b']);
  });

  it('links a summary to what it summarises with derived-from edges', () => {
    const store = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'long fact a' }).block.id;
    const b = store.put({ session: 's', kind: 'fact', body: 'long fact b' }).block.id;
    commitReduction(
      store,
      jsonEvents(
        input(
          JSON.stringify({ events: [{ kind: 'summary', body: 'a and b', parents: [a, b, a] }] }),
        ),
      ),
    );
    expect(store.edges(id(0)).sort((x, y) => (x.to < y.to ? -1 : 1))).toEqual(
      [
        { from: id(0), kind: 'derived-from', to: a },
        { from: id(0), kind: 'derived-from', to: b },
      ].sort((x, y) => (x.to < y.to ? -1 : 1)),
    );
  });

  it('gives the same reduction, ids included, for the same input', () => {
    const output =
      '{"events": [{"kind": "fact", "body": "x"}, {"kind": "fact", "body": "y", "parents": ["$0"]}]}';
    expect(jsonEvents(input(output))).toEqual(jsonEvents(input(output)));
    expect(jsonEvents(input(output)).puts.map((p) => p.id)).toEqual([id(0), id(1)]);
  });

  it('stores nothing for an empty events array', () => {
    expect(jsonEvents(input('{"events": []}'))).toEqual({ puts: [], edges: [] });
  });

  it('reuses an existing knowledge block with the same body, redirecting edges to it', () => {
    const store = fresh();
    const known = store.put({ session: 'other', kind: 'fact', body: 'water boils at 100 C' }).block
      .id;
    const output = JSON.stringify({
      events: [
        { kind: 'fact', body: 'water boils at 100 C' },
        { kind: 'fact', body: 'at sea level', parents: ['$0'] },
      ],
    });
    const [first, second] = commitReduction(store, jsonEvents(input(output)));
    expect(first).toMatchObject({ deduped: true, block: { id: known, sessions: ['other', 's'] } });
    expect(second?.block.id).toBe(id(1));
    expect(store.edges(id(1))).toEqual([{ from: id(1), kind: 'parent', to: known }]);
  });

  it('committing the same reduction twice changes nothing the second time', () => {
    const store = fresh();
    const reduction = jsonEvents(
      input(
        '{"events": [{"kind": "fact", "body": "x"}, {"kind": "summary", "body": "y", "parents": ["$0"]}]}',
      ),
    );
    commitReduction(store, reduction);
    const before = storeState(store);
    expect(commitReduction(store, reduction).map((r) => r.deduped)).toEqual([true, true]);
    expect(storeState(store)).toEqual(before);
  });

  it('drops the self-edge of an event that repeats the event it names as parent', () => {
    const store = fresh();
    const results = commitReduction(
      store,
      jsonEvents(
        input(
          '{"events": [{"kind": "fact", "body": "x"}, {"kind": "fact", "body": "x", "parents": ["$0"]}]}',
        ),
      ),
    );
    expect(results.map((r) => r.block.id)).toEqual([id(0), id(0)]);
    expect(store.edges(id(0), 'both')).toEqual([]);
  });
});

describe('json-events: invalid envelopes are rejected whole, and the store is unchanged', () => {
  const event = (e: Record<string, unknown>) =>
    JSON.stringify({ events: [{ kind: 'fact', body: 'fine' }, e] });
  const cases: [name: string, output: string, message: RegExp, index?: number][] = [
    ['not JSON', '{"events": [{"kind": "fact", "body": "x"}', /the envelope is not valid JSON/],
    ['no envelope (prose)', 'I learned that Paris is in France.', /no envelope found/],
    ['prose before bare JSON', 'Events: {"events": []}', /no envelope found/],
    [
      'two fences',
      '```json\n{"events": []}\n```\n```json\n{"events": []}\n```',
      /found 2 fenced JSON blocks/,
    ],
    [
      'an array, not an envelope',
      '[{"kind": "fact", "body": "x"}]',
      /the envelope is an array, not an object/,
    ],
    ['no events field', '{"facts": []}', /unknown top-level field "facts"/],
    ['missing events', '{}', /has no "events" array/],
    ['events not an array', '{"events": {"kind": "fact"}}', /"events" is an object, not an array/],
    [
      'event not an object',
      '{"events": ["a fact"]}',
      /event 0: is string "a fact", not an object/,
      0,
    ],
    [
      'unknown kind',
      event({ kind: 'banana', body: 'x' }),
      /event 1: unknown kind "banana": use one of system, summary, fact, document-chunk, plan, state/,
      1,
    ],
    [
      'event kind not knowledge',
      event({ kind: 'user-message', body: 'x' }),
      /event 1: kind "user-message" is not a knowledge kind/,
      1,
    ],
    ['missing kind', event({ body: 'x' }), /event 1: has no "kind"/, 1],
    [
      'kind of the wrong type',
      event({ kind: 3, body: 'x' }),
      /event 1: "kind" is number 3, not a string/,
      1,
    ],
    ['empty body', event({ kind: 'fact', body: '  \n' }), /event 1: "body" is empty/, 1],
    ['missing body', event({ kind: 'fact' }), /event 1: has no "body"/, 1],
    [
      'body of the wrong type',
      event({ kind: 'fact', body: ['x'] }),
      /event 1: "body" is an array, not a string/,
      1,
    ],
    [
      'priority out of range',
      event({ kind: 'fact', body: 'x', priority: 1.5 }),
      /event 1: "priority" 1.5 is out of range/,
      1,
    ],
    [
      'priority of the wrong type',
      event({ kind: 'fact', body: 'x', priority: 'high' }),
      /event 1: "priority" is string "high", not a number/,
      1,
    ],
    [
      'labels not an array',
      event({ kind: 'fact', body: 'x', labels: 'geo' }),
      /event 1: "labels" is string "geo", not an array of strings/,
      1,
    ],
    [
      'a label not a string',
      event({ kind: 'fact', body: 'x', labels: ['ok', 7] }),
      /event 1: "labels"\[1\] is number 7, not a non-empty string/,
      1,
    ],
    [
      'parents not an array',
      event({ kind: 'fact', body: 'x', parents: '$0' }),
      /event 1: "parents" is string "\$0", not an array/,
      1,
    ],
    [
      'bad parent reference',
      event({ kind: 'fact', body: 'x', parents: ['block-7'] }),
      /event 1: parent "block-7" is neither a block id/,
      1,
    ],
    [
      'forward $n reference',
      event({ kind: 'fact', body: 'x', parents: ['$2'] }),
      /event 1: parent "\$2" refers forward to a later event/,
      1,
    ],
    [
      'self $n reference',
      event({ kind: 'fact', body: 'x', parents: ['$1'] }),
      /event 1: parent "\$1" refers to the event itself/,
      1,
    ],
    [
      'source of the wrong type',
      event({ kind: 'fact', body: 'x', source: 42 }),
      /event 1: "source" is number 42, not a non-empty string/,
      1,
    ],
    [
      'unknown event field',
      event({ kind: 'fact', body: 'x', parent: '$0' }),
      /event 1: unknown field "parent"/,
      1,
    ],
  ];

  it.each(cases)('%s', (_name, output, message, index) => {
    const store = fresh();
    store.put({ session: 's', kind: 'fact', body: 'already here' });
    const before = storeState(store);
    let error: unknown;
    try {
      commitReduction(store, jsonEvents(input(output)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Llm386Error);
    expect(error).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(message) });
    expect((error as Error).message).toMatch(/^json-events: .*; nothing was stored$/s);
    if (index !== undefined) expect((error as Llm386Error).details).toMatchObject({ index });
    expect(storeState(store)).toEqual(before);
  });

  it('a parent id that does not exist fails the whole commit, and the store is unchanged', () => {
    const store = fresh();
    store.put({ session: 's', kind: 'fact', body: 'already here' });
    const before = storeState(store);
    const ghost = reducerId('ghost', 0, NOW);
    const reduction = jsonEvents(
      input(
        JSON.stringify({
          events: [
            { kind: 'fact', body: 'ok' },
            { kind: 'fact', body: 'orphan', parents: [ghost] },
          ],
        }),
      ),
    );
    expect(() => commitReduction(store, reduction)).toThrow(
      expect.objectContaining({ code: 'block-not-found' }),
    );
    expect(storeState(store)).toEqual(before);
    expect(store.getRecord(id(0))).toBeUndefined();
  });
});
