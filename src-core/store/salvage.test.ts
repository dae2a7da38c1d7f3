import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLlm386Error, type BlockId } from '../base/index';
import type { BlockRecord, Edge } from './block';
import { verifyStore } from './check';
import { PageFile } from './lmdb-pages';
import { walkLiveTrees } from './lmdb-walk';
import { scanStore, type SalvageScan } from './salvage';
import { ValueDecoder } from './salvage-decode';
import { toRecord } from './salvage-entries';
import { salvageStore } from './salvage-store';
import { Store, STORE_FILE } from './store';
import { useTempDirs } from './test-helpers';

const tempDir = useTempDirs('llm386-salvage-test-');

/** A closed store with event and knowledge blocks, a body on overflow pages, a tool pair and a few edges. */
function sampleStore(): { dir: string; records: Map<string, BlockRecord>; edges: Edge[] } {
  const dir = join(tempDir(), 'store');
  const store = Store.init(dir);
  const ids: string[] = [];
  for (let batch = 0; batch < 6; batch++) {
    const puts = Array.from({ length: 50 }, (_, i) => ({
      session: 'chat',
      kind: i % 2 === 0 ? 'user-message' : 'assistant-message',
      body: `message ${batch}-${i}: ${'lorem ipsum '.repeat(20)}`,
      labels: i % 7 === 0 ? ['seven'] : [],
      ...(i % 5 === 0 ? { name: 'ada', source: `chat.jsonl#${i}` } : {}),
    }));
    ids.push(...store.putMany(puts).map((r) => r.block.id));
  }
  const caller = store.put({
    session: 'chat',
    kind: 'assistant-message',
    body: 'lookup(x)',
    toolCalls: [{ id: 'call-1', name: 'lookup', arguments: '{"q":"x"}' }],
  }).block.id;
  const result = store.put({
    session: 'chat',
    kind: 'tool-result',
    body: 'x is 42',
    toolCallId: 'call-1',
  }).block.id;
  store.addEdge(caller, 'tool-invocation', result);
  const fact = store.put({ session: 'chat', kind: 'fact', body: 'the sky is blue', priority: 0.75 })
    .block.id;
  store.put({ session: 'notes', kind: 'fact', body: 'the sky is blue' });
  store.put({ session: 'chat', kind: 'document-chunk', body: 'a long document '.repeat(2000) });
  store.addEdge(fact, 'supports', ids[3] as string);
  store.addEdge(ids[10] as string, 'parent', ids[9] as string);
  const records = new Map<string, BlockRecord>();
  // Salvage writes a new store: the write sequences of the old one are not carried over.
  for (const { session } of store.sessions())
    for (const { seq: _seq, joined: _joined, ...r } of store.list(session)) records.set(r.id, r);
  const edges = [...records.keys()].flatMap((id) => store.edges(id, 'out'));
  store.close();
  return { dir, records, edges };
}

async function scan(dir: string): Promise<SalvageScan> {
  const file = PageFile.open(join(dir, STORE_FILE));
  const decoder = new ValueDecoder();
  try {
    return scanStore(file, decoder);
  } finally {
    file.close();
    await decoder.close();
  }
}

