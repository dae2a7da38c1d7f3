import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import { describe, expect, it } from 'vitest';
import { fixedClock, idTime, isLlm386Error, type ErrorCode } from '../base/index';
import { repairStore, verifyStore } from './check';
import { Store, STORE_FILE, STORE_FORMAT_VERSION } from './store';
import { useTempStores } from './test-helpers';

const fresh = useTempStores();
function code(fn: () => unknown): ErrorCode | string {
  try {
    fn();
  } catch (error) {
    return isLlm386Error(error) ? error.code : String(error);
  }
  return 'no error';
}

describe('put and get', () => {
  it('stores a block with a time-ordered id and the SHA-256 of its body', () => {
    const { store } = fresh();
    const { block } = store.put({
      session: 's1',
      kind: 'fact',
      body: 'the sky is blue',
      priority: 0.5,
      labels: ['b', 'a'],
    });
    expect(block.id).toMatch(/^[0-9a-f]{32}$/);
    expect(block.hash).toBe(createHash('sha256').update('the sky is blue').digest('hex'));
    expect(block.labels).toEqual(['a', 'b']);
    const got = store.get(block.id);
    expect(Buffer.from(got!.body).toString()).toBe('the sky is blue');
    expect(got!.priority).toBe(0.5);
    const second = store.put({ session: 's1', kind: 'fact', body: 'another fact' });
    expect(second.block.id > block.id).toBe(true);
  });

  it('answers the write that created a block without its record', () => {
    const { store } = fresh();
    const a = store.put({ session: 's1', kind: 'fact', body: 'first' }).block;
    const b = store.put({ session: 's2', kind: 'fact', body: 'first' }).block; // a dedup: a's write
    expect(store.writeSeq(a.id)).toBe(store.getRecord(a.id)?.seq);
    expect(store.writeSeq(b.id)).toBe(store.writeSeq(a.id));
    expect(store.writeSeq('0'.repeat(32))).toBeUndefined();
  });

  it('costs O(1) per session a fact joins: its record and earlier session copies are never rewritten', () => {
    const { store } = fresh();
    const first = store.put({ session: 's0', kind: 'fact', body: 'one fact, many sessions' }).block;
    store.put({ session: 's1', kind: 'fact', body: 'one fact, many sessions' });
    const bytes = () => store.db.blocks.getBinary(first.id)?.length;
    const copyOf = (s: string) =>
      store.db.sessionBlocks.getBinary([s, first.id] as never)?.toString('hex');
    const sharedBytes = bytes();
    const s1Copy = copyOf('s1');
    store.transaction(() => {
      for (let i = 2; i < 1500; i++)
        store.put({ session: `s${i}`, kind: 'fact', body: 'one fact, many sessions' });
    });
    expect(bytes()).toBe(sharedBytes);
    expect(copyOf('s1')).toBe(s1Copy);
    expect(store.joinedAt(first.id, 's0')).toBeLessThan(store.joinedAt(first.id, 's1') as number);
    expect(store.joinedAt(first.id, 's1499')).toBeGreaterThan(
      store.joinedAt(first.id, 's1') as number,
    );
    const sessions = store.requireRecord(first.id).sessions;
    expect(sessions).toHaveLength(1500);
    expect(store.list('s700').map((r) => r.sessions.length)).toEqual([1500]);
  });

  it('dedups knowledge kinds per (kind, hash) and adds the session as another reference', () => {
    const { store } = fresh();
    const a = store.put({ session: 's1', kind: 'fact', body: 'shared fact' });
    const b = store.put({ session: 's2', kind: 'fact', body: 'shared fact' });
    expect(b.deduped).toBe(true);
    expect(b.block.id).toBe(a.block.id);
    expect(store.getRecord(a.block.id)!.sessions).toEqual(['s1', 's2']);
    expect(store.listIds('s2')).toEqual([a.block.id]);
    // Same body, other knowledge kind: a separate block sharing the bytes.
    const c = store.put({ session: 's1', kind: 'summary', body: 'shared fact' });
    expect(c.deduped).toBe(false);
    expect(c.block.hash).toBe(a.block.hash);
  });

  it('never merges repeated chat messages: event kinds always create a new block but share the body', () => {
    const { store } = fresh();
    const a = store.put({ session: 's1', kind: 'user-message', body: 'ok' });
    const b = store.put({ session: 's1', kind: 'user-message', body: 'ok' });
    expect(b.deduped).toBe(false);
    expect(b.block.id).not.toBe(a.block.id);
    expect(b.block.hash).toBe(a.block.hash);
    expect(store.db.bodies.getStats()).toMatchObject({ entryCount: 1 });
    expect(store.sessions()).toEqual([{ session: 's1', blocks: 2 }]);
    expect(store.sessionSize('s1')).toBe(2);
    expect(store.sessionSize('nobody')).toBe(0);
  });

  it('rejects bad input with coded errors and writes nothing', () => {
    const { store } = fresh();
    expect(code(() => store.put({ session: 's', kind: 'fact', body: 'x', priority: 1.5 }))).toBe(
      'invalid-priority',
    );
    expect(code(() => store.put({ session: 's', kind: 'fact', body: 'x', priority: -0.1 }))).toBe(
      'invalid-priority',
    );
    expect(code(() => store.put({ session: 's', kind: 'factoid', body: 'x' }))).toBe(
      'invalid-kind',
    );
    expect(code(() => store.put({ session: 'bad session!', kind: 'fact', body: 'x' }))).toBe(
      'invalid-session',
    );
    expect(code(() => store.put({ session: 's', kind: 'fact', body: '' }))).toBe('empty-body');
    expect(
      code(() => store.put({ session: 's', kind: 'fact', body: 'x', parents: ['nothex'] })),
    ).toBe('invalid-id');
    expect(
      code(() => store.put({ session: 's', kind: 'fact', body: 'x', parents: ['0'.repeat(32)] })),
    ).toBe('block-not-found');
    expect(code(() => store.getRecord('xyz'))).toBe('invalid-id');
    expect(store.blockCount()).toBe(0);
    expect(store.db.bodies.getStats()).toMatchObject({ entryCount: 0 });
  });

  it('writes a batch atomically: one bad parent in putMany leaves nothing behind', () => {
    const { store } = fresh();
    expect(
      code(() =>
        store.putMany([
          { session: 's', kind: 'fact', body: 'first' },
          { session: 's', kind: 'fact', body: 'second', parents: ['f'.repeat(32)] },
        ]),
      ),
    ).toBe('block-not-found');
    expect(store.blockCount()).toBe(0);
    expect(store.sessions()).toEqual([]);
  });

  it('keeps a backdated time and a speaker name; the id is still the time of writing', () => {
    const { store } = fresh({ clock: fixedClock(1_700_000_000_000) });
    const block = store.put({
      session: 's',
      kind: 'user-message',
      body: 'hi',
      createdAt: 1_500_000_000_000,
      name: 'Ines',
    }).block;
    expect(block).toMatchObject({ createdAt: 1_500_000_000_000, name: 'Ines' });
    expect(idTime(block.id)).toBe(1_700_000_000_000);
    expect(store.getRecord(block.id)).toMatchObject({ createdAt: 1_500_000_000_000, name: 'Ines' });
    for (const name of ['', 'x'.repeat(129), 'a\u0007b']) {
      expect(() => store.put({ session: 's', kind: 'user-message', body: 'x', name })).toThrow(
        /name .* must be 1-128 characters/,
      );
    }
    expect(() =>
      store.put({ session: 's', kind: 'user-message', body: 'x', createdAt: Number.NaN }),
    ).toThrow(/not a valid time/);
  });

  it('answers a put retried with the same idempotency key with the first result, writing nothing', () => {
    const { store } = fresh();
    const first = store.put({
      session: 's',
      kind: 'user-message',
      body: 'hi',
      idempotencyKey: 'k1',
    }).block;
    const again = store.put({
      session: 's',
      kind: 'user-message',
      body: 'hi',
      idempotencyKey: 'k1',
    }).block;
    expect(again.id).toBe(first.id);
    expect(store.listIds('s')).toEqual([first.id]);
    expect(store.put({ session: 's', kind: 'user-message', body: 'hi' }).block.id).not.toBe(
      first.id,
    );
    expect(() => store.put({ session: 's', kind: 'fact', body: 'x', idempotencyKey: '' })).toThrow(
      /idempotency key must be 1-200 characters/,
    );
  });

  it('accepts labels of 1-200 characters only', () => {
    const { store } = fresh();
    expect(
      store.put({ session: 's', kind: 'fact', body: 'a', labels: ['x'.repeat(200)] }).block.labels,
    ).toEqual(['x'.repeat(200)]);
    expect(() => store.put({ session: 's', kind: 'fact', body: 'b', labels: [''] })).toThrow(
      /label "" must be 1-200 characters/,
    );
    expect(() =>
      store.put({ session: 's', kind: 'fact', body: 'c', labels: ['y'.repeat(100_000)] }),
    ).toThrow(/must be 1-200 characters/);
  });

  it('stores non-UTF-8 bytes exactly and shows them as a placeholder, never raw', () => {
    const { store } = fresh();
    const bytes = new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3]);
    const { block } = store.put({ session: 's', kind: 'document-chunk', body: bytes });
    expect([...store.get(block.id)!.body]).toEqual([...bytes]);
    expect(store.text(block)).toMatch(/^\[binary body: 5 bytes, sha256 [0-9a-f]{16}\]$/);
  });

  it('stores a 50 MB body and reads it back intact', () => {
    const { store } = fresh();
    const big = Buffer.alloc(50 * 1024 * 1024, 'abcdefghij');
    const { block } = store.put({ session: 's', kind: 'document-chunk', body: big });
    expect(block.size).toBe(big.length);
    expect(Buffer.compare(Buffer.from(store.get(block.id)!.body), big)).toBe(0);
  });

  it('caches token counts per (hash, tokenizer) at write time when asked', () => {
    const { store } = fresh({ countTokensWith: ['o200k_base'] });
    const { block } = store.put({ session: 's', kind: 'fact', body: 'hello world' });
    // Counted as rendered: "hello world\n" is three tokens in both encodings.
    expect(store.db.tokens.get([block.hash, 'o200k_base'])).toBe(3);
    expect(store.tokens(block, 'o200k_base')).toBe(3);
    expect(store.tokens(block, 'cl100k_base')).toBe(3);
    expect(store.db.tokens.get([block.hash, 'cl100k_base'])).toBe(3);
  });
});

