// Contract method of the Store view's on-demand check: `verify` over the open store. Merged into
// API_INPUTS and ApiOutputs by ./index.ts; the handler lives in ../handlers/handlers-verify.ts.
import { empty } from './contract-atoms';

/** One zod schema per method of this feature. */
export const VERIFY_INPUTS = {
  /** Runs `llm386 verify` on the open store (read-only), away from the process serving the UI. */
  'store.verify': empty,
} as const;

/** One finding of verify (src-core's Problem). */
export interface VerifyProblemView {
  readonly kind: string;
  readonly message: string;
  readonly id: string | null;
}

export interface VerifyView {
  /** True when no problem was found. */
  readonly ok: boolean;
  readonly blocks: number;
  readonly bodies: number;
  readonly problems: readonly VerifyProblemView[];
  /** Wall time of the check (ms). */
  readonly ms: number;
  /** Where it ran: a child process (`llm386 verify`), or in this process when the CLI is not built. */
  readonly ranIn: 'child-process' | 'in-process';
}

/** The result type of each method of this feature. */
export interface VerifyOutputs {
  'store.verify': VerifyView;
}
