// Bad input through the real binary: exit 2 for usage errors, 1 for every other failure, always
// exactly one stderr line that names the problem and the fix, never a stack trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cli,
  cliJson,
  cliOk,
  ensureCliBuilt,
  expectFailure,
  formatVersion,
  initStore,
  setFormatVersion,
  tempDirs,
  writeFile,
} from './cli-test-helpers';

const MISSING_ID = '0123456789abcdef0123456789abcdef';
const MALFORMED_ID = '0123-not-an-id';
const PROFILE =
  '[[profile]]\nname = "m"\nmax_context_tokens = 100000\nreserved_output_tokens = 1000\nsafety_margin_tokens = 0\ntokenizer = "cl100k_base"\n';

const dirs = tempDirs();
let work: string;
let store: string;
let note: string;
let blockId: string;

beforeAll(async () => {
  ensureCliBuilt();
  work = dirs.make();
  store = await initStore(work);
  note = writeFile(work, 'note.txt', 'a note');
  blockId = await cliOk(['put', note, '--store', store, '--session', 'base', '--kind', 'fact']);
});
afterAll(() => dirs.cleanup());

/** `put note.txt` into the shared store with the given flags. */
const put = (...flags: string[]) => cli(['put', note, '--store', store, ...flags]);

describe.concurrent('usage errors exit 2', () => {
  it('a budget above the one cap of 10,000,000 tokens, in page, pack and what-if', async () => {
    expectFailure(
      await cli([
        'page',
        '--store',
        store,
        '--session',
        'base',
        '--budget',
        '99999999999999999999',
      ]),
      2,
      /--budget needs a whole number of tokens from 1 to 10000000, got "99999999999999999999"/,
    );
    expectFailure(
      await cli(['pack', '--store', store, '--session', 'base', '--budget', '10000001']),
      2,
      /from 1 to 10000000/,
    );
    expectFailure(
      await cli(['trace', 'what-if', MISSING_ID, '--store', store, '--budget', '1e26']),
      2,
      /from 1 to 10000000/,
    );
  });

  it('page and pack of a session with no blocks name the sessions there are (and a near miss)', async () => {
    expectFailure(
      await cli(['page', '--store', store, '--session', 'Base']),
      2,
      /page: no blocks in session "Base" \(did you mean "base"\?\); sessions here: .*base/,
    );
    expectFailure(
      await cli(['pack', '--store', store, '--session', 'nothing', '--trace']),
      2,
      /pack: no blocks in session "nothing"; sessions here:/,
    );
  });

  it('a profile whose context is above the cap', async () => {
    const config = writeFile(work, 'huge.toml', PROFILE.replace('100000', '20000000'));
    expectFailure(await cli(['list-models', '--config', config]), 1, /max_context_tokens/);
  });

  it('an unknown verb', async () => {
    expectFailure(await cli(['frobnicate']), 2, /unknown verb "frobnicate": run `llm386 --help`/);
  });

  it('no verb at all prints the help on stdout', async () => {
    const result = await cli([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^usage: llm386 <verb>/m);
  });

  it('an unknown option', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--colour', 'red'),
      2,
      /put: Unknown option '--colour'.*llm386 put --help/,
    );
  });

  it('put without --session', async () => {
    expectFailure(await put('--kind', 'fact'), 2, /^llm386 put: --session is required$/);
  });

  it('put without --kind', async () => {
    expectFailure(await put('--session', 's'), 2, /--kind is required \(e\.g\. fact/);
  });

  it('put without a file', async () => {
    expectFailure(
      await cli(['put', '--store', store, '--session', 's', '--kind', 'fact']),
      2,
      /name a file, or - for stdin/,
    );
  });

  it('put of a file that does not exist', async () => {
    expectFailure(
      await cli([
        'put',
        join(work, 'nope.txt'),
        '--store',
        store,
        '--session',
        's',
        '--kind',
        'fact',
      ]),
      2,
      /cannot read .*nope\.txt \(ENOENT\): check the path/,
    );
  });

  it('a priority above 1', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--priority', '1.5'),
      2,
      /priority 1\.5 is out of range: use a number from 0 to 1/,
    );
  });

  it('a negative priority', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--priority=-1'),
      2,
      /priority -1 is out of range: use a number from 0 to 1/,
    );
  });

  it('a negative priority written as a separate argument says how to pass it', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--priority', '-1'),
      2,
      /'--priority' argument is ambiguous.*'--priority=-XYZ'/,
    );
  });

  it('a priority that is not a number', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--priority', 'abc'),
      2,
      /--priority "abc" is not a number: use a number from 0 to 1/,
    );
  });

  it('an unknown kind, listing the kinds', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'memo'),
      2,
      /unknown kind "memo": use one of system, user-message, .*trace/,
    );
  });

  it('an invalid session name', async () => {
    expectFailure(
      await put('--session', 'has spaces', '--kind', 'fact'),
      2,
      /invalid session "has spaces": use 1-128 characters/,
    );
  });

  it('an unknown edge kind, listing the edge kinds', async () => {
    const other = await cliOk(
      ['put', '-', '--store', store, '--session', 'base', '--kind', 'fact'],
      { input: 'other' },
    );
    expectFailure(
      await cli([
        'add-edge',
        '--from',
        blockId,
        '--to',
        other,
        '--kind',
        'likes',
        '--store',
        store,
      ]),
      2,
      /unknown edge kind "likes": use one of parent, derived-from, supports, contradicts, tool-invocation/,
    );
  });

  it('add-edge without --kind', async () => {
    expectFailure(
      await cli(['add-edge', '--from', blockId, '--to', blockId, '--store', store]),
      2,
      /--from, --to and --kind are all required/,
    );
  });

  it.each([
    ['show', [MALFORMED_ID]],
    ['edges', [MALFORMED_ID]],
    ['delete', [MALFORMED_ID]],
    ['purge', ['--block', MALFORMED_ID, '--yes']],
  ])('a malformed id given to %s', async (verb, args) => {
    expectFailure(
      await cli([verb, ...args, '--store', store]),
      2,
      /"0123-not-an-id" is not a block id: ids are 32 lowercase hex characters/,
    );
  });

  it('a malformed id given to add-edge', async () => {
    expectFailure(
      await cli([
        'add-edge',
        '--from',
        blockId,
        '--to',
        'XYZ',
        '--kind',
        'parent',
        '--store',
        store,
      ]),
      2,
      /"XYZ" is not a block id/,
    );
  });

  it('a malformed --parent id', async () => {
    expectFailure(
      await put('--session', 's', '--kind', 'fact', '--parent', 'abc'),
      2,
      /"abc" is not a block id/,
    );
  });

  it('show without an id', async () => {
    expectFailure(await cli(['show', '--store', store]), 2, /name a block id: `llm386 show <id>`/);
  });

  it('init without a directory', async () => {
    expectFailure(await cli(['init'], { cwd: work }), 2, /name the directory: `llm386 init <dir>`/);
  });

  it('purge without --yes', async () => {
    expectFailure(
      await cli(['purge', '--block', blockId, '--store', store]),
      2,
      /purge deletes data: add --yes to confirm/,
    );
  });

  it('purge with both --block and --session', async () => {
    expectFailure(
      await cli(['purge', '--block', blockId, '--session', 'base', '--yes', '--store', store]),
      2,
      /give exactly one of --block ID or --session NAME/,
    );
  });

  it('repair without --yes', async () => {
    expectFailure(await cli(['repair', '--store', store]), 2, /add --yes to confirm/);
  });
});

