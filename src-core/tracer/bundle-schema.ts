// The turn bundle's wire format and its zod schema. A bundle is plain JSON: it crosses files, the
// CLI and the inspector's process boundary, so everything in it is checked on the way in.
import { z } from 'zod';
import { BLOCK_KINDS, EDGE_KINDS } from '../base/index';
import { MAX_BUDGET_TOKENS } from '../config/index';

/** What a bundle's `format` field always says. */
export const BUNDLE_FORMAT = 'llm386-turn-bundle';
/** The bundle format version this build writes and the newest it reads. */
export const BUNDLE_FORMAT_VERSION = 1;

const hex = (length: number, what: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-f]{${length}}$`), `${what} is ${length} lowercase hex characters`);
const blockId = hex(32, 'a block id');
const session = z
  .string()
  .regex(
    /^[A-Za-z0-9._:@-]{1,128}$/,
    'a session is 1-128 characters of letters, digits and . _ : @ -',
  );

/** Bytes in JSON: UTF-8 text as is, anything else as base64. */
const bytes = z.strictObject({ encoding: z.enum(['utf8', 'base64']), data: z.string() });

const toolCall = z.strictObject({
  id: z.string().max(1000),
  name: z.string().max(1000),
  arguments: z.string(),
});

const bundleBlock = z.strictObject({
  id: blockId,
  kind: z.enum(BLOCK_KINDS),
  hash: hex(64, 'a body hash'),
  priority: z.number().min(0).max(1),
  createdAt: z.number().int().min(0),
  sessions: z.array(session).min(1).max(10_000),
  labels: z.array(z.string().max(1000)).max(10_000),
  source: z.string().optional(),
  toolCalls: z.array(toolCall).optional(),
  toolCallId: z.string().optional(),
  name: z.string().min(1).max(128).optional(),
  body: bytes,
});

const edge = z.strictObject({ from: blockId, kind: z.enum(EDGE_KINDS), to: blockId });

const candidate = z.looseObject({ id: blockId, section: z.string(), reason: z.string() });

/**
 * The trace record: the fields replay reads are checked; the rest of the plan (scores, timings,
 * sections) passes through as recorded.
 */
const traceRecord = z.looseObject({
  formatVersion: z.number().int().min(1),
  callId: blockId,
  session,
  createdAt: z.number().int().min(0),
  runtimeVersion: z.string(),
  tokenizerVersion: z.string(),
  model: z.looseObject({
    name: z.string().min(1),
    maxContextTokens: z.number().int().positive().max(MAX_BUDGET_TOKENS),
    reservedOutputTokens: z.number().int().min(0),
    safetyMarginTokens: z.number().int().min(0),
    tokenizer: z.string(),
  }),
  policy: z.looseObject({
    retrievers: z.array(z.looseObject({ kind: z.string(), name: z.string(), weight: z.number() })),
    sectionBudgets: z.record(z.string(), z.number().min(0).max(1)),
    pager: z.looseObject({}),
    includeTimestamps: z.boolean(),
    stableSections: z.array(z.string()),
  }),
  task: z.string(),
  required: z.array(blockId),
  budget: z.number().int().positive().max(MAX_BUDGET_TOKENS).nullable(),
  watermark: blockId.nullable(),
  changeSeq: z.number(),
  mode: z.enum(['string', 'chat', 'openai', 'anthropic']),
  plan: z.looseObject({ selected: z.array(candidate), omitted: z.array(candidate) }),
  promptHash: hex(64, 'a prompt hash'),
  tokens: z.number().int().min(0),
  timings: z.record(z.string(), z.number()),
});

/** The schema of a turn bundle, as `importTurnBundle` checks it. */
export const turnBundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int().min(1),
  runtimeVersion: z.string(),
  callId: blockId,
  blocks: z.array(bundleBlock).max(1_000_000),
  edges: z.array(edge).max(10_000_000),
  trace: traceRecord,
  prompt: bytes,
});

/** A block in a bundle: its metadata and body. */
export type BundleBlock = z.infer<typeof bundleBlock>;
/** Bytes as a bundle carries them. */
export type BundleBytes = z.infer<typeof bytes>;