describe('list and sessions', () => {
  it('lists a session in write order with kind and write-time filters and reverse', () => {
    // The clock says when each block is written (ids carry the time of writing, not createdAt).
    const { store } = fresh({ clock: fixedClock(1e10, 1000) });
    // Backdated blocks (dated long before they are written) take the time of writing as their id.
    const ids = ['user-message', 'assistant-message', 'fact', 'user-message'].map(
      (kind, i) => store.put({ session: 's', kind, body: `m${i}`, createdAt: 99_000 - i }).block.id,
    );
    store.put({ session: 'other', kind: 'fact', body: 'elsewhere' });
    expect(store.listIds('s')).toEqual(ids);
    expect(store.listIds('s', { reverse: true })).toEqual([...ids].reverse());
    expect(store.listIds('s', { kinds: ['user-message'] })).toEqual([ids[0], ids[3]]);
    const at = ids.map((id) => idTime(id));
    expect(new Set(at).size).toBe(4);
    expect(store.listIds('s', { since: at[1], until: at[2] })).toEqual([ids[1], ids[2]]);
    expect(store.listIds('s', { limit: 2, reverse: true })).toEqual([ids[3], ids[2]]);
    expect(store.list('s', { kinds: ['fact'] }).map((b) => b.kind)).toEqual(['fact']);
    expect(
      store.kindCounts('s', ['user-message', 'assistant-message', 'fact', 'tool-call']),
    ).toEqual({ 'user-message': 2, 'assistant-message': 1, fact: 1 });
    expect(store.sessions()).toEqual([
      { session: 'other', blocks: 1 },
      { session: 's', blocks: 4 },
    ]);
  });
});

