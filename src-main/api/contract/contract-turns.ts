// Contract methods of the Turns and Turn views: trace records, the traces of a block, turn export.
// Merged into API_INPUTS and ApiOutputs by ./index.ts; the handlers live in
// ../handlers/handlers-turns.ts.
import { z } from 'zod';
import {
  blockId,
  session,
  type Section,
  type SelectReason,
  type OmitReason,
} from './contract-atoms';
import type {
  CandidateBlockView,
  ChatView,
  PlanView,
  PolicyView,
  PromptView,
  TurnSummary,
} from './contract-views';
import type { BlockKind } from './contract-atoms';

/** Length of the candidates' previews in `turns.get` (a turn can have 10k candidates; the block pane has the full text). */
export const TURN_PREVIEW_LENGTH = 100;

/** One zod schema per method of this feature. */
export const TURN_INPUTS = {
  'turns.list': z.strictObject({
    session,
    /** The newest `limit` turns (still listed oldest first). */
    limit: z.number().int().min(1).max(100_000).default(5000),
    /** With what became of each call (`facts`), as far as the summaries tell. */
    facts: z.boolean().default(false),
  }),
  /**
   * One recorded turn's plan and metadata (no prompt text: see `turns.prompt`). With `omitted:
   * false` the plan's omitted list is left out (a turn can omit 10k blocks): the view shows the
   * budget and the selection at once and loads the rest with `turns.omitted`.
   */
  'turns.get': z.strictObject({ callId: blockId, omitted: z.boolean().default(true) }),
  /** The omitted candidates of a recorded turn, with their previews. */
  'turns.omitted': z.strictObject({ callId: blockId }),
  /** The rendered prompt of a recorded turn, as recorded, and the model's output: the bodies. */
  'turns.prompt': z.strictObject({ callId: blockId }),
  /**
   * The recorded turns that selected or omitted a block, newest first. Each call reads at most
   * `scan` trace records (a big turn's record is about 1 MB); pass the result's `next` as `before`
   * to look further back.
   */
  'turns.forBlock': z.strictObject({
    id: blockId,
    /** Only this session's turns; default: the block's sessions and those that see it as global. */
    session: session.optional(),
    /** Continue with the turns recorded before this call id. */
    before: blockId.optional(),
    scan: z.number().int().min(1).max(1000).default(25),
  }),
  /**
   * What became of each of these calls (recorded turns): the output, latency, provider usage and
   * cost. With their `session`, read from the session index's summaries; without it (or for
   * summaries written before they carried these), each record is decoded once and kept until it
   * changes.
   */
  'turns.calls': z.strictObject({
    callIds: z.array(blockId).min(1).max(5000),
    session: session.optional(),
  }),
  /**
   * A session's turns whose task, recorded output or blocks (those written during the user turn,
   * each to the first call that saw it) contain `query` (case-insensitive; blocks by the block search).
   */
  'turns.search': z.strictObject({ session, query: z.string().trim().min(1).max(200) }),
  /**
   * Every session's recorded turns, the input tokens they sent and, with `tokens`, its blocks'
   * tokens (what the Store view lists beside sessions.list). Counting a 100k-block session's tokens
   * the first time takes a second or so: ask without them first to show the turns at once.
   */
  'turns.sessions': z.strictObject({ tokens: z.boolean().default(true) }),
} as const satisfies Record<string, z.ZodType>;

/**
 * The calls of one user turn: those recorded after a user message of the session and before its
 * next one (the calls of a tool loop and any summary call between), decided by each call's
 * watermark (the newest block it could see).
 */
export interface UserTurnView {
  /** The user message served, or null for calls before the session's first user message. */
  readonly message: {
    readonly id: string;
    readonly preview: string;
    readonly createdAt: number;
  } | null;
  /** Call ids of the listed turns in this user turn, oldest first. */
  readonly calls: readonly string[];
}

/** A recorded call's cost at its model profile's list prices (USD), when the profile has prices. */
export interface CallCostView {
  readonly usd: number;
  readonly inputUsd: number;
  /** Null when no output token count was reported. */
  readonly outputUsd: number | null;
  /** `usage`: the provider's reported tokens; `prompt`: no usage recorded, so the prompt's counted tokens and no output. */
  readonly basis: 'usage' | 'prompt';
  /** The prices used, USD per million tokens (the config's profile of that name, else the recorded profile's). */
  readonly prices: { readonly input: number; readonly output: number };
}

/** What became of one recorded call. */
export interface CallFactsView {
  /** The model's output on one line, cut to {@link CALL_OUTPUT_PREVIEW} characters; null when none was recorded. */
  readonly output: string | null;
  /** Characters of the whole output (0 when none). */
  readonly outputChars: number;
  /**
   * Milliseconds from the call's recording (after paging and packing) to its output being
   * recorded: the model's latency as the application saw it; null without an output.
   */
  readonly latencyMs: number | null;
  /** Milliseconds the runtime spent paging and packing the call. */
  readonly runtimeMs: number | null;
  /** The provider's token usage, as recorded with the output; null when none was. */
  readonly usage: {
    readonly inputTokens: number | null;
    readonly outputTokens: number | null;
    readonly cachedInputTokens: number | null;
  } | null;
  readonly cost: CallCostView | null;
}

/** Longest output preview in {@link CallFactsView}. */
export const CALL_OUTPUT_PREVIEW = 160;

/** Where a search matched one turn. */
export interface TurnMatchView {
  readonly callId: string;
  readonly task: boolean;
  readonly output: boolean;
  /** Matching blocks first seen by this call (at most 5), with previews. */
  readonly blocks: readonly { readonly id: string; readonly preview: string }[];
}