/** Overwrites page `pgno` of the store's file with 4 KB of pseudo-random bytes. */
function garbage(dir: string, pgno: number): void {
  let x = pgno + 386;
  const bytes = Buffer.from(
    Array.from({ length: 4096 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff),
  );
  const fd = openSync(join(dir, STORE_FILE), 'r+');
  writeSync(fd, bytes, 0, bytes.length, pgno * 4096);
  closeSync(fd);
}

/** The live leaf pages of each table, in walk order. */
function liveLeaves(dir: string): Map<string, number[]> {
  const file = PageFile.open(join(dir, STORE_FILE));
  const leaves = new Map<string, number[]>();
  walkLiveTrees(file, (table, page) =>
    leaves.set(table, [...(leaves.get(table) ?? []), page.pgno]),
  );
  file.close();
  return leaves;
}

function expectAllRecovered(
  result: SalvageScan,
  records: Map<string, BlockRecord>,
  edges: Edge[],
): void {
  expect(result.lost).toEqual([]);
  expect(result.blocks.size).toBe(records.size);
  for (const [id, record] of records)
    expect(result.blocks.get(id as BlockId)?.record).toEqual(record);
  expect(new Set(result.edges.map((e) => `${e.from}|${e.kind}|${e.to}`))).toEqual(
    new Set(edges.map((e) => `${e.from}|${e.kind}|${e.to}`)),
  );
}

describe('scanStore', () => {
  it('reads every record, body and edge of a healthy store as the store reads them', async () => {
    const { dir, records, edges } = sampleStore();
    const result = await scan(dir);
    expectAllRecovered(result, records, edges);
    expect(result.pages.treesWalked).toBe(true);
    expect(result.pages.damaged).toBe(0);
  });

  it('reads records from the session-blocks copies when a leaf of blocks is garbage', async () => {
    const { dir, records, edges } = sampleStore();
    const blocksLeaves = liveLeaves(dir).get('blocks') ?? [];
    expect(blocksLeaves.length).toBeGreaterThan(1);
    for (const pgno of blocksLeaves) garbage(dir, pgno);
    const result = await scan(dir);
    expectAllRecovered(result, records, edges);
    expect(result.pages.damaged).toBe(blocksLeaves.length);
  });

  it('reads every page by content when both meta pages are garbage', async () => {
    const { dir, records, edges } = sampleStore();
    garbage(dir, 0);
    garbage(dir, 1);
    const result = await scan(dir);
    expect(result.pages.treesWalked).toBe(false);
    expectAllRecovered(result, records, edges);
  });

  it('lists as lost a block whose body bytes no longer hash to its key in any copy', async () => {
    const { dir, records } = sampleStore();
    const victim = [...records.values()].find((r) => r.kind === 'tool-result') as BlockRecord;
    // Flip a byte in every copy of the body (stale pages hold old copies too).
    const path = join(dir, STORE_FILE);
    const bytes = readFileSync(path);
    let copies = 0;
    for (let at = bytes.indexOf('x is 42'); at >= 0; at = bytes.indexOf('x is 42', at + 1)) {
      bytes[at] = 'y'.charCodeAt(0);
      copies++;
    }
    expect(copies).toBeGreaterThan(0);
    writeFileSync(path, bytes);
    const result = await scan(dir);
    expect(result.lost).toEqual([victim.id]);
    expect(result.blocks.size).toBe(records.size - 1);
    // Its tool-invocation edge has a lost end.
    expect(result.edges.some((e) => e.to === victim.id)).toBe(false);
    expect(result.edgesLost).toBe(1);
  });

  it('neither recovers nor lists a deleted block whose stale copies remain, even read by content', async () => {
    const { dir, records } = sampleStore();
    const store = Store.open(dir);
    const gone = [...records.keys()][5] as string;
    store.delete(gone);
    store.close();
    const live = await scan(dir);
    expect(live.blocks.has(gone as BlockId)).toBe(false);
    expect(live.lost).toEqual([]);
    garbage(dir, 0);
    garbage(dir, 1);
    const byContent = await scan(dir);
    expect(byContent.blocks.has(gone as BlockId)).toBe(false);
    expect(byContent.lost).toEqual([]);
    expect(byContent.blocks.size).toBe(records.size - 1);
  });
});

describe('salvageStore', () => {
  it('copies a store into a new one with the same records, bodies and edges, and never writes to the source', async () => {
    const { dir, records, edges } = sampleStore();
    const before = createHash('sha256')
      .update(readFileSync(join(dir, STORE_FILE)))
      .digest('hex');
    const entries = readdirSync(dir).sort();
    const to = join(tempDir(), 'salvaged');
    const report = await salvageStore(dir, to);
    expect(report.recovered).toEqual({
      blocks: records.size,
      bodies: records.size,
      edges: edges.length,
      sessions: 2,
    });
    expect(report.lost).toEqual([]);
    const copy = Store.open(to);
    try {
      for (const [id, record] of records) {
        expect(copy.getRecord(id)).toEqual({ ...record, seq: expect.any(Number) });
        expect(copy.bodyIntact(record.hash)).toBe(true);
      }
      expect(verifyStore(copy).ok).toBe(true);
    } finally {
      copy.close();
    }
    expect(
      createHash('sha256')
        .update(readFileSync(join(dir, STORE_FILE)))
        .digest('hex'),
    ).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(entries);
  });

  it('refuses a --to folder that is not empty, and a source without a data file', async () => {
    const { dir } = sampleStore();
    const to = tempDir();
    writeFileSync(join(to, 'keep.txt'), 'mine');
    await expect(salvageStore(dir, to)).rejects.toSatisfy((e) => isLlm386Error(e, 'store-exists'));
    expect(readdirSync(to)).toEqual(['keep.txt']);
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    await expect(salvageStore(empty, join(tempDir(), 'out'))).rejects.toSatisfy((e) =>
      isLlm386Error(e, 'not-a-store'),
    );
    expect(existsSync(join(empty, STORE_FILE))).toBe(false);
  });
});

describe('toRecord', () => {
  const id = '0123456789abcdef0123456789abcdef' as BlockId;
  const good = {
    id,
    kind: 'fact',
    hash: 'a'.repeat(64),
    size: 3,
    priority: 0,
    createdAt: 1,
    sessions: ['s'],
    labels: [],
  };

  it('keeps a well-formed record and drops fields it does not know', () => {
    expect(toRecord({ ...good, extra: 1 }, id)).toEqual(good);
  });

  it('rejects a record of another id, an unknown kind, a bad hash or wrongly typed fields', () => {
    expect(toRecord(good, 'f'.repeat(32) as BlockId)).toBeUndefined();
    expect(toRecord({ ...good, kind: 'gossip' }, id)).toBeUndefined();
    expect(toRecord({ ...good, hash: 'xyz' }, id)).toBeUndefined();
    expect(toRecord({ ...good, sessions: [3] }, id)).toBeUndefined();
    expect(toRecord({ ...good, labels: [1] }, id)).toBeUndefined();
    expect(toRecord({ ...good, toolCalls: [{ id: 'c' }] }, id)).toBeUndefined();
    expect(toRecord('not an object', id)).toBeUndefined();
  });
});
