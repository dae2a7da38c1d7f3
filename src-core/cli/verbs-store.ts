import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  decodeUtf8,
  idTime,
  isStorageFull,
  parseBlockId,
  parseSession,
  parseTimestamp,
  sha256Hex,
  type BlockId,
} from '../base/index';
import { allProfiles, inputBudget } from '../config/index';
import { Store, STORE_FILE, repairStore, verifyStore, type BlockRecord } from '../store/index';
import { indexesFor } from '../retrievers/index';
import {
  json,
  loadConfig,
  parseVerbArgs,
  reportConfigWarnings,
  storeDir,
  terminalSafe,
  usage,
  withStore,
  type Io,
} from './context';
import type { Verb } from './verb';

export const initVerb: Verb = {
  name: 'init',
  summary: 'create a store in a directory',
  usage: 'llm386 init <dir> [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs('init', args, {}, 1);
    const dir = positionals[0] ?? (typeof values.store === 'string' ? values.store : undefined);
    if (dir === undefined) throw usage('init: name the directory: `llm386 init <dir>`');
    const store = Store.init(dir);
    const blocks = store.blockCount();
    store.close();
    if (values.json) io.out(json({ store: dir, blocks }));
    else io.out(`${dir}\n`);
    io.err(
      blocks === 0
        ? `initialised store at ${dir}\n`
        : `store at ${dir} already exists (${blocks} blocks)\n`,
    );
  },
};

export const putVerb: Verb = {
  name: 'put',
  summary: 'store a block from a file or stdin; prints its id',
  usage:
    'llm386 put <file|-> --session S --kind K [--priority P] [--parent ID]... [--label L]... [--source TEXT] [--created-at TIME] [--name SPEAKER] [--idempotency-key K] [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs(
      'put',
      args,
      {
        session: { type: 'string' },
        kind: { type: 'string' },
        priority: { type: 'string' },
        parent: { type: 'string', multiple: true },
        label: { type: 'string', multiple: true },
        source: { type: 'string' },
        'created-at': { type: 'string' },
        name: { type: 'string' },
        'idempotency-key': { type: 'string' },
      },
      1,
    );
    const file = positionals[0];
    if (file === undefined)
      throw usage(
        'put: name a file, or - for stdin: `llm386 put notes.txt --session s --kind fact`',
      );
    if (values.session === undefined) throw usage('put: --session is required');
    if (values.kind === undefined)
      throw usage('put: --kind is required (e.g. fact, user-message, document-chunk)');
    const priority = values.priority === undefined ? undefined : Number(values.priority);
    if (priority !== undefined && (values.priority?.trim() === '' || Number.isNaN(priority))) {
      throw usage(`put: --priority "${values.priority}" is not a number: use a number from 0 to 1`);
    }
    const createdAt =
      values['created-at'] === undefined ? undefined : parseTimestamp(values['created-at']);
    if (values['created-at'] !== undefined && createdAt === undefined) {
      throw usage(
        `put: --created-at "${values['created-at']}" is not a time: use ISO 8601 (2024-05-30T23:40:00Z) or Unix seconds or milliseconds`,
      );
    }
    const body = file === '-' ? await io.stdin() : await readInput(file);
    const result = await withStore(values, io, async (store) => {
      const put = store.put({
        session: values.session as string,
        kind: values.kind as string,
        body,
        priority,
        parents: values.parent,
        labels: values.label,
        source: values.source ?? (file === '-' ? undefined : file),
        createdAt,
        name: values.name,
        idempotencyKey: values['idempotency-key'],
      });
      // The block is committed: a failure from here on must not read as a failed put (a retry
      // would store the message twice).
      try {
        await checkpointIndexes(store, values, io);
      } catch (error) {
        const why = isStorageFull(error) ? 'the disk is full or failing' : 'an error';
        io.err(
          `warning: block ${put.block.id} is stored, but saving the retriever indexes failed (${why}: ${(error as Error).message.split('\n')[0] ?? ''}); they catch up on the next call\n`,
        );
      }
      return put;
    });
    if (values.json)
      io.out(json({ id: result.block.id, hash: result.block.hash, deduped: result.deduped }));
    else io.out(`${result.block.id}\n`);
    if (result.deduped)
      io.err(
        `deduplicated: ${result.block.kind} with this body already exists as ${result.block.id}\n`,
      );
  },
};

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usage(`put: cannot read ${file} (${code ?? 'error'}): check the path`);
  }
}

