import { describe, expect, it } from 'vitest';
import { idTime, isBlockId, seededIdSource, sha256Hex, type BlockId } from '../base/index';
import { appendOutput, identity } from './builtins';
import { commitReduction } from './commit';
import { reducerId } from './reducer';
import { REDUCER_NAMES, reducerByName } from './registry';
import { freshStores, storeState } from './test-helpers';

const fresh = freshStores();
const NOW = 1_700_000_500_000;

describe('reducerId', () => {
  it('is a valid block id whose time prefix is now', () => {
    const id = reducerId('call-1', 0, NOW);
    expect(isBlockId(id)).toBe(true);
    expect(idTime(id)).toBe(NOW);
  });

  it('is the same for the same call and index, and differs by index and call', () => {
    expect(reducerId('call-1', 3, NOW)).toBe(reducerId('call-1', 3, NOW));
    expect(reducerId('call-1', 3, NOW)).not.toBe(reducerId('call-1', 4, NOW));
    expect(reducerId('call-1', 3, NOW)).not.toBe(reducerId('call-2', 3, NOW));
  });

  it('takes its low 80 bits from sha256 of "callId:index", like seededIdSource', () => {
    expect(reducerId('c', 7, NOW).slice(12)).toBe(sha256Hex('c:7').slice(0, 20));
    const seeded = seededIdSource('c', sha256Hex);
    expect([0, 1, 2].map(() => seeded.next(NOW))).toEqual(
      [0, 1, 2].map((i) => reducerId('c', i, NOW)),
    );
  });

  it('rejects an empty call id, a negative index and a bad time', () => {
    for (const bad of [
      () => reducerId('', 0, NOW),
      () => reducerId('c', -1, NOW),
      () => reducerId('c', 1.5, NOW),
      () => reducerId('c', 0, Number.NaN),
    ]) {
      expect(bad).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    }
  });
});

describe('identity', () => {
  it('stores nothing', () => {
    expect(identity({ callId: 'c', session: 's', now: NOW, output: 'anything' })).toEqual({
      puts: [],
      edges: [],
    });
  });
});

describe('append-output', () => {
  it('stores the reply as an assistant message with a parent edge to the user message', () => {
    const store = fresh();
    const user = store.put({ session: 's', kind: 'user-message', body: 'what is 2+2?' }).block.id;
    const reduction = appendOutput({
      callId: 'call-9',
      session: 's',
      now: NOW,
      output: '4',
      userMessageId: user,
    });
    const [result] = commitReduction(store, reduction);
    const id = reducerId('call-9', 0, NOW);
    expect(result?.block).toMatchObject({
      id,
      kind: 'assistant-message',
      createdAt: NOW,
      sessions: ['s'],
      source: 'call:call-9',
    });
    expect(store.text(store.requireRecord(id))).toBe('4');
    expect(store.edges(id)).toEqual([{ from: id, kind: 'parent', to: user }]);
  });

  it('without a user message, stores the reply with no edges', () => {
    const reduction = appendOutput({ callId: 'c', session: 's', now: NOW, output: 'hello' });
    expect(reduction.edges).toEqual([]);
    expect(reduction.puts).toHaveLength(1);
  });

  it('gives the same reduction for the same input', () => {
    const input = {
      callId: 'c',
      session: 's',
      now: NOW,
      output: 'hi',
      userMessageId: reducerId('u', 0, NOW - 1),
    };
    expect(appendOutput(input)).toEqual(appendOutput(input));
  });

  it('rejects an empty reply with empty-body', () => {
    expect(() => appendOutput({ callId: 'c', session: 's', now: NOW, output: '' })).toThrow(
      expect.objectContaining({ code: 'empty-body' }),
    );
  });

  it('fails the commit, changing nothing, when the user message does not exist', () => {
    const store = fresh();
    store.put({ session: 's', kind: 'fact', body: 'x' });
    const before = storeState(store);
    const reduction = appendOutput({
      callId: 'c',
      session: 's',
      now: NOW,
      output: 'hi',
      userMessageId: reducerId('missing', 0, NOW) as BlockId,
    });
    expect(() => commitReduction(store, reduction)).toThrow(
      expect.objectContaining({ code: 'block-not-found' }),
    );
    expect(storeState(store)).toEqual(before);
  });

  it('refuses to store the same reply twice (the minted id exists), changing nothing', () => {
    const store = fresh();
    const reduction = appendOutput({ callId: 'c', session: 's', now: NOW, output: 'hi' });
    commitReduction(store, reduction);
    const before = storeState(store);
    expect(() => commitReduction(store, reduction)).toThrow(/already exists/);
    expect(storeState(store)).toEqual(before);
  });

  it('rejects a bad session or user message id before reducing', () => {
    expect(() =>
      appendOutput({ callId: 'c', session: 'bad session', now: NOW, output: 'x' }),
    ).toThrow(expect.objectContaining({ code: 'invalid-session' }));
    expect(() =>
      appendOutput({
        callId: 'c',
        session: 's',
        now: NOW,
        output: 'x',
        userMessageId: 'nope' as BlockId,
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-id' }));
  });
});

describe('commitReduction', () => {
  it('rejects a put without an explicit id', () => {
    const store = fresh();
    expect(() =>
      commitReduction(store, { puts: [{ session: 's', kind: 'fact', body: 'x' }], edges: [] }),
    ).toThrow(/no explicit id/);
    expect(store.blockCount()).toBe(0);
  });

  it('turns put parents into parent edges in the same transaction', () => {
    const store = fresh();
    const a = reducerId('c', 0, NOW);
    const b = reducerId('c', 1, NOW);
    commitReduction(store, {
      puts: [
        { id: a, session: 's', kind: 'fact', body: 'a' },
        { id: b, session: 's', kind: 'fact', body: 'b', parents: [a] },
      ],
      edges: [],
    });
    expect(store.edges(b)).toEqual([{ from: b, kind: 'parent', to: a }]);
  });
});

describe('reducerByName', () => {
  it('finds every built-in by name', () => {
    expect(REDUCER_NAMES.map((n) => typeof reducerByName(n))).toEqual([
      'function',
      'function',
      'function',
    ]);
    expect(reducerByName('append-output')).toBe(appendOutput);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => reducerByName('json')).toThrow(
      /unknown reducer "json": use one of identity, append-output, json-events/,
    );
    expect(() => reducerByName('json')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});
