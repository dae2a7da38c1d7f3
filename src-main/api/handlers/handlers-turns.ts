// Handlers of the methods in ../contract/contract-turns.ts; merged into the full map by ./index.ts.
import type {
  BlockTurnView,
  CallFactsView,
  SessionTurnsView,
  TurnMatchView,
  TurnOutputs,
  TurnPrompt,
  UserTurnView,
} from '../contract/contract-turns';
import { CallFacts } from './call-facts';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import {
  DEFAULT_MODEL,
  findProfile,
  getTrace,
  listTraceSummaries,
  type Store,
  type TraceRecord,
  type TraceSummary,
} from '../../runtime';
import { recordedPolicyView } from './diff-views';
import { firstCallSeeing, groupByUserTurn } from './turn-groups';
import {
  missingBlocks,
  recordedPrompt,
  summaryView,
  omittedColumns,
  turnPreviews,
} from './turn-views';
import { planView, turnSummary } from './views';

/** Rendered prompts kept per open store (each up to a few MB for a 128k-token turn). */
const PROMPT_CACHE = 4;

/** Time `turns.forBlock` may spend reading trace records per request (at least one is read). */
const SCAN_BUDGET_MS = 200;

/** The implementations of this feature's methods over one open store. */
export function turnImplementations(context: FeatureContext): ImplementationsOf<keyof TurnOutputs> {
  const { store, blocks, config } = context;
  const facts = new CallFacts(store, config);
  // Block tokens per session, recounted only when the session's size or newest block changes.
  const sessionTokens = new Map<string, { readonly key: string; readonly tokens: number }>();
  // A session's user message ids, read once per store change (28k of them in a 100k-block session take 20-70 ms).
  let userMessages:
    { readonly session: string; readonly seq: number; readonly ids: readonly string[] } | undefined;
  const userMessagesOf = (session: string): readonly string[] => {
    const seq = store.changeSeq();
    if (userMessages?.session !== session || userMessages.seq !== seq)
      userMessages = { session, seq, ids: store.listIds(session, { kinds: ['user-message'] }) };
    return userMessages.ids;
  };
  // The Turn view asks for a turn's plan and then its omitted candidates: decode the record
  // (~1 MB for a 128k-token turn) once for both. Plans never change after recording.
  let lastPlan: { readonly callId: string; readonly plan: TraceRecord['plan'] } | undefined;
  const prompts = new Map<string, TurnPrompt>();
  const planOf = (callId: string) =>
    lastPlan?.callId === callId ? lastPlan.plan : getTrace(store, callId).plan;
  return {
    'turns.list': (input) => {
      // Summaries come from the session index, so a list never decodes a plan.
      const all = listTraceSummaries(store, input.session);
      const listed = all.slice(Math.max(0, all.length - input.limit));
      const known: Record<string, CallFactsView> = {};
      for (const summary of input.facts ? listed : []) {
        const view = facts.ofSummary(summary);
        if (view !== undefined) known[summary.callId] = view;
      }
      return {
        turns: listed.map(summaryView),
        total: all.length,
        groups: userTurns(blocks, listed, userMessagesOf(input.session)),
        facts: known,
      };
    },

    'turns.calls': (input) => {
      const calls: Record<string, CallFactsView> = {};
      for (const id of input.callIds) {
        const view = facts.get(id, input.session);
        if (view !== undefined) calls[id] = view;
      }
      return { calls };
    },

    'turns.search': (input) => {
      // Case and runs of white space do not matter (outputs and tasks are shown on one line).
      const flat = (text: string) => text.replace(/\s+/g, ' ').toLowerCase();
      const query = flat(input.query);
      const calls = listTraceSummaries(store, input.session);
      const byCall = new Map<
        string,
        { task: boolean; output: boolean; blocks: { id: string; preview: string }[] }
      >();
      const hit = (callId: string) => {
        let m = byCall.get(callId);
        if (m === undefined) byCall.set(callId, (m = { task: false, output: false, blocks: [] }));
        return m;
      };
      for (const call of calls) {
        // The summary keeps the task's first 500 characters; longer tasks are read whole.
        const task =
          call.task.length < 500 ? call.task : (readTrace(store, call.callId)?.task ?? call.task);
        if (flat(task).includes(query)) hit(call.callId).task = true;
        if (call.hasOutput && facts.outputLine(call).toLowerCase().includes(query))
          hit(call.callId).output = true;
      }
      for (const id of blocks.matchingIds(input.session, { search: query })) {
        const callId = firstCallSeeing(calls, id);
        if (callId === undefined) continue;
        const m = hit(callId);
        if (m.blocks.length < MAX_MATCHED_BLOCKS)
          m.blocks.push({ id, preview: blocks.blockPreview(id)?.preview ?? '' });
      }
      const matches: TurnMatchView[] = calls
        .filter((c) => byCall.has(c.callId))
        .map((c) => ({
          callId: c.callId,
          ...(byCall.get(c.callId) as {
            task: boolean;
            output: boolean;
            blocks: { id: string; preview: string }[];
          }),
        }));
      return { matches };
    },

    'turns.sessions': (input) => {
      const tokenizer = findProfile(DEFAULT_MODEL, config.profiles).tokenizer;
      const sessions: SessionTurnsView[] = store.sessions().map(({ session, blocks: size }) => {
        const summaries = listTraceSummaries(store, session);
        const turns = summaries.length;
        const inputTokens = summaries.reduce((n, t) => n + t.tokens, 0);
        if (!input.tokens) return { session, turns, inputTokens, tokens: null, tokenizer };
        const [newest] = store.listIds(session, { limit: 1, reverse: true });
        const key = `${size}:${newest ?? ''}:${tokenizer}`;
        let counted = sessionTokens.get(session);
        if (counted?.key !== key) {
          let tokens = 0;
          for (const record of store.list(session)) tokens += store.tokens(record, tokenizer);
          counted = { key, tokens };
          sessionTokens.set(session, counted);
        }
        return { session, turns, inputTokens, tokens: counted.tokens, tokenizer };
      });
      return { sessions };
    },

    'turns.get': (input) => {
      const record = getTrace(store, input.callId);
      lastPlan = { callId: record.callId, plan: record.plan };
      const [previous, next] = neighbours(store, record);
      const plan = input.omitted ? record.plan : { ...record.plan, omitted: [] };
      return {
        turn: turnSummary(record),
        plan: planView(plan),
        blocks: turnPreviews(blocks, [...plan.selected, ...plan.omitted]),
        policy: recordedPolicyView(record.policy),
        previous,
        next,
        missing: missingBlocks(store, record),
        omittedCount: record.plan.omitted.length,
      };
    },

    'turns.omitted': (input) => {
      const plan = planOf(input.callId);
      return omittedColumns(blocks, planView({ ...plan, selected: [] }).omitted);
    },

    'turns.prompt': (input) => {
      // Re-rendering a 128k-token prompt takes the better part of a second; the answer only changes
      // when the store does (a block deleted) or an output is recorded, so going back to a turn is cheap
      // (a recorded output is written to the trace without a store change, so it is in the key).
      const record = getTrace(store, input.callId);
      const key = `${record.callId}:${store.changeSeq()}:${record.output?.recordedAt ?? ''}`;
      const hit = prompts.get(key);
      if (hit !== undefined) return hit;
      const view = recordedPrompt(store, record);
      prompts.set(key, view);
      if (prompts.size > PROMPT_CACHE) prompts.delete(prompts.keys().next().value as string);
      return view;
    },

    'turns.forBlock': (input) => {
      const block = store.requireRecord(input.id);
      const sessions =
        input.session === undefined ? sessionsSeeing(store, block.sessions) : [input.session];
      // There is no block -> trace index (it would cost a write per candidate per call). The
      // session index's summaries name each call's watermark, so calls recorded before the block
      // existed are skipped without reading them; the rest are read newest first, at most `scan`
      // records or SCAN_BUDGET_MS per request, so 1,000 big turns never block the server for long.
      const candidates = sessions
        .flatMap((s) => listTraceSummaries(store, s))
        .filter((t) => t.watermark === null || t.watermark === undefined || t.watermark >= input.id)
        .sort((a, b) => (a.callId < b.callId ? 1 : a.callId > b.callId ? -1 : 0));
      const { before } = input;
      let i = before === undefined ? 0 : candidates.findIndex((t) => t.callId < before);
      if (i === -1) i = candidates.length;
      const turns: BlockTurnView[] = [];
      let scanned = 0;
      const started = performance.now();
      for (
        ;
        i < candidates.length &&
        scanned < input.scan &&
        !(scanned > 0 && performance.now() - started > SCAN_BUDGET_MS);
        i++
      ) {
        const record = readTrace(store, (candidates[i] as TraceSummary).callId);
        scanned++;
        const view = record === undefined ? undefined : decisionOf(record, input.id);
        if (view !== undefined) turns.push(view);
      }
      return {
        turns,
        scanned,
        total: candidates.length,
        next: i < candidates.length ? (candidates[i - 1]?.callId ?? null) : null,
        sessions,
      };
    },
  };
}