export const showVerb: Verb = {
  name: 'show',
  summary: 'show a block and its body',
  usage: 'llm386 show <id> [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs('show', args, {}, 1);
    const id = positionals[0];
    if (id === undefined) throw usage('show: name a block id: `llm386 show <id>`');
    parseBlockId(id);
    await withStore(values, io, (store) => {
      const block = store.get(id);
      if (block === undefined) store.requireRecord(id);
      const b = block!;
      const text = decodeUtf8(b.body);
      const intact = sha256Hex(b.body) === b.hash;
      if (!intact)
        io.err(
          `warning: the stored bytes of ${b.id} no longer match its hash ${b.hash}: this body is never sent to a model; run \`llm386 verify\`\n`,
        );
      if (values.json) {
        io.out(
          json({
            id: b.id,
            kind: b.kind,
            hash: b.hash,
            body: text ?? null,
            ...(text === undefined ? { bodyBase64: Buffer.from(b.body).toString('base64') } : {}),
            binary: text === undefined,
            size: b.size,
            priority: b.priority,
            createdAt: b.createdAt,
            sessions: b.sessions,
            labels: b.labels,
            source: b.source ?? null,
            toolCalls: b.toolCalls ?? [],
            toolCallId: b.toolCallId ?? null,
            name: b.name ?? null,
            intact,
          }),
        );
        return;
      }
      io.out(describe(b));
      io.out('\n');
      io.out(
        text === undefined
          ? `${store.text(b)}\n`
          : `${terminalSafe(text)}${text.endsWith('\n') ? '' : '\n'}`,
      );
    });
  },
};

function describe(b: BlockRecord): string {
  const rows: [string, string][] = [
    ['id', b.id],
    ['kind', b.kind],
    ['hash', b.hash],
    ['size', `${b.size} bytes`],
    ['priority', String(b.priority)],
    ['created', new Date(b.createdAt).toISOString()],
    ['sessions', b.sessions.join(', ')],
  ];
  if (b.labels.length > 0) rows.push(['labels', terminalSafe(b.labels.join(', '))]);
  if (b.name !== undefined) rows.push(['name', terminalSafe(b.name)]);
  if (b.source !== undefined) rows.push(['source', terminalSafe(b.source)]);
  if (b.toolCallId !== undefined) rows.push(['tool call', b.toolCallId]);
  for (const call of b.toolCalls ?? [])
    rows.push(['calls', `${call.name}(${terminalSafe(call.arguments)}) [${call.id}]`]);
  return rows.map(([k, v]) => `${k.padEnd(9)} ${v}\n`).join('');
}

export const listSessionsVerb: Verb = {
  name: 'list-sessions',
  summary: 'list sessions with their block counts',
  usage: 'llm386 list-sessions [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('list-sessions', args, {});
    const sessions = await withStore(values, io, (store) => store.sessions());
    if (values.json) io.out(json(sessions));
    else if (sessions.length === 0)
      io.err('no sessions yet: add blocks with `llm386 put` or `llm386 ingest`\n');
    else for (const s of sessions) io.out(`${s.session}\t${s.blocks}\n`);
  },
};

export const listModelsVerb: Verb = {
  name: 'list-models',
  summary: 'list model profiles (built-in and from config)',
  usage: 'llm386 list-models [--config FILE] [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('list-models', args, {});
    const config = loadConfig(values, io.env);
    reportConfigWarnings(config, io.err);
    const profiles = allProfiles(config.profiles);
    if (values.json) {
      io.out(json(profiles.map((p) => ({ ...p, inputBudget: inputBudget(p) }))));
      return;
    }
    io.out(
      `${'name'.padEnd(20)}${'context'.padStart(10)}${'output'.padStart(9)}${'input budget'.padStart(14)}  tokenizer\n`,
    );
    for (const p of profiles) {
      const tok = `${p.tokenizer}${p.tokenizerExact ? '' : ' (approximate)'}`;
      io.out(
        `${p.name.padEnd(20)}${String(p.maxContextTokens).padStart(10)}${String(p.reservedOutputTokens).padStart(9)}${String(inputBudget(p)).padStart(14)}  ${tok}\n`,
      );
    }
  },
};

