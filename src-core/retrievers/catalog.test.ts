import { describe, expect, it } from 'vitest';
import { fixedClock } from '../base/index';
import { repairStore } from '../store/index';
import { Catalog } from './catalog';
import { fresh, other } from './test-fixtures/helpers';

describe('Catalog', () => {
  it('is one per store instance', () => {
    const { store } = fresh();
    expect(Catalog.of(store)).toBe(Catalog.of(store));
  });

  it('lists a session oldest first, loading it once, and returns the same array while nothing changes', () => {
    const { store } = fresh();
    const ids = ['a', 'b', 'c'].map(
      (body) => store.put({ session: 's', kind: 'user-message', body }).block.id,
    );
    const catalog = Catalog.of(store);
    catalog.sync();
    const first = catalog.ids(['s']);
    expect(first).toEqual(ids);
    catalog.sync();
    expect(catalog.ids(['s'])).toBe(first);
    expect(catalog.stats.sessionLoads).toBe(1);
  });

  it('merges several sessions into one ascending list without duplicates', () => {
    const { store } = fresh();
    const a = store.put({ session: 's1', kind: 'fact', body: 'shared' }).block.id;
    const b = store.put({ session: 's2', kind: 'fact', body: 'only two' }).block.id;
    store.put({ session: 's2', kind: 'fact', body: 'shared' }); // dedup: `a` joins s2
    const c = store.put({ session: 's1', kind: 'fact', body: 'only one' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    const pool = catalog.pool(['s2', 's1']);
    expect(pool.ids).toEqual([a, b, c]);
    expect(pool.records.map((r) => r.id)).toEqual([a, b, c]);
    expect(pool.has(b)).toBe(true);
    expect(catalog.pool(['s1', 's2'])).toBe(pool);
    expect(catalog.record(a)?.sessions).toEqual(['s1', 's2']);
  });

  it('catches up with puts, a dedup, a delete and a purge made through another store instance', () => {
    const { store, dir } = fresh();
    const first = store.put({ session: 's', kind: 'fact', body: 'one' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([first]);
    expect(catalog.ids(['t'])).toEqual([]);

    const writer = other(dir);
    const second = writer.put({ session: 's', kind: 'fact', body: 'two' }).block.id;
    const third = writer.put({ session: 't', kind: 'fact', body: 'three' }).block.id;
    writer.put({ session: 't', kind: 'fact', body: 'one' }); // first joins t
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([first, second]);
    expect(catalog.ids(['t'])).toEqual([first, third]);
    expect(catalog.record(first)?.sessions).toEqual(['s', 't']);

    writer.delete(second);
    writer.purgeSession('t'); // deletes third, keeps first (still in s)
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([first]);
    expect(catalog.ids(['t'])).toEqual([]);
    expect(catalog.record(first)?.sessions).toEqual(['s']);
    expect(catalog.record(second)).toBeUndefined();
    expect(catalog.stats.sessionLoads).toBe(2);
  });

  it('appends new ids in order without reloading the session', () => {
    const { store } = fresh();
    for (let i = 0; i < 50; i++) store.put({ session: 's', kind: 'user-message', body: `m${i}` });
    const catalog = Catalog.of(store);
    catalog.sync();
    const before = catalog.ids(['s']).length;
    const added = store.put({ session: 's', kind: 'user-message', body: 'later' }).block.id;
    catalog.sync();
    const ids = catalog.ids(['s']);
    expect(ids.length).toBe(before + 1);
    expect(ids[ids.length - 1]).toBe(added);
    expect(catalog.stats.sessionLoads).toBe(1);
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps ids sorted when a block arrives out of order', () => {
    const { store, dir } = fresh();
    const late = store.put({ session: 's', kind: 'user-message', body: 'late' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    catalog.ids(['s']);
    // Another instance mints an id from an older time (its clock is behind): it sorts before `late`.
    const early = other(dir, { clock: fixedClock(1_600_000_000_000) }).put({
      session: 's',
      kind: 'user-message',
      body: 'early',
    }).block.id;
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([early, late]);
  });

  it('starts over after a reset written by repair', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'kept' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([a]);
    repairStore(store);
    catalog.sync();
    expect(catalog.ids(['s'])).toEqual([a]);
    expect(catalog.stats.sessionLoads).toBe(2);
  });

  it('reads records of blocks outside loaded sessions and keeps them fresh', () => {
    const { store } = fresh();
    const a = store.put({ session: 'x', kind: 'fact', body: 'elsewhere' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    expect(catalog.record(a)?.sessions).toEqual(['x']);
    store.put({ session: 'y', kind: 'fact', body: 'elsewhere' });
    catalog.sync();
    expect(catalog.record(a)?.sessions).toEqual(['x', 'y']);
    store.delete(a);
    catalog.sync();
    expect(catalog.record(a)).toBeUndefined();
  });
});

describe('Catalog pool identity', () => {
  it('keeps the same pool object while blocks are only appended, single or merged', () => {
    const { store } = fresh();
    store.put({ session: 's', kind: 'fact', body: 'a' });
    store.put({ session: 'g', kind: 'fact', body: 'b' });
    const catalog = Catalog.of(store);
    catalog.sync();
    const single = catalog.pool(['s']);
    const merged = catalog.pool(['s', 'g']);
    const c = store.put({ session: 's', kind: 'fact', body: 'c' }).block.id;
    const d = store.put({ session: 'g', kind: 'fact', body: 'd' }).block.id;
    catalog.sync();
    expect(catalog.pool(['s'])).toBe(single);
    expect(catalog.pool(['s', 'g'])).toBe(merged);
    expect(merged.ids.slice(-2)).toEqual([c, d]);
    expect(merged.records.map((r) => r.id)).toEqual(merged.ids);
  });

  it('hands out a new pool object after a removal or a changed record, leaving the old one intact', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    const b = store.put({ session: 's', kind: 'fact', body: 'b' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    const before = catalog.pool(['s']);
    store.put({ session: 't', kind: 'fact', body: 'a' }); // a's record changes: now in s and t
    catalog.sync();
    const changed = catalog.pool(['s']);
    expect(changed).not.toBe(before);
    expect(before.records[0]?.sessions).toEqual(['s']);
    expect(changed.records[0]?.sessions).toEqual(['s', 't']);
    store.delete(b);
    catalog.sync();
    const after = catalog.pool(['s']);
    expect(after).not.toBe(changed);
    expect(after.ids).toEqual([a]);
    expect(changed.ids).toEqual([a, b]);
  });

  it('finds a block position in its own pool, single or merged, after appends and removals', () => {
    const { store } = fresh();
    const a = store.put({ session: 's', kind: 'fact', body: 'a' }).block.id;
    const b = store.put({ session: 's', kind: 'fact', body: 'b' }).block.id;
    const g = store.put({ session: 'g', kind: 'fact', body: 'g' }).block.id;
    const catalog = Catalog.of(store);
    catalog.sync();
    const single = catalog.pool(['s']);
    const merged = catalog.pool(['s', 'g']);
    for (const pool of [single, merged])
      for (const id of pool.ids) expect(pool.records[pool.indexOf(id)]?.id).toBe(id);
    expect(single.indexOf(g)).toBe(-1);
    expect(merged.indexOf('nope')).toBe(-1);
    // Appended in place: the same objects answer for the new block.
    const c = store.put({ session: 's', kind: 'fact', body: 'c' }).block.id;
    catalog.sync();
    expect(catalog.pool(['s'])).toBe(single);
    expect(catalog.pool(['s', 'g'])).toBe(merged);
    expect(single.records[single.indexOf(c)]?.id).toBe(c);
    expect(merged.records[merged.indexOf(c)]?.id).toBe(c);
    // A removal rebuilds the view's map for new arrays: the old pool never answers a position
    // of the new arrays (b's removal moves c from 2 to 1 there).
    store.delete(b);
    catalog.sync();
    const after = catalog.pool(['s']);
    expect(after.indexOf(c)).toBe(1);
    expect(after.indexOf(b)).toBe(-1);
    const old = single.indexOf(c);
    expect(old === -1 || single.ids[old] === c).toBe(true);
    expect(single.indexOf(a)).toBe(0);
  });
});