describe('edges', () => {
  it('accepts a tool-invocation edge only from the assistant message that made the call to its result', () => {
    const { store } = fresh();
    const call = store.put({
      session: 's',
      kind: 'assistant-message',
      body: 'calling',
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
    }).block.id;
    const other = store.put({
      session: 's',
      kind: 'assistant-message',
      body: 'also calling',
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
    }).block.id;
    const plain = store.put({ session: 's', kind: 'assistant-message', body: 'no calls' }).block.id;
    const result = store.put({ session: 's', kind: 'tool-result', body: '42', toolCallId: 'c1' })
      .block.id;
    const stray = store.put({ session: 's', kind: 'tool-result', body: '43', toolCallId: 'c9' })
      .block.id;
    const fact = store.put({ session: 's', kind: 'fact', body: 'a fact' }).block.id;
    expect(() => store.addEdge(result, 'tool-invocation', call)).toThrow(
      /starts at an assistant message with tool calls, not a tool-result/,
    );
    expect(() => store.addEdge(plain, 'tool-invocation', result)).toThrow(
      /not an assistant message without calls/,
    );
    expect(() => store.addEdge(call, 'tool-invocation', fact)).toThrow(
      /ends at a tool-result, not a fact/,
    );
    expect(() => store.addEdge(call, 'tool-invocation', stray)).toThrow(
      /answers call "c9", which .* did not make/,
    );
    expect(store.addEdge(call, 'tool-invocation', result)).toBe(true);
    expect(() => store.addEdge(other, 'tool-invocation', result)).toThrow(
      /already answers .*: a result has one caller/,
    );
    expect(store.addEdge(call, 'tool-invocation', result)).toBe(false);
  });

  it('indexes both directions, ignores repeats and rejects unknown kinds and ids', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    const b = store.put({ session: 's', kind: 'summary', body: 'b', parents: [a] }).block.id;
    expect(store.addEdge(b, 'derived-from', a)).toBe(true);
    expect(store.addEdge(b, 'derived-from', a)).toBe(false);
    expect(store.edges(b, 'out')).toEqual([
      { from: b, kind: 'derived-from', to: a },
      { from: b, kind: 'parent', to: a },
    ]);
    expect(store.edges(a, 'in')).toHaveLength(2);
    expect(code(() => store.addEdge(a, 'likes', b))).toBe('invalid-edge-kind');
    expect(code(() => store.addEdge(a, 'supports', '1'.repeat(32)))).toBe('block-not-found');
    expect(code(() => store.addEdge(a, 'supports', a))).toBe('invalid-input');
  });
});