export const addEdgeVerb: Verb = {
  name: 'add-edge',
  summary: 'add a typed edge between two blocks',
  usage:
    'llm386 add-edge --from ID --to ID --kind parent|derived-from|supports|contradicts|tool-invocation [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('add-edge', args, {
      from: { type: 'string' },
      to: { type: 'string' },
      kind: { type: 'string' },
    });
    if (values.from === undefined || values.to === undefined || values.kind === undefined) {
      throw usage('add-edge: --from, --to and --kind are all required');
    }
    const added = await withStore(values, io, (store) =>
      store.addEdge(values.from as string, values.kind as string, values.to as string),
    );
    if (values.json) io.out(json({ from: values.from, kind: values.kind, to: values.to, added }));
    else io.out(`${values.from} -${values.kind}-> ${values.to}\n`);
    if (!added) io.err('edge already existed: nothing changed\n');
  },
};

export const edgesVerb: Verb = {
  name: 'edges',
  summary: "list a block's outgoing (or --incoming) edges",
  usage: 'llm386 edges <id> [--incoming] [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs(
      'edges',
      args,
      { incoming: { type: 'boolean', default: false } },
      1,
    );
    const id = positionals[0];
    if (id === undefined) throw usage('edges: name a block id: `llm386 edges <id>`');
    const edges = await withStore(values, io, (store) =>
      store.edges(id, values.incoming ? 'in' : 'out'),
    );
    if (values.json) io.out(json(edges));
    else for (const e of edges) io.out(`${e.from}\t${e.kind}\t${e.to}\n`);
  },
};

export const deleteVerb: Verb = {
  name: 'delete',
  summary: 'delete a block and every edge touching it',
  usage: 'llm386 delete <id> [--json]',
  async run(args, io) {
    const { values, positionals } = parseVerbArgs('delete', args, {}, 1);
    const id = positionals[0];
    if (id === undefined) throw usage('delete: name a block id: `llm386 delete <id>`');
    const result = await withStore(values, io, async (store) => {
      const r = store.delete(id);
      await checkpointIndexes(store, values, io);
      return r;
    });
    if (values.json) io.out(json({ id, deleted: true, bodyDeleted: result.bodyDeleted }));
    else io.out(`deleted ${id}\n`);
  },
};

export const purgeVerb: Verb = {
  name: 'purge',
  summary: 'remove a block or a whole session (blocks shared with other sessions stay)',
  usage: 'llm386 purge (--block ID | --session S) --yes [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('purge', args, {
      block: { type: 'string' },
      session: { type: 'string' },
      yes: { type: 'boolean', default: false },
    });
    if ((values.block === undefined) === (values.session === undefined))
      throw usage('purge: give exactly one of --block ID or --session NAME');
    if (!values.yes) throw usage('purge deletes data: add --yes to confirm');
    if (values.session !== undefined) parseSession(values.session);
    const result = await withStore(values, io, async (store) => {
      const r =
        values.block !== undefined
          ? (store.delete(values.block), { deleted: 1, kept: 0 })
          : store.purgeSession(values.session as string);
      await checkpointIndexes(store, values, io);
      return r;
    });
    if (values.json) io.out(json(result));
    else
      io.out(
        `deleted ${result.deleted} blocks; kept ${result.kept} still referenced by other sessions\n`,
      );
  },
};