/** A session's recorded turns and tokens. */
export interface SessionTurnsView {
  readonly session: string;
  readonly turns: number;
  /** Input tokens of every recorded turn's prompt, summed. */
  readonly inputTokens: number;
  /** Tokens of the session's blocks (the default model's tokenizer); null when not asked for. */
  readonly tokens: number | null;
  readonly tokenizer: string;
}

/** A recorded turn's plan, as the Turn view shows it. */
export interface TurnDetail {
  readonly turn: TurnSummary;
  readonly plan: PlanView;
  /** A preview line (at most {@link TURN_PREVIEW_LENGTH} characters), creation time and priority for every candidate that still exists. */
  readonly blocks: Readonly<Record<string, CandidateBlockView>>;
  /** The recorded policy (weights, fractions, switches). */
  readonly policy: PolicyView;
  /** Call ids of the session's turns before and after this one, or null. */
  readonly previous: string | null;
  readonly next: string | null;
  /** Selected blocks that no longer exist in the store (the prompt then has no block spans). */
  readonly missing: readonly string[];
  /** How many candidates the plan omitted (also when `plan.omitted` was left out). */
  readonly omittedCount: number;
}

/** A recorded turn's prompt and output. */
export interface TurnPrompt {
  /** The rendering sent: `string`, or chat messages (`chat`, `openai`, `anthropic`). */
  readonly mode: TurnSummary['mode'];
  /** The string rendering: what was sent in string mode; otherwise re-rendered from the plan (null when blocks are gone). */
  readonly prompt: PromptView | null;
  /** The chat rendering: what was sent in chat/provider modes; otherwise re-rendered (null when blocks are gone). */
  readonly chat: ChatView | null;
  /**
   * True when the rendering of `mode` re-rendered from the plan hashes to the recorded prompt hash,
   * so its block spans are exact; false when blocks changed or are gone (the recorded text is shown
   * without spans).
   */
  readonly exact: boolean;
  /** Provider modes: the exact request body sent, as JSON text; null otherwise. */
  readonly request: string | null;
  readonly output: {
    readonly text: string;
    readonly recordedAt: number;
    readonly inputTokens: number | null;
    readonly outputTokens: number | null;
  } | null;
}

/** A recorded turn that selected or omitted a given block. */
export interface BlockTurnView {
  readonly turn: TurnSummary;
  readonly decision: 'selected' | 'omitted';
  readonly reason: SelectReason | OmitReason;
  readonly section: Section;
  readonly score: number;
}

/** A page of the turns that selected or omitted a block. */
export interface BlockTurns {
  /** Newest first. */
  readonly turns: readonly BlockTurnView[];
  /** Trace records read for this page. */
  readonly scanned: number;
  /** Turns that could have seen the block (recorded after it existed) in `sessions`. */
  readonly total: number;
  /** Pass as `before` to look further back; null when every such turn was read. */
  readonly next: string | null;
  /** The sessions whose turns were looked through. */
  readonly sessions: readonly string[];
}

/** The result type of each method of this feature. */
export interface TurnOutputs {
  /** A session's recorded turns, oldest first. */
  'turns.list': {
    readonly turns: readonly TurnSummary[];
    readonly total: number;
    /** The listed turns grouped by the user turn they serve, oldest first. */
    readonly groups: readonly UserTurnView[];
    /**
     * With `facts`: what became of the listed calls, by call id, read from their summaries; a call
     * recorded before summaries carried it is left out (`turns.calls` reads its record).
     */
    readonly facts: Readonly<Record<string, CallFactsView>>;
  };
  'turns.get': TurnDetail;
  'turns.omitted': OmittedColumns;
  'turns.prompt': TurnPrompt;
  'turns.forBlock': BlockTurns;
  'turns.calls': { readonly calls: Readonly<Record<string, CallFactsView>> };
  'turns.search': { readonly matches: readonly TurnMatchView[] };
  'turns.sessions': { readonly sessions: readonly SessionTurnsView[] };
}

/**
 * The omitted candidates of a turn as column arrays (a turn can omit 10k blocks; as objects the
 * repeated keys were most of a ~6 MB response). Row i of every column is one candidate; kind,
 * section and reason are indexes into their `*Names` lists; `retrievers[name]` holds
 * `[raw, normalized, rank, contribution]` per row (contribution null in records made before plans
 * showed it), or null where that retriever did not score the block; `preview`/`createdAt`/`priority`
 * are null for a block that no longer exists. `expandOmitted` (./omitted-columns.ts) turns
 * it back into the views.
 */
/** One retriever's score of one omitted candidate: `[raw, normalized, rank, contribution]`. */
export type ScoreColumnCell = readonly [number, number, number, number | null];

export interface OmittedColumns {
  readonly id: readonly string[];
  readonly kindNames: readonly BlockKind[];
  readonly kind: readonly number[];
  readonly sectionNames: readonly Section[];
  readonly section: readonly number[];
  readonly reasonNames: readonly OmitReason[];
  readonly reason: readonly number[];
  readonly score: readonly number[];
  readonly tokensNeeded: readonly number[];
  readonly tokensLeft: readonly number[];
  readonly displacedBy: readonly (string | null)[];
  readonly retrievers: Readonly<Record<string, readonly (ScoreColumnCell | null)[]>>;
  readonly preview: readonly (string | null)[];
  readonly createdAt: readonly (number | null)[];
  readonly priority: readonly (number | null)[];
}
