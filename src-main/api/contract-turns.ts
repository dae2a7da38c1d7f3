// Contract methods of the Turns and Turn views: trace records, the traces of a block, turn export.
// Merged into API_INPUTS and ApiOutputs by ./contract.ts; the handlers live in ./handlers-turns.ts.
import { z } from 'zod';
import { session } from './contract-atoms';
import type { TurnSummary } from './contract';

/** One zod schema per method of this feature. */
export const TURN_INPUTS = {
  'turns.list': z.strictObject({
    session,
    /** The newest `limit` turns (still listed oldest first). */
    limit: z.number().int().min(1).max(100_000).default(5000),
  }),
} as const satisfies Record<string, z.ZodType>;

/** The result type of each method of this feature. */
export interface TurnOutputs {
  /** A session's recorded turns, oldest first. */
  'turns.list': { readonly turns: readonly TurnSummary[]; readonly total: number };
}