describe('delete and purge', () => {
  it('delete removes the block, every edge touching it, and a body no one else shares', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'user-message', body: 'same' }).block;
    const b = store.put({ session: 's', kind: 'user-message', body: 'same' }).block;
    const c = store.put({ session: 's', kind: 'fact', body: 'c', parents: [a.id] }).block;
    expect(store.hasBlock(a.id)).toBe(true);
    expect(store.delete(a.id)).toEqual({ bodyDeleted: false });
    expect(store.getRecord(a.id)).toBeUndefined();
    expect(store.hasBlock(a.id)).toBe(false);
    expect(store.hasBlock(b.id)).toBe(true);
    expect(store.edges(c.id, 'out')).toEqual([]);
    expect(store.getBody(b.hash)).toBeDefined();
    expect(store.delete(b.id)).toEqual({ bodyDeleted: true });
    expect(store.getBody(b.hash)).toBeUndefined();
    expect(code(() => store.delete(a.id))).toBe('block-not-found');
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('purging a session keeps blocks still referenced by another session', () => {
    const { store } = fresh();
    const shared = store.put({ session: 's1', kind: 'fact', body: 'shared' }).block;
    store.put({ session: 's2', kind: 'fact', body: 'shared' });
    const only = store.put({ session: 's1', kind: 'user-message', body: 'only in s1' }).block;
    expect(store.purgeSession('s1')).toEqual({ deleted: 1, kept: 1 });
    expect(store.getRecord(only.id)).toBeUndefined();
    expect(store.getRecord(shared.id)!.sessions).toEqual(['s2']);
    expect(store.sessions()).toEqual([{ session: 's2', blocks: 1 }]);
    expect(verifyStore(store)).toMatchObject({ ok: true });
  });
});

