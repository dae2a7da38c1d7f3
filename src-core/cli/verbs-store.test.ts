// The store verbs through the real binary: stdout, stderr and exit codes as the spec (section 9)
// and issue 2 name them. One store per file; each test uses its own sessions, so most suites run
// their tests concurrently (each is a separate process; the store serialises writers).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  initStore,
  tempDirs,
  writeFile,
} from './cli-test-helpers';

interface PutJson {
  id: string;
  hash: string;
  deduped: boolean;
}
interface ShowJson {
  id: string;
  kind: string;
  hash: string;
  body: string | null;
  priority: number;
  createdAt: number;
  sessions: string[];
  labels: string[];
  source: string | null;
}
interface EdgeJson {
  from: string;
  kind: string;
  to: string;
}
interface ProfileJson {
  name: string;
  maxContextTokens: number;
  tokenizer: string;
  tokenizerExact: boolean;
}

const ID = /^[0-9a-f]{32}$/;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const dirs = tempDirs();
let work: string;
let store: string;

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  store = await initStore(work);
});
afterAll(() => dirs.cleanup());

/** `put` a text body through stdin with extra flags; returns the `--json` reply. */
async function put(
  body: string,
  session: string,
  kind: string,
  ...flags: string[]
): Promise<PutJson> {
  return cliJson<PutJson>(
    ['put', '-', '--store', store, '--session', session, '--kind', kind, ...flags],
    { input: body },
  );
}

function show(id: string): Promise<ShowJson> {
  return cliJson<ShowJson>(['show', id, '--store', store]);
}

