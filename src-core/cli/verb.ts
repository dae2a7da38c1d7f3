import type { Io } from './context';

/** One CLI verb: parses its own arguments, writes results to stdout and status to stderr. */
export interface Verb {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to an exit code (0 when omitted). Throws coded errors; the runner turns them into messages. */
  run(args: string[], io: Io): Promise<number | void>;
}