describe.concurrent('other failures exit 1', () => {
  it('a store directory that does not exist', async () => {
    const dir = join(work, 'no-such-store');
    expectFailure(
      await cli(['list-sessions', '--store', dir]),
      1,
      new RegExp(`no store at ${dir}: create one with \`llm386 init ${dir}\``),
    );
  });

  it('the default store ./.llm386 when it does not exist', async () => {
    expectFailure(
      await cli(['list-sessions'], { cwd: dirs.make() }),
      1,
      /no store at \.llm386: create one with `llm386 init \.llm386` or pass --store/,
    );
  });

  it('a directory that is not a store', async () => {
    const dir = dirs.make();
    expectFailure(
      await cli(['list-sessions', '--store', dir]),
      1,
      /is not an LLM386 store \(no data\.mdb\): create one with `llm386 init/,
    );
  });

  it('a file given as the store', async () => {
    expectFailure(await cli(['verify', '--store', note]), 1, /is not an LLM386 store/);
  });

  it('init on a path that is a file', async () => {
    expectFailure(
      await cli(['init', note]),
      1,
      /is a file, not a directory: pick a directory for the store/,
    );
  });

  it.each([
    ['show', [MISSING_ID]],
    ['edges', [MISSING_ID]],
    ['delete', [MISSING_ID]],
    ['purge', ['--block', MISSING_ID, '--yes']],
  ])('a block id that does not exist given to %s', async (verb, args) => {
    expectFailure(
      await cli([verb, ...args, '--store', store]),
      1,
      new RegExp(`no block ${MISSING_ID} in this store: check the id`),
    );
  });

  it('add-edge to a block that does not exist', async () => {
    expectFailure(
      await cli([
        'add-edge',
        '--from',
        blockId,
        '--to',
        MISSING_ID,
        '--kind',
        'supports',
        '--store',
        store,
      ]),
      1,
      new RegExp(`no block ${MISSING_ID}`),
    );
  });

  it('put with a --parent that does not exist, storing nothing', async () => {
    expectFailure(
      await put('--session', 'orphan', '--kind', 'fact', '--parent', MISSING_ID),
      1,
      new RegExp(`parent block ${MISSING_ID} does not exist`),
    );
    const sessions = await cliJson<{ session: string }[]>(['list-sessions', '--store', store]);
    expect(sessions.map((s) => s.session)).not.toContain('orphan');
  });

  it('a --config file with malformed TOML, naming file and line', async () => {
    const toml = writeFile(work, 'broken.toml', '[[profile]]\nname = "unterminated\n');
    expectFailure(
      await cli(['list-models', '--config', toml]),
      1,
      /broken\.toml:2: malformed TOML/,
    );
  });

  it('a malformed TOML file named by LLM386_CONFIG', async () => {
    const toml = writeFile(work, 'env-broken.toml', 'name = = 3\n');
    expectFailure(
      await cli(['list-models'], { env: { LLM386_CONFIG: toml } }),
      1,
      /env-broken\.toml:1: malformed TOML/,
    );
  });

  it('a config with an unknown key, naming the key and its line', async () => {
    const toml = writeFile(work, 'unknown-key.toml', `${PROFILE}colour = "red"\n`);
    expectFailure(
      await cli(['list-models', '--config', toml]),
      1,
      /unknown-key\.toml:7: profile\[0\]\.colour: unknown key: fix or remove it/,
    );
  });

  it('a config with an out-of-range value, naming the key and its line', async () => {
    const toml = writeFile(
      work,
      'range.toml',
      '# pager settings\n[pager]\nredundancy_threshold = 5\n',
    );
    expectFailure(
      await cli(['list-models', '--config', toml]),
      1,
      /range\.toml:3: pager\.redundancy_threshold: .*: fix or remove it/,
    );
  });

  it('a --config file that does not exist', async () => {
    expectFailure(
      await cli(['list-models', '--config', join(work, 'absent.toml')]),
      1,
      /cannot read config .*absent\.toml: check the --config path or LLM386_CONFIG/,
    );
  });
});

describe('a store of a newer format version', () => {
  let dir: string;
  let before: Buffer;

  beforeAll(async () => {
    dir = await initStore(dirs.make());
    setFormatVersion(dir, 999);
    before = readFileSync(join(dir, 'data.mdb'));
  });

  it('fails to open with exit 1 and says to upgrade', async () => {
    expectFailure(
      await cli(['list-sessions', '--store', dir]),
      1,
      /has format version 999 but this llm386 reads up to \d+: upgrade llm386/,
    );
  });

  it('is not written to by a verb that would write', async () => {
    expectFailure(
      await cli(['put', note, '--store', dir, '--session', 's', '--kind', 'fact']),
      1,
      /upgrade llm386/,
    );
    expectFailure(await cli(['init', dir]), 1, /upgrade llm386/);
    expect(formatVersion(dir)).toBe(999);
    expect(readFileSync(join(dir, 'data.mdb')).equals(before)).toBe(true);
  });
});
