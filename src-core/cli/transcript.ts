// JSONL chat transcripts for `ingest`: one message per line, or `{"messages": [...]}` per line, in
// the OpenAI Chat Completions shape, the Anthropic Messages shape (`tool_use` / `tool_result`
// content blocks, a request's top-level `system`) or as OpenAI Responses API items (`message`,
// `function_call`, `function_call_output`; `{"input": [...]}` / `{"output": [...]}` per line),
// plus `created_at` (when it was said: ISO 8601, Unix seconds or ms) and `name` (the speaker).
// Parsed line by line so a transcript of any length streams.
import { Llm386Error, parseBlockKind, parseTimestamp, type BlockKind } from '../base/index';
import type { PutInput, ToolCall } from '../store/index';
import { readLines } from './ingest-walk';

/** One block to ingest, plus the tool-call pairing it takes part in. */
export interface IngestItem {
  readonly input: PutInput;
  /** Set on assistant messages: the call ids they made. */
  readonly callIds: readonly string[];
}

/** A message `ingest` leaves out, and where it was. */
export interface SkippedMessage {
  readonly where: string;
  readonly why: string;
}

interface OpenAiMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
  created_at?: unknown;
}

const ROLE_KIND: Record<string, BlockKind> = {
  system: 'system',
  developer: 'system',
  user: 'user-message',
  assistant: 'assistant-message',
  tool: 'tool-result',
  function: 'tool-result',
};

/**
 * The items of a JSONL transcript, line by line; a bad line is an `invalid-input` error naming the
 * file and line. Messages with no content and no tool calls are reported through `skipped`.
 */
