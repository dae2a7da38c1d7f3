// The contract's vocabulary and schema atoms, shared by ./contract.ts and the feature contracts
// (./contract-turns.ts, ./contract-compare.ts, ./contract-whatif.ts, ./contract-graph.ts). The
// vocabulary lists are copies of src-core's (see contract.ts for why); handlers.test.ts keeps
// them equal.
import { z } from 'zod';

/** Block kinds (src-core BLOCK_KINDS). */
export const BLOCK_KINDS = [
  'system',
  'user-message',
  'assistant-message',
  'tool-result',
  'summary',
  'fact',
  'document-chunk',
  'plan',
  'state',
  'trace',
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** Prompt sections in rendering order (src-core SECTIONS). */
export const SECTIONS = [
  'system',
  'task',
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
] as const;
export type Section = (typeof SECTIONS)[number];

/** Sections whose share of the budget is set by fractions (src-core FILL_SECTIONS). */
export const FILL_SECTIONS = [
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
] as const;
export type FillSection = (typeof FILL_SECTIONS)[number];

/** Edge kinds (src-core EDGE_KINDS). */
export const EDGE_KINDS = [
  'parent',
  'derived-from',
  'supports',
  'contradicts',
  'tool-invocation',
] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** How fusion reads a retriever's scores (src-core RetrieverRole). */
export const RETRIEVER_ROLES = ['relevance', 'recency', 'inclusion'] as const;
export type RetrieverRole = (typeof RETRIEVER_ROLES)[number];

/** How retrievers' scores become one fused score (src-core FusionMode). */
export const FUSION_MODES = ['relevance', 'max'] as const;
export type FusionMode = (typeof FUSION_MODES)[number];

/**
 * Share of the relevance term a recency score of 1 adds in `relevance` fusion: a copy of src-core's
 * pager RECENCY_BOOST, which its index does not export. It crosses the boundary in
 * `PlanView.fusion.recencyBoost` (the renderer imports the contract as types only);
 * handlers.test.ts recomputes every candidate's score from the wire's contributions with it.
 */
export const RECENCY_BOOST = 0.25;

export type SelectReason =
  | 'required'
  | 'pinned'
  | 'relevance'
  | 'recency'
  | 'dependency'
  | 'tool-pair'
  | 'summary-substitute'
  | 'system';
export type OmitReason =
  | 'section-budget'
  | 'global-budget'
  | 'duplicate'
  | 'pair-incomplete'
  | 'replaced-by-summary'
  | 'low-score'
  | 'body-corrupt';

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
