// The contract's vocabulary and schema atoms, shared by ./index.ts and the feature contracts
// (./contract-turns.ts, ./contract-compare.ts, ./contract-whatif.ts, ./contract-graph.ts).
import { z } from 'zod';
import { FILL_SECTIONS } from '../../../src-core/base/vocabulary';

// The vocabulary is src-core's own (src-core/base/vocabulary.ts), re-exported: that module imports
// nothing, so the renderer's type check of the contract stays free of Node (see index.ts). It
// is the one module of src-core the contract may import directly (eslint.config.mjs).
export {
  BLOCK_KINDS,
  SECTIONS,
  FILL_SECTIONS,
  EDGE_KINDS,
  RETRIEVER_ROLES,
  FUSION_MODES,
} from '../../../src-core/base/vocabulary';
export type {
  BlockKind,
  Section,
  FillSection,
  EdgeKind,
  RetrieverRole,
  FusionMode,
  SelectReason,
  OmitReason,
} from '../../../src-core/base/vocabulary';

/**
 * Share of the relevance term a recency score of 1 adds in `relevance` fusion: a copy of src-core's
 * pager RECENCY_BOOST, which its index does not export. It crosses the boundary in
 * `PlanView.fusion.recencyBoost` (the renderer imports the contract as types only);
 * handlers.test.ts recomputes every candidate's score from the wire's contributions with it.
 */
export const RECENCY_BOOST = 0.25;

/** Longest text returned by `blocks.get`; longer bodies are cut and flagged `truncated`. */
export const BLOCK_TEXT_LIMIT = 1_000_000;
/** Length of list previews. */
export const PREVIEW_LENGTH = 160;

export const blockId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'a block id is 32 lowercase hex characters');
export const session = z
  .string()
  .regex(
    /^[A-Za-z0-9._:@-]{1,128}$/,
    'a session is 1-128 characters of letters, digits and . _ : @ -',
  );
export const fraction = z.number().min(0).max(1);
export const empty = z.strictObject({});

/**
 * The settings a page call or a what-if may override: model, input budget, section fractions,
 * retriever weights and pager switches. Spread into a method's input schema.
 */
export const pageOverrides = {
  /** A model profile name; default: the runtime's default model. */
  model: z.string().min(1).max(200).optional(),
  /** Overrides the model's input budget. */
  // src-core's MAX_BUDGET_TOKENS (the contract imports only types from src-core; a test keeps them equal).
  budget: z.number().int().min(1).max(10_000_000).optional(),
  /** Overrides of section fractions; with the others they must sum to at most 1. */
  sectionBudgets: z.partialRecord(z.enum(FILL_SECTIONS), fraction).optional(),
  /** Retriever name -> weight. */
  weights: z.record(z.string().min(1).max(100), z.number().min(0).max(100)).optional(),
  switches: z
    .strictObject({
      includeDependencies: z.boolean().optional(),
      summarySubstitution: z.boolean().optional(),
      spill: z.boolean().optional(),
      redundancyThreshold: fraction.optional(),
      priorityWeight: z.number().min(0).max(10).optional(),
      includeTimestamps: z.boolean().optional(),
    })
    .optional(),
};