describe('verify and repair', () => {
  it('verify is clean on a healthy store', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    store.put({ session: 's', kind: 'fact', body: 'b', parents: [a] });
    expect(verifyStore(store)).toMatchObject({ ok: true, blocks: 2, bodies: 2, problems: [] });
  });

  it('finds a corrupted body hash; repair quarantines the block instead of overwriting it', () => {
    const { store } = fresh();
    const good = store.put({ session: 's', kind: 'fact', body: 'good' }).block;
    const bad = store.put({
      session: 's',
      kind: 'fact',
      body: 'will be corrupted',
      parents: [good.id],
    }).block;
    store.db.bodies.putSync(bad.hash, Buffer.from('tampered bytes'));
    const report = verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('hash-mismatch');
    const repaired = repairStore(store);
    expect(repaired.quarantined).toEqual([bad.id]);
    expect(repaired.droppedEdges).toBe(1);
    expect(store.getRecord(bad.id)).toBeUndefined();
    const q = store.db.quarantine.get(bad.id) as { reason: string; body: Buffer };
    expect(q.reason).toBe('hash-mismatch');
    expect(Buffer.from(q.body).toString()).toBe('tampered bytes');
    expect(verifyStore(store)).toMatchObject({ ok: true, blocks: 1 });
  });

  it('finds broken indexes and repair rebuilds them', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'a' }).block;
    const b = store.put({ session: 's', kind: 'fact', body: 'b' }).block;
    store.addEdge(b.id, 'supports', a.id);
    store.db.sessionBlocks.removeSync(['s', a.id]);
    store.db.edgesIn.removeSync([a.id, 'supports', b.id]);
    store.db.sessions.putSync('s', 7);
    store.db.sessionBlocks.putSync(['ghost', b.id], { ...b, seq: 0, joined: 0 });
    const kinds = verifyStore(store).problems.map((p) => p.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['missing-index', 'edge-asymmetric', 'session-count', 'stale-index']),
    );
    repairStore(store);
    expect(verifyStore(store)).toMatchObject({ ok: true });
    expect(store.listIds('s')).toEqual([a.id, b.id]);
    expect(store.edges(a.id, 'in')).toEqual([{ from: b.id, kind: 'supports', to: a.id }]);
  });
});

describe('commit', () => {
  it('writes blocks with explicit ids and edges between them in one transaction', () => {
    const { store } = fresh();
    const a = '018bcfe56be81e1bfafee485db74c3d6';
    const b = '018bcfe56be81e1bfafee485db74c3d7';
    store.commit(
      [
        { id: a, session: 's', kind: 'fact', body: 'one' },
        { id: b, session: 's', kind: 'fact', body: 'two' },
      ],
      [{ from: b, kind: 'supports', to: a }],
    );
    expect(store.edges(a, 'in')).toEqual([{ from: b, kind: 'supports', to: a }]);
  });

  it('commits nothing when any part fails', () => {
    const { store } = fresh();
    const a = '018bcfe56be81e1bfafee485db74c3d6';
    expect(
      code(() =>
        store.commit(
          [{ id: a, session: 's', kind: 'fact', body: 'one' }],
          [{ from: a, kind: 'nonsense', to: a }],
        ),
      ),
    ).toBe('invalid-edge-kind');
    expect(store.blockCount()).toBe(0);
    store.put({ id: a, session: 's', kind: 'user-message', body: 'x' });
    expect(code(() => store.put({ id: a, session: 's', kind: 'user-message', body: 'y' }))).toBe(
      'invalid-input',
    );
  });
});

