// `llm386 salvage` on damaged copies of a 5,000-block store: a truncated file, garbage over a
// live leaf page and garbage over a branch page of `blocks`. What salvage must recover is
// measured on the pristine file: where each block's live record and body lie.
import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlockRecord, Edge } from '../store/index';
import { PageFile } from '../store/lmdb-pages';
import { walkLiveTrees } from '../store/lmdb-walk';
import { Store } from '../store/store';
import {
  cli,
  cliJson,
  cliOk,
  damagedCopy,
  ensureCliBuilt,
  expectFailure,
  initStore,
  tempDirs,
  writeFile,
  writeTranscript,
  type ChatMessage,
} from './cli-test-helpers';

interface Report {
  recovered: { blocks: number; bodies: number; edges: number; sessions: number };
  lost: string[];
  edgesLost: number;
}

/** Where a block's live record and body lie in the pristine file. */
interface Placement {
  readonly recordPage: number;
  readonly bodyPage: number;
  /** The end (exclusive) of the body bytes in the file. */
  readonly bodyEnd: number;
}

const dirs = tempDirs();
let work = '';
let pristine = '';
const records = new Map<string, Omit<BlockRecord, 'seq' | 'joined'>>();
const edges = new Set<string>();
const placement = new Map<string, Placement>();
let pageSize = 4096;
let fileSize = 0;
let blocksBranch: number | undefined;

/** 4,990 chat messages with a tool call and its result every 10, and a few long ones on overflow pages. */
function transcript(): ChatMessage[] {
  const filler =
    'the quick brown fox jumps over the lazy dog while the model keeps its context small ';
  const out: ChatMessage[] = [];
  for (let i = 0; out.length < 4990; i++) {
    if (i % 10 === 5) {
      const id = `call_${i}`;
      out.push({
        role: 'assistant',
        content: null,
        tool_calls: [
          { id, type: 'function', function: { name: 'lookup', arguments: `{"q":"item ${i}"}` } },
        ],
      });
      out.push({ role: 'tool', tool_call_id: id, content: `result ${i}: ${filler}` });
      continue;
    }
    const chars = i % 250 === 7 ? 6000 : 300;
    const head = `salvage message ${i}: `;
    out.push({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: head + filler.repeat(Math.ceil(chars / filler.length)).slice(0, chars - head.length),
    });
  }
  return out;
}

/** A copy of the pristine store, damaged by `damage(path of its data.mdb)`. */
const damaged = (name: string, damage: (file: string) => void): string =>
  damagedCopy(pristine, work, name, damage);

function garbageAt(pgno: number): (file: string) => void {
  return (file) => {
    let x = 386;
    const bytes = Buffer.from(
      Array.from({ length: pageSize }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff),
    );
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, pgno * pageSize);
    closeSync(fd);
  };
}

