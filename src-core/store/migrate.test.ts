import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyStore } from './check';
import { Store, STORE_FILE, STORE_FORMAT_VERSION } from './store';

const FIXTURE = join(__dirname, 'fixtures', 'v1-store', STORE_FILE);
const FACT = '01a249f18b323f6521de056d145cff21';
const CALLER = '01a249f18b4853a716e0be8b97e4cae6';
const RESULT = '01a249f18b49410ead3c10c340e70a4d';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A copy of the format-1 fixture store in a temp directory. */
function formatOneCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm386-v1-'));
  dirs.push(dir);
  copyFileSync(FIXTURE, join(dir, STORE_FILE));
  return dir;
}

function rawFormat(dir: string): unknown {
  const root = open({ path: join(dir, STORE_FILE), maxDbs: 32, readOnly: true });
  try {
    return root.openDB({ name: 'meta' }).get('formatVersion');
  } finally {
    void root.close();
  }
}

describe('opening a store written by format 1', () => {
  it('migrates it on open: memberships, records and edges as before, and verify finds nothing', () => {
    const dir = formatOneCopy();
    expect(rawFormat(dir)).toBe(1);
    const store = Store.open(dir);
    try {
      expect(store.db.meta.get('formatVersion')).toBe(STORE_FORMAT_VERSION);
      expect(store.db.meta.get('migratedFrom')).toBe(1);
      expect(verifyStore(store)).toMatchObject({ ok: true, problems: [] });
      const fact = store.requireRecord(FACT);
      expect(fact.sessions).toEqual(['chat-1', 'notes']);
      expect(fact.labels).toEqual(['profile']);
      expect(fact.seq).toBe(0);
      expect(store.list('notes').map((r) => r.id)).toContain(FACT);
      expect(store.list('notes').find((r) => r.id === FACT)?.sessions).toEqual(['chat-1', 'notes']);
      expect(store.sessions()).toEqual([
        { session: 'chat-1', blocks: 15 },
        { session: 'notes', blocks: 2 },
      ]);
      expect(store.edges(CALLER)).toEqual([{ from: CALLER, kind: 'tool-invocation', to: RESULT }]);
      expect(store.edgeSeq(CALLER, 'tool-invocation', RESULT)).toBe(0);
      // New writes after the migration carry their write sequence.
      const before = store.changeSeq();
      const joined = store.put({
        session: 'later',
        kind: 'fact',
        body: 'Ada lives in Lisbon and works as a ferry engineer.',
      });
      expect(joined.deduped).toBe(true);
      expect(store.joinedAt(FACT, 'later')).toBe(before + 1);
      expect(store.requireRecord(FACT).sessions).toEqual(['chat-1', 'later', 'notes']);
      expect(verifyStore(store).ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('migrates on a read-only open too, and a second open finds nothing to do', () => {
    const dir = formatOneCopy();
    const ro = Store.open(dir, { readOnly: true });
    try {
      expect(ro.readOnly).toBe(true);
      expect(ro.requireRecord(FACT).sessions).toEqual(['chat-1', 'notes']);
      expect(verifyStore(ro).ok).toBe(true);
    } finally {
      ro.close();
    }
    expect(rawFormat(dir)).toBe(STORE_FORMAT_VERSION);
    const again = Store.open(dir);
    again.close();
  });
});