describe.concurrent('init', () => {
  it('creates a store, prints its path on stdout and a status line on stderr', async () => {
    const dir = join(dirs.make(), 'fresh');
    const result = await cli(['init', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${dir}\n`);
    expect(result.stderr).toBe(`initialised store at ${dir}\n`);
    expect(await cliJson(['list-sessions', '--store', dir])).toEqual([]);
  });

  it('on an existing store keeps its blocks and says so', async () => {
    const dir = await initStore(dirs.make());
    await cliOk(['put', '-', '--store', dir, '--session', 's', '--kind', 'fact'], {
      input: 'kept',
    });
    const result = await cli(['init', dir]);
    expect(result.code).toBe(0);
    // Only that it says so: the count is Store.blockCount, a store concern.
    expect(result.stderr).toMatch(
      new RegExp(`^store at ${dir} already exists \\(\\d+ blocks\\)\\n$`),
    );
    expect(await cliJson(['list-sessions', '--store', dir])).toEqual([{ session: 's', blocks: 1 }]);
  });

  it('--json reports the store path and its block count', async () => {
    const dir = join(dirs.make(), 'json');
    expect(await cliJson(['init', dir])).toEqual({ store: dir, blocks: 0 });
  });
});

describe.concurrent('put', () => {
  it('stores a file and prints only the new id', async () => {
    const file = writeFile(work, 'note.txt', 'a note from a file\n');
    const result = await cli([
      'put',
      file,
      '--store',
      store,
      '--session',
      'put-file',
      '--kind',
      'fact',
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^[0-9a-f]{32}\n$/);
    expect((await show(result.stdout.trim())).body).toBe('a note from a file\n');
  });

  it('uses the file path as the source by default', async () => {
    const file = writeFile(work, 'sourced.txt', 'where did this come from');
    const id = await cliOk([
      'put',
      file,
      '--store',
      store,
      '--session',
      'put-source',
      '--kind',
      'fact',
    ]);
    expect((await show(id)).source).toBe(file);
  });

  it('reads the body from stdin when the file is -', async () => {
    const id = await cliOk(
      ['put', '-', '--store', store, '--session', 'put-stdin', '--kind', 'user-message'],
      { input: 'typed on stdin' },
    );
    expect(id).toMatch(ID);
    const block = await show(id);
    expect(block.body).toBe('typed on stdin');
    expect(block.kind).toBe('user-message');
    expect(block.sessions).toEqual(['put-stdin']);
  });

  it('--json prints the id as a string, the sha256 hash and whether it was deduplicated', async () => {
    const reply = await put('json reply body', 'put-json', 'fact');
    expect(Object.keys(reply).sort()).toEqual(['deduped', 'hash', 'id']);
    expect(typeof reply.id).toBe('string');
    expect(reply.id).toMatch(ID);
    expect(reply.hash).toBe(sha256('json reply body'));
    expect(reply.deduped).toBe(false);
  });

  it('records --priority, repeated --label and --source', async () => {
    const { id } = await put(
      'labelled',
      'put-meta',
      'plan',
      '--priority',
      '0.75',
      '--label',
      'red',
      '--label',
      'blue',
      '--source',
      'meeting notes',
    );
    const block = await show(id);
    expect(block.priority).toBe(0.75);
    expect([...block.labels].sort()).toEqual(['blue', 'red']);
    expect(block.source).toBe('meeting notes');
  });

  it('accepts the priority bounds 0 and 1', async () => {
    const low = await put('lowest priority', 'put-bounds', 'fact', '--priority', '0');
    const high = await put('highest priority', 'put-bounds', 'fact', '--priority', '1');
    expect((await show(low.id)).priority).toBe(0);
    expect((await show(high.id)).priority).toBe(1);
  });

  it('records a parent edge for each repeated --parent', async () => {
    const a = await put('parent a', 'put-parents', 'user-message');
    const b = await put('parent b', 'put-parents', 'user-message');
    const child = await put(
      'the child',
      'put-parents',
      'assistant-message',
      '--parent',
      a.id,
      '--parent',
      b.id,
    );
    const edges = await cliJson<EdgeJson[]>(['edges', child.id, '--store', store]);
    expect(edges).toHaveLength(2);
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: child.id, kind: 'parent', to: a.id },
        { from: child.id, kind: 'parent', to: b.id },
      ]),
    );
  });

  it('of a knowledge body already stored returns the same block and adds the session', async () => {
    const first = await put('water boils at 100 C', 'dedup-a', 'fact');
    const result = await cli(
      ['put', '-', '--store', store, '--session', 'dedup-b', '--kind', 'fact', '--json'],
      { input: 'water boils at 100 C' },
    );
    expect(result.code).toBe(0);
    const second = JSON.parse(result.stdout) as PutJson;
    expect(second).toEqual({ id: first.id, hash: first.hash, deduped: true });
    expect(result.stderr).toMatch(
      /^deduplicated: fact with this body already exists as [0-9a-f]{32}\n$/,
    );
    expect((await show(first.id)).sessions).toEqual(['dedup-a', 'dedup-b']);
  });

  it('of an event body already stored creates a new block sharing the body', async () => {
    const first = await put('ok', 'events', 'user-message');
    const second = await put('ok', 'events', 'user-message');
    expect(second.id).not.toBe(first.id);
    expect(second.hash).toBe(first.hash);
    expect(second.deduped).toBe(false);
    expect(await cliJson(['list-sessions', '--store', store])).toEqual(
      expect.arrayContaining([{ session: 'events', blocks: 2 }]),
    );
  });
});

describe.concurrent('show', () => {
  it('prints the metadata, a blank line and the body as text', async () => {
    const { id, hash } = await put(
      'line one\nline two',
      'show-text',
      'fact',
      '--label',
      'x',
      '--source',
      'src',
    );
    const result = await cli(['show', id, '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const [head, body] = result.stdout.split('\n\n');
    expect(head).toContain(`id        ${id}`);
    expect(head).toContain('kind      fact');
    expect(head).toContain(`hash      ${hash}`);
    expect(head).toContain('sessions  show-text');
    expect(head).toContain('labels    x');
    expect(head).toContain('source    src');
    expect(body).toBe('line one\nline two\n');
  });

  it('--json has id, kind, hash, body, priority, createdAt, sessions, labels and source', async () => {
    const before = Date.now();
    const { id, hash } = await put(
      'shown as json',
      'show-json',
      'summary',
      '--priority',
      '0.5',
      '--label',
      'l1',
      '--source',
      'unit',
    );
    const block = await show(id);
    expect(block).toMatchObject({
      id,
      kind: 'summary',
      hash,
      body: 'shown as json',
      priority: 0.5,
      sessions: ['show-json'],
      labels: ['l1'],
      source: 'unit',
    });
    expect(typeof block.id).toBe('string');
    expect(block.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(block.createdAt).toBeLessThanOrEqual(Date.now());
  });
});

describe.concurrent('list-sessions', () => {
  it('--json lists each session with its block count', async () => {
    for (const [session, body] of [
      ['alpha', 'one'],
      ['alpha', 'two'],
      ['beta', 'three'],
    ] as const) {
      await put(body, session, 'user-message');
    }
    const sessions = await cliJson<{ session: string; blocks: number }[]>([
      'list-sessions',
      '--store',
      store,
    ]);
    expect(sessions).toContainEqual({ session: 'alpha', blocks: 2 });
    expect(sessions).toContainEqual({ session: 'beta', blocks: 1 });
    expect(sessions.every((s) => Object.keys(s).sort().join() === 'blocks,session')).toBe(true);
  });

  it('prints one tab-separated line per session', async () => {
    await put('g', 'gamma', 'fact');
    const result = await cli(['list-sessions', '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^gamma\t1$/m);
    expect(
      result.stdout
        .trimEnd()
        .split('\n')
        .every((line) => /^[A-Za-z0-9._:@-]+\t\d+$/.test(line)),
    ).toBe(true);
  });

  it('on an empty store prints nothing on stdout and a hint on stderr', async () => {
    const dir = await initStore(dirs.make());
    const result = await cli(['list-sessions', '--store', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no sessions yet.*llm386 put/);
  });
});

describe.concurrent('list-models', () => {
  it('lists OpenAI and Anthropic models and marks only the Anthropic counts approximate', async () => {
    const result = await cli(['list-models']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const gpt = lines.filter((l) => l.startsWith('gpt-'));
    const claude = lines.filter((l) => l.startsWith('claude-'));
    expect(gpt.length).toBeGreaterThan(0);
    expect(claude.length).toBeGreaterThan(0);
    for (const line of claude) expect(line).toMatch(/\(approximate\)$/);
    for (const line of gpt) expect(line).not.toMatch(/approximate/);
  });

  it('--json gives each profile its limits, tokenizer and exactness', async () => {
    const profiles = await cliJson<ProfileJson[]>(['list-models']);
    const claude = profiles.filter((p) => p.name.startsWith('claude-'));
    const gpt = profiles.filter((p) => p.name.startsWith('gpt-'));
    expect(claude.length).toBeGreaterThan(0);
    expect(claude.every((p) => !p.tokenizerExact)).toBe(true);
    expect(gpt.every((p) => p.tokenizerExact)).toBe(true);
    expect(
      profiles.every((p) => Number.isInteger(p.maxContextTokens) && p.maxContextTokens > 0),
    ).toBe(true);
  });

  it('adds the [[profile]] entries of a --config file', async () => {
    const toml = writeFile(
      work,
      'models.toml',
      '[[profile]]\nname = "house-model"\nmax_context_tokens = 100000\nreserved_output_tokens = 1000\nsafety_margin_tokens = 0\ntokenizer = "cl100k_base"\n',
    );
    const profiles = await cliJson<ProfileJson[]>(['list-models', '--config', toml]);
    expect(profiles).toContainEqual(
      expect.objectContaining({
        name: 'house-model',
        maxContextTokens: 100000,
        tokenizer: 'cl100k_base',
      }),
    );
  });

  it('reads the config named by LLM386_CONFIG', async () => {
    const toml = writeFile(
      work,
      'env-models.toml',
      '[[profile]]\nname = "env-model"\nmax_context_tokens = 5000\nreserved_output_tokens = 500\nsafety_margin_tokens = 0\ntokenizer = "o200k_base"\n',
    );
    const result = await cli(['list-models'], { env: { LLM386_CONFIG: toml } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^env-model\s+5000\s+500\s+4500\s+o200k_base$/m);
  });
});

describe.concurrent('add-edge and edges', () => {
  it('add-edge links two blocks and edges --json lists it as {from, kind, to}', async () => {
    const a = await put('claim', 'edges-1', 'fact');
    const b = await put('evidence', 'edges-1', 'fact');
    const result = await cli([
      'add-edge',
      '--from',
      b.id,
      '--to',
      a.id,
      '--kind',
      'supports',
      '--store',
      store,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${b.id} -supports-> ${a.id}\n`);
    expect(await cliJson(['edges', b.id, '--store', store])).toEqual([
      { from: b.id, kind: 'supports', to: a.id },
    ]);
  });

  it('edges --incoming lists the edges that point at a block', async () => {
    const a = await put('target', 'edges-2', 'fact');
    const b = await put('source one', 'edges-2', 'fact');
    const c = await put('source two', 'edges-2', 'fact');
    await cliOk([
      'add-edge',
      '--from',
      b.id,
      '--to',
      a.id,
      '--kind',
      'derived-from',
      '--store',
      store,
    ]);
    await cliOk([
      'add-edge',
      '--from',
      c.id,
      '--to',
      a.id,
      '--kind',
      'contradicts',
      '--store',
      store,
    ]);
    const incoming = await cliJson<EdgeJson[]>(['edges', a.id, '--incoming', '--store', store]);
    expect(incoming).toHaveLength(2);
    expect(incoming).toEqual(
      expect.arrayContaining([
        { from: b.id, kind: 'derived-from', to: a.id },
        { from: c.id, kind: 'contradicts', to: a.id },
      ]),
    );
    expect(await cliJson(['edges', a.id, '--store', store])).toEqual([]);
  });

  it('edges prints one tab-separated line per edge', async () => {
    const a = await put('text edge a', 'edges-3', 'fact');
    const b = await put('text edge b', 'edges-3', 'fact');
    await cliOk(['add-edge', '--from', a.id, '--to', b.id, '--kind', 'parent', '--store', store]);
    expect(await cliOk(['edges', a.id, '--store', store])).toBe(`${a.id}\tparent\t${b.id}`);
  });

  it('add-edge of an edge that exists already changes nothing and says so', async () => {
    const a = await put('twice a', 'edges-4', 'fact');
    const b = await put('twice b', 'edges-4', 'fact');
    await cliOk(['add-edge', '--from', a.id, '--to', b.id, '--kind', 'supports', '--store', store]);
    const again = await cli([
      'add-edge',
      '--from',
      a.id,
      '--to',
      b.id,
      '--kind',
      'supports',
      '--store',
      store,
      '--json',
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      from: a.id,
      kind: 'supports',
      to: b.id,
      added: false,
    });
    expect(again.stderr).toBe('edge already existed: nothing changed\n');
    expect(await cliJson(['edges', a.id, '--store', store])).toHaveLength(1);
  });
});

describe.concurrent('delete', () => {
  it('removes the block and every edge touching it', async () => {
    const a = await put('to delete', 'delete-1', 'fact');
    const b = await put('neighbour', 'delete-1', 'fact');
    await cliOk(['add-edge', '--from', b.id, '--to', a.id, '--kind', 'supports', '--store', store]);
    const result = await cli(['delete', a.id, '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`deleted ${a.id}\n`);
    expect((await cli(['show', a.id, '--store', store])).code).toBe(1);
    expect(await cliJson(['edges', b.id, '--store', store])).toEqual([]);
    expect(await cliJson(['list-sessions', '--store', store])).toEqual(
      expect.arrayContaining([{ session: 'delete-1', blocks: 1 }]),
    );
  });
});

describe.concurrent('purge', () => {
  it('--block ID --yes removes that block', async () => {
    const a = await put('purge me', 'purge-block', 'fact');
    const b = await put('keep me', 'purge-block', 'fact');
    expect(await cliJson(['purge', '--block', a.id, '--yes', '--store', store])).toEqual({
      deleted: 1,
      kept: 0,
    });
    expect((await cli(['show', a.id, '--store', store])).code).toBe(1);
    expect((await show(b.id)).body).toBe('keep me');
  });

  it('--session S --yes removes the session but keeps a block shared with another session', async () => {
    const shared = await put('shared knowledge', 'purge-a', 'fact');
    await put('shared knowledge', 'purge-b', 'fact');
    const own = await put('only in purge-a', 'purge-a', 'user-message');
    const result = await cli(['purge', '--session', 'purge-a', '--yes', '--store', store]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('deleted 1 blocks; kept 1 still referenced by other sessions\n');
    expect((await cli(['show', own.id, '--store', store])).code).toBe(1);
    const kept = await show(shared.id);
    expect(kept.body).toBe('shared knowledge');
    expect(kept.sessions).toEqual(['purge-b']);
    const sessions = await cliJson<{ session: string }[]>(['list-sessions', '--store', store]);
    expect(sessions.map((s) => s.session)).not.toContain('purge-a');
  });

  it('without --yes exits 2 and deletes nothing', async () => {
    const a = await put('not without yes', 'purge-no', 'fact');
    const result = await cli(['purge', '--session', 'purge-no', '--store', store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/add --yes/);
    expect((await show(a.id)).sessions).toEqual(['purge-no']);
  });
});

describe('verify and repair on a clean store', () => {
  it('verify exits 0 and --json reports ok with no problems', async () => {
    const result = await cli(['verify', '--store', store, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      problems: unknown[];
      blocks: number;
    };
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.blocks).toBeGreaterThan(0);
  });

  it('verify prints a one-line ok summary', async () => {
    expect(await cliOk(['verify', '--store', store])).toMatch(
      /^ok: \d+ blocks, \d+ bodies, no problems$/,
    );
  });

  it('repair --yes quarantines nothing and leaves verify clean', async () => {
    expect(await cliJson(['repair', '--yes', '--store', store])).toEqual({
      quarantined: [],
      droppedEdges: 0,
      ok: true,
    });
    expect((await cli(['verify', '--store', store])).code).toBe(0);
  });
});

describe('the store location', () => {
  it('comes from LLM386_STORE when --store is absent', async () => {
    const id = await cliOk(['put', '-', '--session', 'env-store', '--kind', 'fact'], {
      input: 'via env',
      env: { LLM386_STORE: store },
    });
    expect((await show(id)).sessions).toEqual(['env-store']);
  });
});
