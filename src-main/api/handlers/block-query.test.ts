import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BlockQuery } from './block-query';
import { PREVIEW_LENGTH } from '../contract';
import { Store } from '../../runtime';

let dir: string;
let store: Store;
let query: BlockQuery;
const t0 = Date.UTC(2026, 0, 1);
const ids: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-block-query-'));
  store = Store.init(join(dir, 'store'));
  ids.system = store.put({
    session: 's',
    kind: 'system',
    body: 'Be brief.',
    createdAt: t0,
  }).block.id;
  ids.user = store.put({
    session: 's',
    kind: 'user-message',
    body: 'Where is Ada?',
    createdAt: t0 + 60_000,
    labels: ['question'],
  }).block.id;
  ids.fact = store.put({
    session: 's',
    kind: 'fact',
    body: 'Ada lives in Lisbon.',
    createdAt: t0 + 120_000,
    labels: ['pinned', 'profile'],
  }).block.id;
  ids.summary = store.put({
    session: 's',
    kind: 'summary',
    body: 'Ada asked about Lisbon.',
    createdAt: t0 + 180_000,
    labels: ['profile'],
  }).block.id;
  ids.doc = store.put({
    session: 's',
    kind: 'document-chunk',
    body: 'Lisbon travel guide.',
    createdAt: t0 + 240_000,
  }).block.id;
  query = new BlockQuery(store);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const listed = (
  filters: Parameters<BlockQuery['page']>[0] extends infer T
    ? Omit<T & object, 'session' | 'limit'>
    : never,
) => query.page({ session: 's', limit: 100, ...filters }).items.map((b) => b.id);

describe('blocks.list filters', () => {
  it('by section: the kinds that render there', () => {
    expect(listed({ sections: ['retrieved'] })).toEqual([ids.fact, ids.summary]);
    expect(listed({ sections: ['system', 'background'] })).toEqual([ids.system, ids.doc]);
  });

  it('by section and kind together: both must hold; the task section holds no block', () => {
    expect(listed({ sections: ['retrieved'], kinds: ['summary', 'user-message'] })).toEqual([
      ids.summary,
    ]);
    expect(listed({ sections: ['task'] })).toEqual([]);
  });

  it('by label, exactly', () => {
    expect(listed({ label: 'profile' })).toEqual([ids.fact, ids.summary]);
    expect(listed({ label: 'prof' })).toEqual([]);
  });

  it('by creation time, both ends inclusive', () => {
    expect(listed({ from: t0 + 60_000, to: t0 + 180_000 })).toEqual([
      ids.user,
      ids.fact,
      ids.summary,
    ]);
    expect(listed({ from: t0 + 200_000 })).toEqual([ids.doc]);
    expect(listed({ to: t0 })).toEqual([ids.system]);
  });

  it('combines every filter with the text search', () => {
    expect(listed({ label: 'profile', search: 'LISBON', from: t0 + 150_000 })).toEqual([
      ids.summary,
    ]);
  });

  it('sees a block written after the first listing (the cached list follows store changes)', () => {
    expect(listed({ label: 'late' })).toEqual([]);
    const late = store.put({
      session: 's',
      kind: 'fact',
      body: 'Ada moved to Porto.',
      createdAt: t0 + 300_000,
      labels: ['late'],
    }).block.id;
    expect(listed({ label: 'late' })).toEqual([late]);
  });
});

describe('blocks.list pages', () => {
  it('serves the first unfiltered page without listing the session, and pages on from it', () => {
    const session = 'paged';
    const made = Array.from(
      { length: 7 },
      (_, i) =>
        store.put({ session, kind: 'fact', body: `fact number ${i}`, createdAt: t0 + i }).block.id,
    );
    const q = new BlockQuery(store);
    const listIds = vi.spyOn(store, 'listIds');
    const first = q.page({ session, limit: 3, offset: 0 });
    expect(listIds.mock.calls).toEqual([[session, { limit: 3 }]]);
    listIds.mockRestore();
    expect(first.items.map((b) => b.id)).toEqual(made.slice(0, 3));
    expect(first).toMatchObject({ offset: 0, total: 7, nextCursor: made[2] });
    const second = q.page({ session, limit: 3, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((b) => b.id)).toEqual(made.slice(3, 6));
    expect(q.page({ session, limit: 3, offset: 6 })).toMatchObject({
      offset: 6,
      total: 7,
      nextCursor: null,
    });
    // The same first page as the full listing gives, once that is cached.
    expect(q.page({ session, limit: 3, offset: 0 })).toEqual(first);
    expect(q.page({ session, limit: 10 })).toMatchObject({ total: 7, nextCursor: null });
    expect(q.page({ session: 'nobody', limit: 3 })).toEqual({
      offset: 0,
      items: [],
      total: 0,
      nextCursor: null,
    });
  });
});

describe('block previews', () => {
  it('gives one whitespace-collapsed line cut to the preview length, and the creation time', () => {
    const long = store.put({
      session: 'p',
      kind: 'document-chunk',
      body: `Title\n\n${'word '.repeat(400)}`,
      createdAt: t0 + 1,
    }).block.id;
    const found = query.blockPreview(long);
    expect(found?.createdAt).toBe(t0 + 1);
    expect(found?.preview.startsWith('Title word word')).toBe(true);
    expect(found?.preview).toHaveLength(PREVIEW_LENGTH);
    expect(found?.preview.endsWith('…')).toBe(true);
  });

  it('decodes only the start of a long body, never splitting a character at the cut', () => {
    // 'é' is two bytes in UTF-8: with an odd prefix, the byte cut falls inside one.
    const id = store.put({ session: 'p', kind: 'document-chunk', body: `x${'é'.repeat(2000)}` })
      .block.id;
    const preview = query.blockPreview(id)?.preview ?? '';
    expect(preview).toBe(`x${'é'.repeat(PREVIEW_LENGTH - 2)}…`);
    expect(preview).not.toContain('\uFFFD');
  });

  it('a cached preview is not served once its block is deleted', () => {
    const id = store.put({ session: 'p', kind: 'fact', body: 'Short-lived fact.' }).block.id;
    expect(query.blockPreview(id)?.preview).toBe('Short-lived fact.');
    expect(query.blockPreview(id)?.preview).toBe('Short-lived fact.');
    store.delete(id);
    expect(query.blockPreview(id)).toBeUndefined();
  });
});
