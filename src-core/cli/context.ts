import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Llm386Error } from '../base/index';
import { DEFAULT_CONFIG, loadConfigFile, type Config } from '../config/index';
import { Store, type StoreOptions } from '../store/index';

/** Where a verb writes: results to `out` (stdout), status to `err` (stderr). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: () => Promise<Buffer>;
  readonly env: NodeJS.ProcessEnv;
  readonly stderrIsTty: boolean;
}

/** Options every verb accepts. */
export const COMMON_OPTIONS = {
  store: { type: 'string' },
  config: { type: 'string' },
  profiles: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** A usage error: exit code 2. */
export function usage(message: string): Llm386Error {
  return new Llm386Error('usage', message);
}

/** Parses a verb's arguments strictly; unknown options and bad values are usage errors. */
export function parseVerbArgs<O extends Options>(
  verb: string,
  args: string[],
  options: O,
  maxPositionals = 0,
) {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's message spans lines and its fix (e.g. "use '--priority=-XYZ'") is on the last one: keep it, on one line.
    const message = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw usage(`${verb}: ${message.replace(/\.$/, '')}: see \`llm386 ${verb} --help\``);
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined)
    throw usage(
      `${verb}: unexpected argument "${extra.slice(0, 60)}": see \`llm386 ${verb} --help\``,
    );
  return parsed;
}

/** The store directory: `--store`, then `LLM386_STORE`, then `./.llm386`. */
export function storeDir(
  values: { store?: string | boolean | undefined },
  env: NodeJS.ProcessEnv,
): string {
  const flag = typeof values.store === 'string' ? values.store : undefined;
  return flag ?? env.LLM386_STORE ?? '.llm386';
}

/** Prints a config's warnings on stderr (verbs that open a store do it in {@link withStore}). */
export function reportConfigWarnings(config: Config, err: (text: string) => void): void {
  for (const w of config.warnings ?? []) err(`warning: ${w}\n`);
}

/** The config: `--config`/`--profiles`, then `LLM386_CONFIG`/`LLM386_PROFILES`, else defaults. */
export function loadConfig(
  values: { config?: string | boolean | undefined; profiles?: string | boolean | undefined },
  env: NodeJS.ProcessEnv,
): Config {
  const path =
    (typeof values.config === 'string' ? values.config : undefined) ??
    (typeof values.profiles === 'string' ? values.profiles : undefined) ??
    env.LLM386_CONFIG ??
    env.LLM386_PROFILES;
  return path === undefined || path === '' ? DEFAULT_CONFIG : loadConfigFile(path);
}

/** Opens the store named by the options, runs `fn`, and always closes it. */
export async function withStore<T>(
  values: {
    store?: string | boolean | undefined;
    config?: string | boolean | undefined;
    profiles?: string | boolean | undefined;
  },
  io: Io,
  fn: (store: Store) => T | Promise<T>,
  options: StoreOptions = {},
): Promise<T> {
  // A config named on the command line or in the environment is validated by every verb, so a
  // broken file is reported even where nothing in it applies.
  reportConfigWarnings(loadConfig(values, io.env), io.err);
  const store = Store.open(storeDir(values, io.env), options);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Formats data as stable, indented JSON for `--json`. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Makes text safe for a terminal: control characters other than newline and tab become escapes. */
export function terminalSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