/** Blocks named per matching call in `turns.search`. */
const MAX_MATCHED_BLOCKS = 5;

/** The listed calls grouped by the user message each serves (see {@link groupByUserTurn}). */
function userTurns(
  blocks: FeatureContext['blocks'],
  calls: readonly TraceSummary[],
  messages: readonly string[],
): UserTurnView[] {
  return groupByUserTurn(calls, messages).map(({ message, calls: ids }) => {
    const found = message === null ? undefined : blocks.blockPreview(message);
    return {
      message:
        message === null || found === undefined
          ? null
          : { id: message, preview: found.preview, createdAt: found.createdAt },
      calls: ids,
    };
  });
}

function decisionOf(record: TraceRecord, id: string): BlockTurnView | undefined {
  const selected = record.plan.selected.find((s) => s.id === id);
  if (selected !== undefined)
    return {
      turn: turnSummary(record),
      decision: 'selected',
      reason: selected.reason,
      section: selected.section,
      score: selected.score,
    };
  const omitted = record.plan.omitted.find((o) => o.id === id);
  if (omitted !== undefined)
    return {
      turn: turnSummary(record),
      decision: 'omitted',
      reason: omitted.reason,
      section: omitted.section,
      score: omitted.score,
    };
  return undefined;
}

/** Call ids of a session's traces in call order (or newest first), from the session index only. */
function* traceIds(
  store: Store,
  session: string,
  options: { reverse?: boolean; from?: string; limit?: number } = {},
): Generator<string> {
  yield* store.traceLog.callIds(session, options);
}

