import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiThreads, type ApiThreads } from './api-threads';
import type { ApiResult } from './contract';
import { isLlm386Error, Store } from '../runtime';
import { storeId } from './handlers/store-id';

let dir: string;
let first: string;
let second: string;
let firstBlock: string;
let secondBlock: string;

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-threads-'));
  first = join(dir, 'first');
  second = join(dir, 'second');
  const a = Store.init(first);
  firstBlock = a.put({ session: 'a', kind: 'fact', body: 'in the first store' }).block.id;
  a.close();
  const b = Store.init(second);
  b.put({ session: 'b', kind: 'fact', body: 'in the second store' });
  secondBlock = b.put({ session: 'b', kind: 'fact', body: 'also in the second store' }).block.id;
  b.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function threads(onSwitched?: (dir: string) => void): ApiThreads {
  return startApiThreads({
    bundlesDir: join(dir, 'bundles'),
    known: [
      { dir: first, origin: 'opened' },
      { dir: second, origin: 'recent' },
    ],
    onSwitched,
  });
}

describe('the runtime in worker threads', () => {
  it('checks input before any thread sees it, and answers no-store before a store is open', async () => {
    const api = threads();
    try {
      expect(await api.handlers['blocks.get']({ id: 42 })).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-input',
          message: expect.stringMatching(/^blocks\.get: id: /) as unknown,
        },
      });
      expect(await api.call('no.such.method', {})).toMatchObject({
        ok: false,
        code: 'unknown-method',
      });
      expect(await api.handlers['store.info']({})).toMatchObject({
        ok: false,
        error: { code: 'no-store' },
      });
    } finally {
      await api.close();
    }
  });

  it('rejects with the runtime coded error when the store cannot be opened', async () => {
    const api = threads();
    try {
      const error: unknown = await api.open(join(dir, 'missing')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isLlm386Error(error, 'store-not-found')).toBe(true);
      expect(await api.handlers['store.info']({})).toMatchObject({
        ok: false,
        error: { code: 'no-store', message: expect.stringContaining('missing') as unknown },
      });
    } finally {
      await api.close();
    }
  });

  it('answers from the open store in both lanes, and both follow a switch asked by a handler', async () => {
    let switched: (dir: string) => void = () => undefined;
    const followed = new Promise<string>((resolveSwitch) => (switched = resolveSwitch));
    const api = threads((to) => switched(to));
    try {
      await api.open(first);
      expect(value(await api.handlers['store.info']({})).blocks).toBe(1);
      expect(value(await api.handlers['blocks.get']({ id: firstBlock })).block.text).toBe(
        'in the first store',
      );

      const view = value(await api.handlers['stores.open']({ id: storeId(second) }));
      expect(view.current).toBe(storeId(second));
      // The next calls, quick lane (store.info) and runtime lane (blocks.get), see the second store.
      const info = value(await api.handlers['store.info']({}));
      expect(info.id).toBe(storeId(second));
      expect(info.blocks).toBe(2);
      expect(value(await api.handlers['blocks.get']({ id: secondBlock })).block.text).toBe(
        'also in the second store',
      );
      expect(api.dir).toBe(second);
      // Told once both lanes have the second store.
      expect(await followed).toBe(second);
    } finally {
      await api.close();
    }
  });

  it('fails calls as data once closed', async () => {
    const api = threads();
    await api.open(first);
    await api.close();
    expect(await api.handlers['store.info']({})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});