describe('change log', () => {
  it('records adds, session removals, deletes and edges in order, in the same transaction', () => {
    const { store } = fresh();
    expect(store.changeSeq()).toBe(0);
    const a = store.put({ session: 's1', kind: 'fact', body: 'a' }).block.id;
    store.put({ session: 's2', kind: 'fact', body: 'a' });
    const b = store.put({ session: 's1', kind: 'fact', body: 'b', parents: [a] }).block.id;
    store.purgeSession('s2');
    store.delete(b);
    expect(store.changesSince(0).map((c) => [c.seq, c.op, c.session ?? c.to ?? ''])).toEqual([
      [1, 'add', 's1'],
      [2, 'add', 's2'],
      [3, 'add', 's1'],
      [4, 'edge', a],
      [5, 'remove', 's2'],
      [6, 'remove', 's1'],
      [7, 'delete', ''],
    ]);
    expect(store.changesSince(5).map((c) => c.seq)).toEqual([6, 7]);
    expect(store.changeSeq()).toBe(7);
  });

  it('keeps session copies in step when a knowledge block gains a session', () => {
    const { store } = fresh();
    store.put({ session: 's1', kind: 'fact', body: 'shared' });
    store.put({ session: 's2', kind: 'fact', body: 'shared', labels: ['x'] });
    expect(store.list('s1')[0]).toMatchObject({ sessions: ['s1', 's2'], labels: ['x'] });
    expect(verifyStore(store).ok).toBe(true);
  });
});

describe('opening', () => {
  it('fails clearly on a missing directory and on a directory that is not a store', () => {
    const { dir } = fresh();
    expect(code(() => Store.open(join(dir, 'nope')))).toBe('store-not-found');
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'notes.txt'), 'hi');
    expect(code(() => Store.open(plain))).toBe('not-a-store');
    const garbage = join(dir, 'garbage');
    mkdirSync(garbage);
    writeFileSync(join(garbage, STORE_FILE), Buffer.alloc(8192, 0x5a));
    expect(code(() => Store.open(garbage))).toBe('not-a-store');
  });

  it('refuses a store of a newer format version and touches nothing', async () => {
    const { dir } = fresh();
    const newer = join(dir, 'newer');
    Store.init(newer).close();
    const env = open({ path: join(newer, STORE_FILE), maxDbs: 32 });
    env.openDB({ name: 'meta' }).putSync('formatVersion', STORE_FORMAT_VERSION + 1);
    await env.close();
    expect(code(() => Store.open(newer))).toBe('store-version-too-new');
    const env2 = open({ path: join(newer, STORE_FILE), maxDbs: 32, readOnly: true });
    expect(env2.openDB({ name: 'meta' }).get('formatVersion')).toBe(STORE_FORMAT_VERSION + 1);
    await env2.close();
  });

  it('reopens with everything in place', () => {
    const { store, dir } = fresh();
    const id = store.put({ session: 's', kind: 'fact', body: 'persisted' }).block.id;
    store.close();
    const again = Store.open(dir);
    expect(again.text(again.requireRecord(id))).toBe('persisted');
    expect(again.blockCount()).toBe(1);
    again.close();
  });
});

describe('line shapes', () => {
  it('are recorded when a block is written: a leading slash, a closing punctuation mark', () => {
    const { store } = fresh();
    const shape = (body: string) =>
      store.put({ session: 's', kind: 'user-message', body }).block.shape;
    expect(shape('/help me')).toBe(1);
    expect(shape('  Done.  \n')).toBe(2);
    expect(shape('/reset.')).toBe(3);
    expect(shape('plain words')).toBe(0);
    expect(store.list('s').map((r) => r.shape)).toEqual([1, 2, 3, 0]);
  });
});