function readTrace(store: Store, callId: string): TraceRecord | undefined {
  try {
    return getTrace(store, callId);
  } catch {
    return undefined;
  }
}

/** The call ids of the session's turns just before and after this one. */
function neighbours(store: Store, record: TraceRecord): [string | null, string | null] {
  const before = [
    ...traceIds(store, record.session, { reverse: true, from: record.callId, limit: 2 }),
  ].find((id) => id < record.callId);
  const after = [...traceIds(store, record.session, { from: record.callId, limit: 2 })].find(
    (id) => id > record.callId,
  );
  return [before ?? null, after ?? null];
}

/**
 * Sessions whose calls could have seen a block of `blockSessions`: those sessions themselves, and
 * every session whose newest trace ran with one of them as a global session (read from that one
 * record per session, so a store-wide policy change is picked up from the next call on).
 */
function sessionsSeeing(store: Store, blockSessions: readonly string[]): string[] {
  const out = new Set(blockSessions);
  for (const { session } of store.sessions()) {
    if (out.has(session)) continue;
    const [newest] = traceIds(store, session, { reverse: true, limit: 1 });
    const record = newest === undefined ? undefined : readTrace(store, newest);
    if (record?.policy.pager.globalSessions.some((g) => blockSessions.includes(g)) === true)
      out.add(session);
  }
  return [...out];
}
