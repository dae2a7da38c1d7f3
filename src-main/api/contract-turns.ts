// Contract methods of the Turns and Turn views: trace records, the traces of a block, turn export. Merged into API_INPUTS and
// ApiOutputs by ./contract.ts; the handlers live in ./handlers-turns.ts.
import { z } from 'zod';

/** One zod schema per method of this feature. */
export const TURN_INPUTS = {} as const satisfies Record<string, z.ZodType>;

/** The result type of each method of this feature. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the feature's methods land
export interface TurnOutputs {}
