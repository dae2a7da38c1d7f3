import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecentStores, rememberStore } from './recent-stores';

describe('recent stores', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'llm386-recent-')), 'recent-stores.json');

  it('keeps stores newest first without duplicates', () => {
    const f = file();
    rememberStore(f, '/a');
    rememberStore(f, '/b');
    expect(rememberStore(f, '/a')).toEqual(['/a', '/b']);
    expect(readRecentStores(f)).toEqual(['/a', '/b']);
  });

  it('reads a missing or malformed file as no stores', () => {
    const f = file();
    expect(readRecentStores(f)).toEqual([]);
    writeFileSync(f, '{"not":"a list"}');
    expect(readRecentStores(f)).toEqual([]);
  });
});
