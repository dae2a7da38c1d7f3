import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Llm386Error, decodeUtf8, parseBlockKind, parseSession, type BlockKind } from '../base/index';
import type { PutInput, Store, ToolCall } from '../store/index';

/** One block to ingest, plus the tool-call pairing it takes part in. */
export interface IngestItem {
  readonly input: PutInput;
  /** Set on assistant messages: the call ids they made. */
  readonly callIds: readonly string[];
}

/** Options of {@link collectItems}. */
export interface CollectOptions {
  readonly session: string;
  /** Kind for plain files; default `document-chunk`. */
  readonly kind: BlockKind;
  /** Maximum characters per document chunk; default 2000. */
  readonly chunkChars: number;
}

/**
 * Reads files, folders (recursively, skipping dot-entries and node_modules, in sorted order) and
 * JSONL chat transcripts (`.jsonl`: OpenAI messages, one message per line or `{"messages": [...]}`
 * per line) into blocks to store.
 */
export async function collectItems(paths: readonly string[], options: CollectOptions): Promise<IngestItem[]> {
  parseSession(options.session);
  const items: IngestItem[] = [];
  for (const path of paths) {
    for (const file of await expand(path)) {
      const bytes = await readFile(file);
      if (extname(file).toLowerCase() === '.jsonl') items.push(...parseTranscript(bytes, file, options.session));
      else items.push(...chunkFile(bytes, file, options));
    }
  }
  return items;
}

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new Llm386Error('usage', `ingest: cannot read ${path}: check the path`);
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) return [];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    out.push(...(await expand(join(path, entry.name))));
  }
  return out;
}

function chunkFile(bytes: Buffer, file: string, options: CollectOptions): IngestItem[] {
  if (bytes.length === 0) return [];
  const text = decodeUtf8(bytes);
  if (text === undefined) return [{ input: { session: options.session, kind: options.kind, body: bytes, source: file }, callIds: [] }];
  const chunks = chunkText(text, options.chunkChars);
  return chunks.map((chunk, i) => ({
    input: {
      session: options.session,
      kind: options.kind,
      body: chunk,
      source: chunks.length === 1 ? file : `${file}#${i + 1}/${chunks.length}`,
    },
    callIds: [],
  }));
}

/** Splits text at paragraph, then line, then hard boundaries into chunks of at most `max` characters. */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') chunks.push(current);
    current = '';
  };
  for (const para of text.split(/(?<=\n\n)/)) {
    if (current.length + para.length <= max) {
      current += para;
      continue;
    }
    flush();
    if (para.length <= max) {
      current = para;
      continue;
    }
    for (let i = 0; i < para.length; i += max) {
      current = para.slice(i, i + max);
      flush();
    }
  }
  flush();
  return chunks;
}

interface OpenAiMessage {
  role?: unknown;
  content?: unknown;
  name?: unknown;
  tool_calls?: unknown;
  tool_call_id?: unknown;
}

const ROLE_KIND: Record<string, BlockKind> = {
  system: 'system',
  developer: 'system',
  user: 'user-message',
  assistant: 'assistant-message',
  tool: 'tool-result',
  function: 'tool-result',
};

/** Parses a JSONL transcript; a bad line is an error naming the file and line. */
export function parseTranscript(bytes: Buffer, file: string, session: string): IngestItem[] {
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new Llm386Error('invalid-input', `${file}: a .jsonl transcript must be UTF-8 text`);
  const items: IngestItem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Llm386Error('invalid-input', `${file}:${i + 1}: not valid JSON: fix the line or remove it`);
    }
    const messages = isObject(value) && Array.isArray(value.messages) ? (value.messages as unknown[]) : [value];
    for (const message of messages) {
      const item = messageItem(message, `${file}:${i + 1}`, session);
      if (item !== undefined) items.push(item);
    }
  }
  return items;
}

function messageItem(message: unknown, where: string, session: string): IngestItem | undefined {
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
  return {
    input: {
      session,
      kind: parseBlockKind(kind),
      body,
      source: where.slice(0, where.lastIndexOf(':')),
      toolCalls,
      toolCallId,
    },
    callIds: toolCalls.map((c) => c.id),
  };
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

/**
 * Writes items in batches, one transaction each, linking each tool result to the assistant message
 * that called it with a `tool-invocation` edge. `onCommit` runs after each batch is durable: only
 * then is a block acknowledged.
 */
export async function writeItems(
  store: Store,
  items: readonly IngestItem[],
  batchSize: number,
  onCommit: (committed: number) => void | Promise<void>,
): Promise<{ blocks: number; deduped: number }> {
  const callers = new Map<string, string>();
  let committed = 0;
  let deduped = 0;
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    store.transaction(() => {
      const results = store.putMany(batch.map((item) => item.input));
      results.forEach((result, i) => {
        const item = batch[i];
        if (item === undefined) return;
        if (result.deduped) deduped++;
        for (const callId of item.callIds) callers.set(callId, result.block.id);
        const caller = item.input.toolCallId === undefined ? undefined : callers.get(item.input.toolCallId);
        if (caller !== undefined) store.addEdge(caller, 'tool-invocation', result.block.id);
      });
    });
    committed += batch.length;
    await onCommit(committed);
  }
  return { blocks: committed, deduped };
}
