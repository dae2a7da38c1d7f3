import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store, STORE_FILE } from './runtime';
import { storeFolderAt } from './store-folder';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-store-folder-'));
  Store.init(join(dir, 'store')).close();
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'notes.txt'), 'not a store');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('storeFolderAt', () => {
  it('accepts a store folder, and the store’s data file for its folder', () => {
    expect(storeFolderAt(join(dir, 'store'))).toEqual({ ok: true, dir: join(dir, 'store') });
    expect(storeFolderAt(join(dir, 'store', STORE_FILE))).toEqual({
      ok: true,
      dir: join(dir, 'store'),
    });
  });

  it('refuses a folder without a store, another file and a path that is gone, saying what to open', () => {
    expect(storeFolderAt(join(dir, 'empty'))).toEqual({
      ok: false,
      message: expect.stringMatching(/empty is not an LLM386 store .*llm386 init DIR/) as string,
    });
    expect(storeFolderAt(join(dir, 'notes.txt'))).toEqual({
      ok: false,
      message: expect.stringMatching(/notes\.txt is a file, not a store/) as string,
    });
    expect(storeFolderAt(join(dir, 'gone'))).toEqual({
      ok: false,
      message: expect.stringMatching(/gone does not exist/) as string,
    });
  });
});