export async function* transcriptItems(
  file: string,
  session: string,
  skipped: (s: SkippedMessage) => void,
): AsyncGenerator<IngestItem> {
  for await (const { text, number } of readLines(file)) {
    const line = text.trim();
    if (line === '') continue;
    const where = `${file}:${number}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Llm386Error('invalid-input', `${where}: not valid JSON: fix the line or remove it`);
    }
    for (const message of lineMessages(value)) {
      const items = messageItems(message, where, file, session, skipped);
      // Items that are not messages (a Responses `reasoning` item) were reported with their own reason.
      const item =
        isObject(message) && typeof message.type === 'string' && message.type !== 'message';
      if (items.length === 0 && !item) skipped({ where, why: 'no content' });
      yield* items;
    }
  }
}

/** The messages (or Responses items) one line holds. */
function lineMessages(value: unknown): unknown[] {
  if (!isObject(value)) return [value];
  if (Array.isArray(value.messages)) {
    // An Anthropic request carries its system prompt beside the messages.
    const system =
      value.system === undefined || value.system === null
        ? []
        : [{ role: 'system', content: value.system }];
    return [...system, ...(value.messages as unknown[])];
  }
  // A Responses API request (`input`) or response (`output`): a list of items.
  if (value.role === undefined && value.type === undefined) {
    if (Array.isArray(value.input)) return value.input as unknown[];
    if (Array.isArray(value.output)) return value.output as unknown[];
  }
  return [value];
}

/** The blocks of one message: most give one; an Anthropic message with tool results gives one per result. */
function messageItems(
  message: unknown,
  where: string,
  file: string,
  session: string,
  skipped: (s: SkippedMessage) => void,
): IngestItem[] {
  if (!isObject(message))
    throw new Llm386Error(
      'invalid-input',
      `${where}: expected a message object with "role" and "content"`,
    );
  if (typeof message.type === 'string' && message.type !== 'message')
    return responsesItem(message, where, file, session, skipped);
  const results = Array.isArray(message.content)
    ? message.content.filter((part) => isObject(part) && part.type === 'tool_result')
    : [];
  const items: IngestItem[] = [];
  const rest =
    results.length === 0
      ? message
      : {
          ...message,
          content: (message.content as unknown[]).filter((part) => !results.includes(part)),
        };
  const item = messageItem(rest, where, file, session);
  if (item !== undefined) items.push(item);
  for (const result of results as Record<string, unknown>[])
    items.push(anthropicResult(result, message, where, file, session));
  return items;
}

/** An Anthropic `tool_result` content block as a tool result answering its `tool_use_id`. */
function anthropicResult(
  result: Record<string, unknown>,
  message: Record<string, unknown>,
  where: string,
  file: string,
  session: string,
): IngestItem {
  if (typeof result.tool_use_id !== 'string' || result.tool_use_id === '') {
    throw new Llm386Error('invalid-input', `${where}: a "tool_result" block needs "tool_use_id"`);
  }
  let body = contentText(result.content, where);
  if (result.is_error === true) body = `[error] ${body}`;
  if (body === '') body = '(empty result)';
  return {
    input: {
      ...common(message, where, file, session),
      kind: 'tool-result',
      body,
      toolCallId: result.tool_use_id,
    },
    callIds: [],
  };
}

/** A Responses API item: `function_call`, `function_call_output`; reasoning and others are skipped. */
function responsesItem(
  item: Record<string, unknown>,
  where: string,
  file: string,
  session: string,
  skipped: (s: SkippedMessage) => void,
): IngestItem[] {
  if (item.type === 'function_call') {
    if (typeof item.call_id !== 'string' || item.call_id === '' || typeof item.name !== 'string') {
      throw new Llm386Error(
        'invalid-input',
        `${where}: a "function_call" item needs "call_id" and "name"`,
      );
    }
    const args =
      typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments ?? {});
    const call = { id: item.call_id, name: item.name, arguments: args };
    return [
      {
        input: {
          ...common(item, where, file, session),
          kind: 'assistant-message',
          body: `${call.name}(${call.arguments})`,
          toolCalls: [call],
        },
        callIds: [call.id],
      },
    ];
  }
  if (item.type === 'function_call_output') {
    if (typeof item.call_id !== 'string' || item.call_id === '')
      throw new Llm386Error(
        'invalid-input',
        `${where}: a "function_call_output" item needs "call_id"`,
      );
    const output = typeof item.output === 'string' ? item.output : contentText(item.output, where);
    return [
      {
        input: {
          ...common(item, where, file, session),
          kind: 'tool-result',
          body: output === '' ? '(empty result)' : output,
          toolCallId: item.call_id,
        },
        callIds: [],
      },
    ];
  }
  skipped({ where, why: `a "${String(item.type)}" item is not a message` });
  return [];
}

/** The fields every block of a message shares: session, source, time and speaker. */
function common(
  m: Record<string, unknown>,
  where: string,
  file: string,
  session: string,
): Pick<PutInput, 'session' | 'source' | 'createdAt' | 'name'> {
  const createdAt =
    m.created_at === undefined || m.created_at === null ? undefined : parseTimestamp(m.created_at);
  if (createdAt === undefined && m.created_at !== undefined && m.created_at !== null) {
    throw new Llm386Error(
      'invalid-input',
      `${where}: "created_at" ${JSON.stringify(m.created_at)} is not a time: use ISO 8601 (2024-05-30T23:40:00Z) or Unix seconds or milliseconds`,
    );
  }
  const name = parseName(m.name, where);
  return {
    session,
    source: file,
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(name === undefined ? {} : { name }),
  };
}

function messageItem(
  message: Record<string, unknown>,
  where: string,
  file: string,
  session: string,
): IngestItem | undefined {
  const m = message as OpenAiMessage;
  const kind = typeof m.role === 'string' ? ROLE_KIND[m.role] : undefined;
  if (kind === undefined) {
    throw new Llm386Error(
      'invalid-input',
      `${where}: unknown role ${JSON.stringify(m.role)}: use system, user, assistant or tool`,
    );
  }
  const toolCalls = [
    ...parseToolCalls(m.tool_calls, where),
    ...anthropicToolUses(m.content, where),
  ];
  let body = contentText(m.content, where);
  // An assistant turn that only calls tools has no text; store the calls so the body is never empty.
  if (body === '' && toolCalls.length > 0)
    body = toolCalls.map((c) => `${c.name}(${c.arguments})`).join('\n');
  if (body === '') return undefined;
  const toolCallId = typeof m.tool_call_id === 'string' ? m.tool_call_id : undefined;
  return {
    input: {
      ...common(message, where, file, session),
      kind: parseBlockKind(kind),
      body,
      toolCalls,
      toolCallId,
    },
    callIds: toolCalls.map((c) => c.id),
  };
}

/** An Anthropic assistant message's `tool_use` content blocks as tool calls. */
function anthropicToolUses(content: unknown, where: string): ToolCall[] {
  if (!Array.isArray(content)) return [];
  const calls: ToolCall[] = [];
  for (const part of content) {
    if (!isObject(part) || part.type !== 'tool_use') continue;
    if (typeof part.id !== 'string' || part.id === '' || typeof part.name !== 'string') {
      throw new Llm386Error('invalid-input', `${where}: a "tool_use" block needs "id" and "name"`);
    }
    calls.push({
      id: part.id,
      name: part.name,
      arguments: typeof part.input === 'string' ? part.input : JSON.stringify(part.input ?? {}),
    });
  }
  return calls;
}

function parseName(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 128 ||
    /[\u0000-\u001f\u007f-\u009f]/.test(value)
  ) {
    throw new Llm386Error(
      'invalid-input',
      `${where}: "name" must be a string of 1-128 characters without control characters`,
    );
  }
  return value;
}

function contentText(content: unknown, where: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
      .filter((t) => t !== '')
      .join('\n');
  }
  throw new Llm386Error('invalid-input', `${where}: "content" must be a string or a list of parts`);
}

function parseToolCalls(value: unknown, where: string): ToolCall[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new Llm386Error('invalid-input', `${where}: "tool_calls" must be a list`);
  return value.map((call) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (
      !isObject(call) ||
      typeof call.id !== 'string' ||
      fn === undefined ||
      typeof fn.name !== 'string'
    ) {
      throw new Llm386Error(
        'invalid-input',
        `${where}: each tool call needs "id" and "function.name"`,
      );
    }
    const args =
      typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    return { id: call.id, name: fn.name, arguments: args };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
