// The agent's reducers: the only path from a model reply to stored state. Pure: the tool results and
// the facts the model saw come in as arguments, so the same reply always gives the same reduction.
import {
  Llm386Error,
  jsonEvents,
  reducerId,
  type PutInput,
  type Reducer,
  type ToolCall,
} from '../../src-core/index';
import { relateFacts, splitMemory, type FactRef, type ReductionEdge } from './memory';

/** The result of running one tool call. */
export interface ToolResult {
  /** The id of the tool call it answers. */
  readonly callId: string;
  readonly name: string;
  readonly content: string;
}

/** What a chat turn's reducer needs besides the reply text. */
export interface ChatTurn {
  /** The reply's tool calls (empty for a text answer). */
  readonly toolCalls: readonly ToolCall[];
  /** One result per tool call. */
  readonly toolResults: readonly ToolResult[];
  /** The fact blocks the model saw on this call, for `supports`/`contradicts` edges. */
  readonly knownFacts: readonly FactRef[];
  /** Store the reply's memory envelope as facts (default true); false drops it. */
  readonly remember?: boolean | undefined;
}

/**
 * The body stored for an assistant message that has no text: the store rejects empty bodies. It
 * names the calls with their arguments because the pager drops a message whose body repeats one
 * already in the prompt (and with it the message's tool results): a bare "(calling calculator)"
 * would hide every earlier calculation but one.
 */
export function placeholderBody(toolCalls: readonly ToolCall[], remembered: boolean): string {
  if (toolCalls.length > 0)
    return `(calling ${toolCalls.map((c) => `${c.name}(${c.arguments.trim()})`).join(', ')})`;
  return remembered ? '(noted)' : '(no reply)';
}

/** The call id under which memory events mint their ids, apart from the turn's own blocks. */
export function memoryCallId(callId: string): string {
  return `${callId}:memory`;
}

/**
 * The reducer of one model call in a chat turn. It stores:
 *
 * - the reply as an `assistant-message` (id `reducerId(callId, 0, now)`, the memory fence removed,
 *   a short placeholder when no text is left), with its tool calls and a `parent` edge to the
 *   turn's user message;
 * - each tool result `i` as a `tool-result` block carrying its `toolCallId`, with a
 *   `tool-invocation` edge from the assistant message;
 * - with `remember`, each fact of the reply's memory envelope (validated by the built-in
 *   json-events reducer under call id `<callId>:memory`; only `fact` events) with a `parent` edge
 *   to the user message that stated it and `supports`/`contradicts` edges to the known facts it
 *   agrees or disagrees with.
 *
 * Each block gets its own millisecond, in that order (`now`, `now + 1`, ...; ids
 * `reducerId(callId, k, now + k)`, facts under the memory call id): ids sort by time first, so
 * results follow their call and facts keep the envelope's order whatever the call id hashes to.
 * The caller must mint nothing in that span: the agent moves its clock past the newest block.
 *
 * Throws `invalid-input` (nothing is stored) when a tool call has no result or the envelope is
 * invalid; the agent then retries without memory rather than lose the turn.
 */
export function chatTurnReducer(turn: ChatTurn): Reducer {
  return (input) => {
    if (input.userMessageId === undefined)
      throw new Llm386Error(
        'invalid-input',
        "a chat turn reduction needs the turn's user message id",
      );
    const results = new Map(turn.toolResults.map((r) => [r.callId, r]));
    const seen = new Set<string>();
    for (const call of turn.toolCalls) {
      if (call.id === '' || seen.has(call.id))
        throw new Llm386Error(
          'invalid-input',
          `tool call ids must be unique and non-empty, got "${call.id}"`,
        );
      seen.add(call.id);
      if (!results.has(call.id))
        throw new Llm386Error(
          'invalid-input',
          `tool call ${call.id} (${call.name}) has no result: run every call before reducing`,
        );
    }
    const split = splitMemory(input.output);
    const remember = (turn.remember ?? true) && split.envelope !== undefined;
    const source = `call:${input.callId}`;
    const assistant = reducerId(input.callId, 0, input.now);
    const puts: PutInput[] = [
      {
        id: assistant,
        session: input.session,
        kind: 'assistant-message',
        body: split.visible === '' ? placeholderBody(turn.toolCalls, remember) : split.visible,
        createdAt: input.now,
        source,
        ...(turn.toolCalls.length === 0 ? {} : { toolCalls: turn.toolCalls }),
      },
    ];
    const edges: ReductionEdge[] = [{ from: assistant, kind: 'parent', to: input.userMessageId }];
    turn.toolCalls.forEach((call, i) => {
      const result = results.get(call.id) as ToolResult;
      const at = input.now + 1 + i;
      const id = reducerId(input.callId, 1 + i, at);
      puts.push({
        id,
        session: input.session,
        kind: 'tool-result',
        body: result.content === '' ? '(empty result)' : result.content,
        toolCallId: call.id,
        createdAt: at,
        source: `tool:${call.name}`,
      });
      edges.push({ from: assistant, kind: 'tool-invocation', to: id });
    });
    if (remember && split.envelope !== undefined) {
      const memoryId = memoryCallId(input.callId);
      const memory = jsonEvents({
        callId: memoryId,
        session: input.session,
        now: input.now,
        output: split.envelope,
      });
      const base = input.now + 1 + turn.toolCalls.length;
      const renamed = new Map<string, string>();
      const facts: FactRef[] = [];
      memory.puts.forEach((put, j) => {
        if (put.kind !== 'fact')
          throw new Llm386Error(
            'invalid-input',
            `the memory envelope may hold only facts, not "${put.kind}": nothing was stored`,
          );
        const id = reducerId(memoryId, j, base + j);
        renamed.set(put.id as string, id);
        facts.push({ id, body: String(put.body) });
        puts.push({ ...put, id, createdAt: base + j, source });
        edges.push({ from: id, kind: 'parent', to: input.userMessageId as string });
      });
      const rename = (id: string) => renamed.get(id) ?? id;
      edges.push(
        ...memory.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) })),
        ...relateFacts(facts, turn.knownFacts),
      );
    }
    return { puts, edges };
  };
}

/**
 * The reducer of a summarising call: the reply (trimmed) as one `summary` block with a
 * `derived-from` edge to each block it covers, so the pager can show it in their place.
 */
export function summaryReducer(covered: readonly string[]): Reducer {
  return (input) => {
    const body = input.output.trim();
    if (body === '')
      throw new Llm386Error(
        'empty-body',
        `the summary of call ${input.callId} is empty: nothing to store`,
      );
    if (covered.length === 0)
      throw new Llm386Error('invalid-input', 'a summary must cover at least one block');
    const id = reducerId(input.callId, 0, input.now);
    return {
      puts: [
        {
          id,
          session: input.session,
          kind: 'summary',
          body,
          createdAt: input.now,
          source: `call:${input.callId}`,
        },
      ],
      edges: covered.map((to) => ({ from: id, kind: 'derived-from' as const, to })),
    };
  };
}
