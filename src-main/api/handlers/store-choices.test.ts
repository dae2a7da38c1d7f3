import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from './index';
import { DEFAULT_CONFIG, Store, STORE_FILE } from '../../runtime';
import { storeChoices } from './store-choices';
import { storeId } from './store-id';

let dir: string;
let first: string;
let bundles: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-stores-'));
  first = join(dir, 'first');
  bundles = join(dir, 'bundles');
  Store.init(first).close();
  for (const name of ['turn-a', 'turn-b']) {
    mkdirSync(join(bundles, name), { recursive: true });
    writeFileSync(join(bundles, name, STORE_FILE), '');
  }
  // Not a store: no data file.
  mkdirSync(join(bundles, 'stray'), { recursive: true });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function choices(current: { dir: string }) {
  const switched: string[] = [];
  const c = storeChoices({
    bundlesDir: bundles,
    known: () => [{ dir: first, origin: 'opened' }],
    currentDir: () => current.dir,
    switchTo: (d) => switched.push(d),
  });
  return { c, switched };
}

describe('store choices', () => {
  it('lists the open store first, then the one opened at start and the stores made from bundles, each by id', () => {
    const { c } = choices({ dir: join(bundles, 'turn-a') });
    const view = c.list();
    expect(view.current).toBe(storeId(join(bundles, 'turn-a')));
    expect(view.stores.map((s) => [s.name, s.origin])).toEqual([
      ['turn-a', 'bundle'],
      ['first', 'opened'],
      ['turn-b', 'bundle'],
    ]);
    expect(view.stores.every((s) => /^[0-9a-f]{16}$/.test(s.id))).toBe(true);
  });

  it('switches back to the previous store by its id, and opening the open store does nothing', () => {
    const current = { dir: join(bundles, 'turn-a') };
    const { c, switched } = choices(current);
    expect(c.open(storeId(first)).current).toBe(storeId(first));
    expect(switched).toEqual([first]);
    expect(c.open(storeId(current.dir)).current).toBe(storeId(current.dir));
    expect(switched).toEqual([first]);
  });

  it('offers the stores named at start, the recent ones (none that is gone or holds no store) and the bundles’', () => {
    const second = join(dir, 'second');
    const recent = join(dir, 'recent');
    Store.init(second).close();
    Store.init(recent).close();
    mkdirSync(join(dir, 'not-a-store'), { recursive: true });
    const c = storeChoices({
      bundlesDir: bundles,
      known: () => [
        { dir: first, origin: 'opened' },
        { dir: second, origin: 'opened' },
        { dir: join(dir, 'deleted'), origin: 'recent' },
        { dir: join(dir, 'not-a-store'), origin: 'recent' },
        { dir: first, origin: 'recent' },
        { dir: recent, origin: 'recent' },
        { dir: join(bundles, 'turn-b'), origin: 'recent' },
      ],
      currentDir: () => second,
      switchTo: () => undefined,
    });
    expect(c.list().stores.map((s) => [s.name, s.origin])).toEqual([
      ['second', 'opened'],
      ['first', 'opened'],
      ['recent', 'recent'],
      // A recent store made from a bundle is listed as one.
      ['turn-b', 'bundle'],
      ['turn-a', 'bundle'],
    ]);
  });

  it('refuses an id it does not know, with a reason', () => {
    const { c, switched } = choices({ dir: first });
    expect(() => c.open('0'.repeat(16))).toThrow(/no store 0{16} among the 3 this inspector knows/);
    expect(switched).toEqual([]);
  });

  it('stores.list and stores.open without a host: the open store is the only one', async () => {
    const store = Store.open(first);
    try {
      const api = createApiHandlers({ store, config: DEFAULT_CONFIG });
      const id = storeId(first);
      expect(await api['stores.list']({})).toEqual({
        ok: true,
        value: { current: id, stores: [{ id, name: 'first', path: store.dir, origin: 'opened' }] },
      });
      expect(await api['stores.open']({ id })).toMatchObject({ ok: true, value: { current: id } });
      const other = await api['stores.open']({ id: '1'.repeat(16) });
      expect(other.ok === false && other.error.code).toBe('store-not-found');
      expect(await api['store.changes']({})).toMatchObject({ ok: true, value: { store: id } });
    } finally {
      store.close();
    }
  });
});
