import {
  isLlm386Error,
  isStorageFull,
  lookupSet,
  RUNTIME_VERSION,
  type ErrorCode,
} from '../base/index';
import type { Io } from './context';
import { ingestVerb } from './verbs-ingest';
import { packVerb, pageVerb } from './verbs-page';
import { salvageVerb } from './verbs-salvage';
import { summarizeVerb } from './verbs-summarize';
import { traceVerb } from './verbs-trace';
import {
  addEdgeVerb,
  deleteVerb,
  edgesVerb,
  initVerb,
  listModelsVerb,
  listSessionsVerb,
  purgeVerb,
  putVerb,
  repairVerb,
  showVerb,
  verifyVerb,
} from './verbs-store';
import type { Verb } from './verb';

/** The runtime version. */
export const VERSION = RUNTIME_VERSION;

const VERBS: readonly Verb[] = [
  initVerb,
  putVerb,
  showVerb,
  listSessionsVerb,
  listModelsVerb,
  addEdgeVerb,
  edgesVerb,
  deleteVerb,
  purgeVerb,
  verifyVerb,
  repairVerb,
  salvageVerb,
  ingestVerb,
  pageVerb,
  packVerb,
  traceVerb,
  summarizeVerb,
];

const USAGE_CODES: ReadonlySet<ErrorCode> = lookupSet<ErrorCode>([
  'usage',
  'invalid-id',
  'invalid-kind',
  'invalid-edge-kind',
  'invalid-priority',
  'invalid-session',
  'empty-body',
]);

function help(): string {
  const lines = VERBS.map((v) => `  ${v.name.padEnd(14)} ${v.summary}`);
  // `inspect` lives in src-main; bin/llm386.cjs hands it to its own bundle before this runs.
  lines.push(
    `  ${'inspect'.padEnd(14)} open the inspector on a store (--web: a loopback web server)`,
  );
  return [
    `llm386 ${VERSION}: the LLM386 context runtime`,
    '',
    'usage: llm386 <verb> [options]',
    '',
    'verbs:',
    ...lines,
    '',
    'every verb: --store DIR (or LLM386_STORE; default ./.llm386), --config FILE (or LLM386_CONFIG), --json',
    "run `llm386 <verb> --help` for a verb's options",
    '',
  ].join('\n');
}

/**
 * Runs the CLI on `argv` (without node and script) and resolves to the exit code: 0 success,
 * 2 usage error, 1 any other failure. Never throws.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${VERSION}\n`);
    return 0;
  }
  const verb = VERBS.find((v) => v.name === name);
  if (verb === undefined) {
    io.err(`llm386: unknown verb "${name}": run \`llm386 --help\` for the list\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${verb.usage}\n`);
    return 0;
  }
  try {
    return (await verb.run(rest, io)) ?? 0;
  } catch (error) {
    if (isLlm386Error(error)) {
      // Verb messages often start with the verb's name already; say it once.
      const message = error.message.startsWith(`${name}: `)
        ? error.message.slice(name.length + 2)
        : error.message;
      io.err(`llm386 ${name}: ${message}\n`);
      return USAGE_CODES.has(error.code) ? 2 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (isStorageFull(error)) {
      io.err(
        `llm386 ${name}: the disk is full or failing (${message.split('\n')[0] ?? ''}): nothing after the last reported write was stored; free space and run the command again\n`,
      );
      return 1;
    }
    // A bug, not a user error: one line by default, the stack only when asked for.
    io.err(
      `llm386 ${name}: internal error: ${message.split('\n')[0] ?? ''} (set LLM386_DEBUG=1 for details and report it)\n`,
    );
    if (io.env.LLM386_DEBUG === '1' && error instanceof Error) io.err(`${error.stack ?? ''}\n`);
    return 1;
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Process entry point. */
export function main(): void {
  // `llm386 list-models | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const io: Io = {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: readStdin,
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`llm386: internal error: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
