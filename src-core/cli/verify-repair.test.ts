// A corrupted body through the CLI: bytes changed on disk behind the store's back are found by
// `verify`, quarantined by `repair --yes`, and the store verifies clean afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, ensureCliBuilt, corruptBody, initStore, tempDirs } from './cli-test-helpers';

interface PutJson {
  id: string;
  hash: string;
}
interface VerifyJson {
  ok: boolean;
  problems: { kind: string; message: string }[];
}
interface RepairJson {
  quarantined: string[];
  droppedEdges: number;
  ok: boolean;
}

const dirs = tempDirs();
let store: string;
let good: PutJson;
let bad: PutJson;
let neighbour: PutJson;

beforeAll(async () => {
  ensureCliBuilt();
  store = await initStore(dirs.make());
  const put = (body: string) =>
    cliJson<PutJson>(['put', '-', '--store', store, '--session', 'facts', '--kind', 'fact'], {
      input: body,
    });
  good = await put('the sky is blue');
  bad = await put('the grass is green');
  neighbour = await put('the sea is salty');
  await cliJson([
    'add-edge',
    '--from',
    neighbour.id,
    '--to',
    bad.id,
    '--kind',
    'supports',
    '--store',
    store,
  ]);
  corruptBody(store, bad.hash, Buffer.from('the grass is purple'));
});
afterAll(() => dirs.cleanup());

// The tests below run in order: they follow one store from corruption to repair.
describe('a body whose bytes no longer match its hash', () => {
  it('makes verify exit 1 with a hash-mismatch and a one-line hint to repair', async () => {
    const result = await cli(['verify', '--store', store, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as VerifyJson;
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'hash-mismatch',
        message: expect.stringContaining(bad.hash),
      }),
    );
    expect(result.stderr).toMatch(/^store .* has \d+ problems: run `llm386 repair --yes`\n$/);
  });

  it('is listed by verify in text mode, one problem per line', async () => {
    const result = await cli(['verify', '--store', store]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`^hash-mismatch\tbody ${bad.hash} does not hash to its key`, 'm'),
    );
  });

  it('is never sent to a model: page omits it as body-corrupt, pack leaves its text out, show warns', async () => {
    const plan = await cliJson<{
      selected: { id: string }[];
      omitted: { id: string; reason: string }[];
    }>([
      'page',
      '--store',
      store,
      '--session',
      'facts',
      '--task',
      'grass',
      '--budget',
      '300',
      '--json',
    ]);
    expect(plan.selected.map((s) => s.id)).not.toContain(bad.id);
    expect(plan.omitted.find((o) => o.id === bad.id)?.reason).toBe('body-corrupt');
    const prompt = (
      await cliJson<{ prompt: string }>([
        'pack',
        '--store',
        store,
        '--session',
        'facts',
        '--task',
        'grass and sky',
        '--budget',
        '300',
        '--json',
      ])
    ).prompt;
    expect(prompt).toContain('the sky is blue');
    expect(prompt).not.toContain('purple');
    const shown = await cli(['show', bad.id, '--store', store, '--json']);
    expect((JSON.parse(shown.stdout) as { intact: boolean }).intact).toBe(false);
    expect(shown.stderr).toMatch(/no longer match its hash .*never sent to a model/);
  });

  it('is left alone by verify, which only reads', async () => {
    const again = await cli(['verify', '--store', store, '--json']);
    expect(again.code).toBe(1);
    expect((JSON.parse(again.stdout) as VerifyJson).problems.map((p) => p.kind)).toContain(
      'hash-mismatch',
    );
  });

  it('is quarantined by repair --yes, along with nothing else', async () => {
    const report = await cliJson<RepairJson>(['repair', '--yes', '--store', store]);
    expect(report.quarantined).toEqual([bad.id]);
    expect(report.ok).toBe(true);
  });

  it('leaves a store that verifies clean after repair', async () => {
    const result = await cli(['verify', '--store', store, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, problems: [] });
  });

  it('is no longer shown after repair, while the intact blocks are', async () => {
    expect((await cli(['show', bad.id, '--store', store])).code).toBe(1);
    expect((await cliJson<{ body: string }>(['show', good.id, '--store', store])).body).toBe(
      'the sky is blue',
    );
    expect((await cliJson<{ body: string }>(['show', neighbour.id, '--store', store])).body).toBe(
      'the sea is salty',
    );
  });

  it('takes its edges with it into quarantine', async () => {
    expect(await cliJson(['edges', neighbour.id, '--store', store])).toEqual([]);
    expect(await cliJson(['list-sessions', '--store', store])).toEqual([
      { session: 'facts', blocks: 2 },
    ]);
  });
});