export const verifyVerb: Verb = {
  name: 'verify',
  summary: 'check hashes and every index (read-only)',
  usage: 'llm386 verify [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('verify', args, {});
    const guarded = inChildProcess('verify', args, io);
    if (guarded !== undefined) return guarded;
    const report = await withStore(values, io, (store) => verifyStore(store), { readOnly: true });
    if (values.json)
      io.out(
        json({
          ok: report.ok,
          blocks: report.blocks,
          bodies: report.bodies,
          problems: report.problems,
        }),
      );
    else if (report.ok)
      io.out(`ok: ${report.blocks} blocks, ${report.bodies} bodies, no problems\n`);
    else for (const p of report.problems) io.out(`${p.kind}\t${p.message}\n`);
    if (!report.ok) {
      io.err(
        `store ${storeDir(values, io.env)} has ${report.problems.length} problems: run \`llm386 repair --yes\`\n`,
      );
      return 1;
    }
    return 0;
  },
};

export const repairVerb: Verb = {
  name: 'repair',
  summary: 'rebuild derived indexes; quarantine blocks whose bytes no longer match their hash',
  usage: 'llm386 repair --yes [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('repair', args, { yes: { type: 'boolean', default: false } });
    if (!values.yes)
      throw usage(
        'repair rewrites indexes: add --yes to confirm (run `llm386 verify` first to see what is wrong)',
      );
    const guarded = inChildProcess('repair', args, io);
    if (guarded !== undefined) return guarded;
    const report = await withStore(values, io, async (store) => {
      const r = repairStore(store);
      // Repair logs a reset: rebuild the retriever indexes now rather than on the next page call.
      const indexes = indexesFor(store, loadConfig(values, io.env).retrievers);
      await indexes.sync();
      await indexes.save();
      return { ...r, after: verifyStore(store) };
    });
    if (values.json)
      io.out(
        json({
          quarantined: report.quarantined,
          droppedEdges: report.droppedEdges,
          ok: report.after.ok,
        }),
      );
    else {
      io.out(
        `repaired: ${report.quarantined.length} blocks quarantined, ${report.droppedEdges} dangling edges dropped\n`,
      );
      for (const id of report.quarantined)
        io.out(`quarantined ${id} (created ${new Date(idTime(id as BlockId)).toISOString()})\n`);
    }
  },
};

/**
 * Runs a verb that reads a possibly damaged store in a child process, so that LMDB crashing on a
 * corrupt page (SIGSEGV, SIGBUS, an abort in malloc) becomes a report instead of the signal
 * killing the command. Returns the child's exit code, or undefined inside the child (or when this
 * is not the CLI's own process) to run the verb here.
 */
function inChildProcess(verb: string, args: readonly string[], io: Io): number | undefined {
  // The CLI bundle (out/cli/llm386.cjs) exports main(); it may be started through bin/llm386.cjs or,
  // as the inspector does, with `node -e 'require(bundle).main()'`: start the child the latter way.
  const bundle =
    typeof __filename === 'string' && /llm386\.cjs$/.test(__filename) ? __filename : undefined;
  if (io.env.LLM386_GUARDED === '1' || bundle === undefined) return undefined;
  const child = spawnSync(
    process.execPath,
    ['-e', 'require(process.argv[1]).main()', bundle, verb, ...args],
    {
      env: { ...io.env, LLM386_GUARDED: '1' },
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.stdout.length > 0) io.out(child.stdout.toString('utf8'));
  if (child.stderr.length > 0) io.err(child.stderr.toString('utf8'));
  if (child.signal !== null || child.status === null) {
    const why = child.signal ?? child.error?.message ?? 'no exit code';
    io.err(
      `llm386 ${verb}: the store file is damaged beyond what ${verb} can read (reading it crashed: ${why}): restore ${STORE_FILE} from a backup, or copy what still reads into a new store with \`llm386 salvage --store DIR --to NEWDIR\`\n`,
    );
    return 1;
  }
  return child.status;
}

/** Io helper for verbs that only need the store path. */
export type { Io };

/**
 * Keeps the persisted retriever indexes fresh after a small write: saves a snapshot when there is
 * none yet or enough changes piled up; otherwise the next page call catches up from the log.
 */
async function checkpointIndexes(
  store: Store,
  values: { config?: string | boolean | undefined; profiles?: string | boolean | undefined },
  io: Io,
): Promise<void> {
  await indexesFor(store, loadConfig(values, io.env).retrievers).checkpoint();
}
