// The agent loop. All memory lives in the runtime: each turn puts the user message, packs a traced
// prompt, calls the model, runs tools, and reduces every reply back into blocks; nothing is kept in
// process memory between turns, so a new process over the same store carries on where it left off.
import {
  isLlm386Error,
  systemClock,
  type BlockId,
  type Clock,
  type Runtime,
  type ToolCall,
} from '../../src-core/index';
import type { FactRef } from './memory';
import type { Model, ModelReply } from './model';
import { chatTurnReducer, summaryReducer, type ToolResult } from './reducers';
import { SUMMARY_TASK_PREFIX, TURN_TASK_PREFIX } from './scripted-model';
import { runTool, TOOLS } from './tools';

/** The agent's system prompt, stored as a `system` block in each session it talks in. */
export const SYSTEM_PROMPT = [
  'You are a concise, friendly assistant with two tools: `calculator` for any arithmetic (never compute in your head) and `lookup_profile` for customer profiles.',
  'Your memory is the context you are given: facts, summaries, documents and the recent conversation. Prefer what the user told you over other sources.',
  'When the user tells you a lasting fact about themselves (name, city, job, employer, favourites), end your reply with one fenced block',
  '```json',
  '{"events": [{"kind": "fact", "body": "The user lives in Paris."}]}',
  '```',
  'with one short sentence per fact, written about "The user" (e.g. "The user\'s name is Ada Lovelace.", "The user works as a nurse."). The block is stored, never shown. Otherwise do not write such a block.',
].join('\n');

/**
 * A clock whose readings strictly increase, so each step of a turn gets its own millisecond and
 * ids minted later sort after what an earlier call saw (replay pages the store "as of" a call by id).
 */
export class MonotonicClock implements Clock {
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    this.last = Math.max(this.base.now(), this.last + 1);
    return this.last;
  }

  /** Makes every later reading greater than `ms` (after a reduction minted blocks up to `ms`). */
  skipPast(ms: number): void {
    this.last = Math.max(this.last, ms);
  }
}

/** A {@link MonotonicClock} over `base` (default the wall clock). */
export function monotonicClock(base: Clock = systemClock): MonotonicClock {
  return new MonotonicClock(base);
}

/** Options of {@link Agent}. */
export interface AgentOptions {
  readonly runtime: Runtime;
  readonly model: Model;
  /** Time of every step; default a monotonic wall clock. Give a fixed clock for reproducible stores. */
  readonly clock?: Clock | undefined;
  /** Input budget (tokens) of every call; default the model profile's. */
  readonly budget?: number | undefined;
  /** Tool rounds per turn before the model must answer in text (default 3). */
  readonly maxToolRounds?: number | undefined;
  readonly systemPrompt?: string | undefined;
}

/** One executed tool call. */
export interface ToolRun {
  readonly call: ToolCall;
  readonly result: string;
}

/** What one turn did. */
export interface TurnResult {
  /** The reply as the user sees it (memory envelope removed). */
  readonly reply: string;
  readonly userMessageId: BlockId;
  /** The traced calls of the turn, in order (one per model call). */
  readonly callIds: readonly BlockId[];
  readonly toolRuns: readonly ToolRun[];
  /** Fact blocks the turn stored or confirmed. */
  readonly factIds: readonly string[];
  /** Problems that did not stop the turn (e.g. an invalid memory envelope was dropped). */
  readonly warnings: readonly string[];
}

/** What a summarising call did. */
export interface SummaryResult {
  readonly summaryId: string;
  readonly callId: BlockId;
  readonly covered: readonly string[];
}

/** Per-call overrides. */
export interface CallOptions {
  readonly budget?: number | undefined;
}

/** The reply of one call as recorded in its trace: the text, then one line per tool call. */
export function outputText(reply: ModelReply): string {
  const calls = reply.toolCalls.map((c) => `[tool call] ${c.name}(${c.arguments})`);
  return [reply.text, ...calls].filter((s) => s !== '').join('\n');
}

/** A chat agent whose whole memory is one LLM386 store. */
export class Agent {
  readonly runtime: Runtime;
  readonly model: Model;
  private readonly clock: MonotonicClock;
  private readonly budget: number | undefined;
  private readonly maxToolRounds: number;
  private readonly systemPrompt: string;

  constructor(options: AgentOptions) {
    this.runtime = options.runtime;
    this.model = options.model;
    this.clock = monotonicClock(options.clock);
    this.budget = options.budget;
    this.maxToolRounds = options.maxToolRounds ?? 3;
    this.systemPrompt = options.systemPrompt ?? SYSTEM_PROMPT;
  }

