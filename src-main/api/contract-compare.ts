// Contract methods of the Compare view: two turns diffed. Merged into API_INPUTS and
// ApiOutputs by ./contract.ts; the handlers live in ./handlers-compare.ts.
import { z } from 'zod';

/** One zod schema per method of this feature. */
export const COMPARE_INPUTS = {} as const satisfies Record<string, z.ZodType>;

/** The result type of each method of this feature. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in as the feature's methods land
export interface CompareOutputs {}