/** A record without the write sequences of its store: salvage writes a new store, with its own. */
function withoutWrites({
  seq: _seq,
  joined: _joined,
  ...record
}: BlockRecord): Omit<BlockRecord, 'seq' | 'joined'> {
  return record;
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Salvages `dir` into a new folder; checks what every salvage must hold and returns the report and the new store. */
async function salvage(
  dir: string,
): Promise<{ report: Report; recovered: Set<string>; edgesBetween: number }> {
  const before = digest(join(dir, 'data.mdb'));
  const to = join(work, `${dir.split('/').pop() ?? 'x'}-salvaged`);
  const report = await cliJson<Report>(['salvage', '--store', dir, '--to', to]);
  // Nothing written into the damaged store.
  expect(digest(join(dir, 'data.mdb'))).toBe(before);
  expect(readdirSync(dir)).toEqual(['data.mdb']);
  const verify = await cli(['verify', '--store', to]);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  const store = Store.open(to, { readOnly: true });
  const recovered = new Set<string>();
  try {
    for (const { session } of store.sessions())
      for (const r of store.list(session)) recovered.add(r.id);
    // Every recovered block is the pristine one, its body intact; its edges are pristine edges.
    for (const id of recovered) {
      // Memberships are rows of their own (format 2): a block keeps the sessions whose row, session
      // copy or log entry survived, at least one, never one it was not in.
      const { sessions, ...got } = withoutWrites(store.requireRecord(id));
      const { sessions: pristineSessions, ...want } = records.get(id) as BlockRecord;
      expect(got).toEqual(want);
      expect(sessions.length).toBeGreaterThan(0);
      for (const s of sessions) expect(pristineSessions).toContain(s);
      expect(store.bodyIntact(store.requireRecord(id).hash)).toBe(true);
      for (const e of store.edges(id, 'out'))
        expect(edges.has(`${e.from}|${e.kind}|${e.to}`)).toBe(true);
    }
  } finally {
    store.close();
  }
  expect(report.recovered.blocks).toBe(recovered.size);
  for (const id of report.lost) {
    expect(records.has(id), `lost ${id} is a block of the store`).toBe(true);
    expect(recovered.has(id)).toBe(false);
  }
  // Edges of the pristine store between recovered blocks.
  const edgesBetween = [...edges].filter((e) =>
    e.split('|').every((id, i) => i === 1 || recovered.has(id)),
  ).length;
  expect(report.recovered.edges).toBeLessThanOrEqual(edgesBetween);
  return { report, recovered, edgesBetween };
}

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  pristine = await initStore(work, 'pristine');
  await cliOk([
    'ingest',
    '--store',
    pristine,
    '--session',
    'chat',
    '--tokenizer',
    'none',
    writeTranscript(work, 'chat.jsonl', transcript()),
  ]);
  const doc = writeFile(
    work,
    'doc.md',
    Array.from(
      { length: 10 },
      (_, i) => `section ${i}\n\n${'a paragraph of the manual. '.repeat(60)}`,
    ).join('\n\n'),
  );
  await cliOk([
    'ingest',
    '--store',
    pristine,
    '--session',
    'chat',
    '--tokenizer',
    'none',
    '--chunk-chars',
    '1700',
    doc,
  ]);
  await cliOk([
    'ingest',
    '--store',
    pristine,
    '--session',
    'docs',
    '--tokenizer',
    'none',
    '--chunk-chars',
    '1700',
    doc,
  ]);
  const store = Store.open(pristine, { readOnly: true });
  for (const r of [...store.list('chat'), ...store.list('docs')])
    records.set(r.id, withoutWrites(r));
  for (const id of records.keys())
    for (const e of store.edges(id, 'out') as Edge[]) edges.add(`${e.from}|${e.kind}|${e.to}`);
  store.close();
  expect(records.size).toBe(5000);
  // Where each live record and body lies, and a branch page of `blocks` below its root.
  const file = PageFile.open(join(pristine, 'data.mdb'));
  pageSize = file.pageSize;
  fileSize = statSync(join(pristine, 'data.mdb')).size;
  const recordPage = new Map<string, number>();
  const bodyAt = new Map<string, { page: number; end: number }>();
  let blocksRoot: number | undefined;
  walkLiveTrees(file, (table, page) => {
    for (const node of page.nodes) {
      const key = node.key.toString('latin1');
      if (table === 'blocks') recordPage.set(key, page.pgno);
      if (table === 'bodies' && node.value !== undefined)
        bodyAt.set(key, { page: page.pgno, end: node.value.at + node.value.size });
    }
  });
  const main = file.metas[0]?.main.root;
  const mainPage = main === undefined ? undefined : file.page(main);
  if (mainPage?.kind === 'leaf') {
    const node = mainPage.nodes.find((n) => n.key.toString('latin1') === 'blocks\u0000');
    const data = node?.value === undefined ? undefined : file.value(node.value);
    blocksRoot = data === undefined ? undefined : Number(data.readBigUInt64LE(40));
  }
  const root = blocksRoot === undefined ? undefined : file.page(blocksRoot);
  const child =
    root?.kind === 'branch' ? root.nodes[Math.floor(root.nodes.length / 2)]?.child : undefined;
  blocksBranch = child !== undefined && file.page(child)?.kind === 'branch' ? child : blocksRoot;
  file.close();
  for (const [id, r] of records) {
    const body = bodyAt.get(r.hash);
    placement.set(id, {
      recordPage: recordPage.get(id) ?? -1,
      bodyPage: body?.page ?? -1,
      bodyEnd: body?.end ?? Number.POSITIVE_INFINITY,
    });
  }
}, 180_000);
afterAll(() => dirs.cleanup());