  /** Runs one user turn in `session` and returns the reply. */
  async turn(session: string, message: string, options: CallOptions = {}): Promise<TurnResult> {
    const rt = this.runtime;
    const text = message.trim();
    if (text === '') throw new Error('the message is empty: type something to say to the agent');
    const t0 = this.clock.now();
    // A knowledge block: a session's second put of the same prompt stores nothing new.
    rt.put({ session, kind: 'system', body: this.systemPrompt, createdAt: t0 });
    const user = rt.put({
      session,
      kind: 'user-message',
      body: text,
      createdAt: t0,
      source: 'user',
    }).block.id;
    const task = TURN_TASK_PREFIX + text.replace(/\s+/g, ' ').slice(0, 500);
    const callIds: BlockId[] = [];
    const toolRuns: ToolRun[] = [];
    const factIds: string[] = [];
    const warnings: string[] = [];
    for (let round = 0; ; round++) {
      const packed = await rt.pack(
        {
          session,
          task,
          model: this.model.profile,
          budget: options.budget ?? this.budget,
          now: this.clock.now(),
        },
        { mode: this.model.mode, trace: true },
      );
      const callId = packed.callId as BlockId;
      callIds.push(callId);
      const reply = await this.model.complete({
        packed,
        tools: TOOLS,
        toolChoice: round < this.maxToolRounds ? 'auto' : 'none',
      });
      await rt.recordOutput(callId, outputText(reply), reply.usage);
      const results: ToolResult[] = reply.toolCalls.map((call) => ({
        callId: call.id,
        name: call.name,
        content: runTool(call),
      }));
      results.forEach((r, i) =>
        toolRuns.push({ call: reply.toolCalls[i] as ToolCall, result: r.content }),
      );
      // Every fact the call could see, not only those that made the prompt: relevance decides the
      // prompt, but a new fact must be related to every known one it agrees or disagrees with.
      const knownFacts = this.factsOf([...packed.plan.selected, ...packed.plan.omitted]);
      const now = this.clock.now();
      const input = { callId, session, now, output: reply.text, userMessageId: user };
      let stored;
      try {
        stored = rt.reduce(
          chatTurnReducer({ toolCalls: reply.toolCalls, toolResults: results, knownFacts }),
          input,
        );
      } catch (error) {
        if (!isLlm386Error(error, 'invalid-input')) throw error;
        // A malformed memory envelope must not lose the turn: keep the reply, drop the facts.
        warnings.push(`memory not stored: ${error.message}`);
        stored = rt.reduce(
          chatTurnReducer({
            toolCalls: reply.toolCalls,
            toolResults: results,
            knownFacts,
            remember: false,
          }),
          input,
        );
      }
      // The reduction gives each block its own millisecond after `now`: later readings must pass them.
      for (const r of stored) if (!r.deduped) this.clock.skipPast(r.block.createdAt);
      for (const r of stored) if (r.block.kind === 'fact') factIds.push(r.block.id);
      const assistant = stored[0]?.block;
      if (reply.toolCalls.length === 0 || round >= this.maxToolRounds) {
        const visible = assistant === undefined ? '' : rt.store.text(assistant);
        return { reply: visible, userMessageId: user, callIds, toolRuns, factIds, warnings };
      }
    }
  }

  /**
   * Summarises the session's oldest messages that no summary covers yet (all but the newest
   * `keepRecent`, at most `maxMessages`) through a traced model call, storing a `summary` block
   * `derived-from` each of them. Returns undefined when there is nothing to summarise.
   */
  async summarize(
    session: string,
    options: CallOptions & { keepRecent?: number; maxMessages?: number } = {},
  ): Promise<SummaryResult | undefined> {
    const rt = this.runtime;
    const messages = rt.store.list(session, { kinds: ['user-message', 'assistant-message'] });
    const candidates = messages.slice(0, Math.max(0, messages.length - (options.keepRecent ?? 6)));
    const records = candidates
      .filter(
        (m) =>
          !rt.store
            .edges(m.id, 'in')
            .some(
              (e) => e.kind === 'derived-from' && rt.store.getRecord(e.from)?.kind === 'summary',
            ),
      )
      .slice(0, options.maxMessages ?? 8);
    if (records.length === 0) return undefined;
    const covered = records.map((m) => m.id);
    // The pager shows a repeated body once and refuses to require its repeat: require each text once.
    const texts = new Set<string>();
    const required: string[] = [];
    for (const m of records) {
      if (texts.has(m.hash)) continue;
      texts.add(m.hash);
      required.push(m.id);
    }
    const packed = await rt.pack(
      {
        session,
        task: `${SUMMARY_TASK_PREFIX} the earlier conversation in a few sentences.`,
        model: this.model.profile,
        budget: options.budget ?? this.budget,
        required,
        now: this.clock.now(),
      },
      { mode: this.model.mode, trace: true },
    );
    const callId = packed.callId as BlockId;
    const reply = await this.model.complete({ packed, tools: TOOLS, toolChoice: 'none' });
    await rt.recordOutput(callId, outputText(reply), reply.usage);
    const [summary] = rt.reduce(summaryReducer(covered), {
      callId,
      session,
      now: this.clock.now(),
      output: reply.text,
    });
    return { summaryId: summary?.block.id as string, callId, covered };
  }

  private factsOf(selected: readonly { id: string; kind: string }[]): FactRef[] {
    const out: FactRef[] = [];
    for (const s of selected) {
      if (s.kind !== 'fact') continue;
      const record = this.runtime.store.getRecord(s.id);
      if (record !== undefined) out.push({ id: s.id, body: this.runtime.store.text(record) });
    }
    return out;
  }
}
