// JSONL chat transcripts for `ingest`: one message per line, or `{"messages": [...]}` per line, in
// the OpenAI Chat Completions shape, plus `created_at` (when it was said: ISO 8601, Unix seconds
// or ms) and `name` (the speaker). Parsed line by line so a transcript of any length streams.
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
export async function* transcriptItems(file: string, session: string, skipped: (s: SkippedMessage) => void): AsyncGenerator<IngestItem> {
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
    const messages = isObject(value) && Array.isArray(value.messages) ? (value.messages as unknown[]) : [value];
    for (const message of messages) {
      const item = messageItem(message, where, file, session);
      if (item === undefined) skipped({ where, why: 'no content' });
      else yield item;
    }
  }
}

function messageItem(message: unknown, where: string, file: string, session: string): IngestItem | undefined {
  if (!isObject(message)) throw new Llm386Error('invalid-input', `${where}: expected a message object with "role" and "content"`);
  const m = message as OpenAiMessage;
  const kind = typeof m.role === 'string' ? ROLE_KIND[m.role] : undefined;
  if (kind === undefined) {
    throw new Llm386Error('invalid-input', `${where}: unknown role ${JSON.stringify(m.role)}: use system, user, assistant or tool`);
  }
  const toolCalls = parseToolCalls(m.tool_calls, where);
  let body = contentText(m.content, where);
  // An assistant turn that only calls tools has no text; store the calls so the body is never empty.
  if (body === '' && toolCalls.length > 0) body = toolCalls.map((c) => `${c.name}(${c.arguments})`).join('\n');
  if (body === '') return undefined;
  const toolCallId = typeof m.tool_call_id === 'string' ? m.tool_call_id : undefined;
  const createdAt = m.created_at === undefined || m.created_at === null ? undefined : parseTimestamp(m.created_at);
  if (createdAt === undefined && m.created_at !== undefined && m.created_at !== null) {
    throw new Llm386Error('invalid-input', `${where}: "created_at" ${JSON.stringify(m.created_at)} is not a time: use ISO 8601 (2024-05-30T23:40:00Z) or Unix seconds or milliseconds`);
  }
  const name = parseName(m.name, where);
  return {
    input: {
      session,
      kind: parseBlockKind(kind),
      body,
      source: file,
      toolCalls,
      toolCallId,
      ...(createdAt === undefined ? {} : { createdAt }),
      ...(name === undefined ? {} : { name }),
    },
    callIds: toolCalls.map((c) => c.id),
  };
}

function parseName(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 128 || /[\u0000-\u001f\u007f-\u009f]/.test(value)) {
    throw new Llm386Error('invalid-input', `${where}: "name" must be a string of 1-128 characters without control characters`);
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
  if (!Array.isArray(value)) throw new Llm386Error('invalid-input', `${where}: "tool_calls" must be a list`);
  return value.map((call) => {
    const fn = isObject(call) && isObject(call.function) ? call.function : undefined;
    if (!isObject(call) || typeof call.id !== 'string' || fn === undefined || typeof fn.name !== 'string') {
      throw new Llm386Error('invalid-input', `${where}: each tool call needs "id" and "function.name"`);
    }
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    return { id: call.id, name: fn.name, arguments: args };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