describe('llm386 salvage', () => {
  it('of a store truncated to half recovers every block whose record and body lie in the kept half, and lists lost ones', async () => {
    const cut = Math.floor(fileSize / 2);
    const dir = damaged('half', (file) => truncateSync(file, cut));
    const refused = await cli(['list-sessions', '--store', dir]);
    expect(refused.stderr).toContain(`\`llm386 salvage --store ${dir} --to NEWDIR\``);
    const { report, recovered, edgesBetween } = await salvage(dir);
    // An edge is lost with both its keys and its change-log entry; most survive somewhere.
    expect(report.recovered.edges).toBeGreaterThan(edgesBetween * 0.9);
    const kept = [...placement].filter(
      ([, p]) =>
        (p.recordPage + 1) * pageSize <= cut &&
        (p.bodyPage + 1) * pageSize <= cut &&
        p.bodyEnd <= cut,
    );
    expect(kept.length).toBeGreaterThan(500);
    for (const [id] of kept)
      expect(recovered.has(id), `block ${id} lies in the kept half`).toBe(true);
    expect(report.lost.length).toBeGreaterThan(0);
    expect(recovered.size + report.lost.length).toBeLessThanOrEqual(records.size);
  });

  it('of a store with garbage over a live bodies page recovers every block not on it and lists the rest', async () => {
    const onPage = (pgno: number) =>
      [...placement].filter(([, p]) => p.bodyPage === pgno).map(([id]) => id);
    const middle = Math.floor(fileSize / pageSize / 2);
    const pages = [...new Set([...placement.values()].map((p) => p.bodyPage))];
    const target = pages.reduce((a, b) => (Math.abs(b - middle) < Math.abs(a - middle) ? b : a));
    const dir = damaged('garbage-bodies', garbageAt(target));
    const { report, recovered, edgesBetween } = await salvage(dir);
    expect(report.recovered.edges).toBe(edgesBetween);
    const hit = new Set(onPage(target));
    expect(hit.size).toBeGreaterThan(0);
    for (const id of records.keys())
      if (!hit.has(id))
        expect(recovered.has(id), `block ${id} is not on page ${target}`).toBe(true);
    // Every block is either recovered (its body had another intact copy) or listed lost.
    expect(recovered.size + report.lost.length).toBe(records.size);
  });

  it('of a store with garbage over a branch page of blocks recovers every block', async () => {
    expect(blocksBranch).toBeDefined();
    const dir = damaged('garbage-branch', garbageAt(blocksBranch as number));
    const { report, recovered } = await salvage(dir);
    expect(report.lost).toEqual([]);
    expect(recovered.size).toBe(records.size);
    expect(report.recovered.edges).toBe(edges.size);
    expect(report.recovered.sessions).toBe(2);
  });

  it('refuses a --to folder that is not empty, and asks for --to', async () => {
    const to = join(work, 'occupied');
    mkdirSync(to);
    writeFileSync(join(to, 'mine.txt'), 'keep');
    expectFailure(
      await cli(['salvage', '--store', pristine, '--to', to]),
      1,
      /is not an empty folder: salvage into a new folder/,
    );
    expect(readdirSync(to)).toEqual(['mine.txt']);
    expectFailure(await cli(['salvage', '--store', pristine]), 2, /--to NEWDIR is required/);
  });
});
