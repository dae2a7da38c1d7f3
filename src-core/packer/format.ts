import { SECTION_TITLES, type Section } from '../base/index';
import { blockLine, type BlockRecord } from '../store/index';
import type { Tokenizer, TokenizerId } from '../tokenizer/index';

/**
 * The rendering format shared by the pager (which charges it) and the packer (which renders it).
 *
 * A prompt is a sequence of segments, each starting with a non-space character and ending with a
 * newline: section headers (`## Retrieved\n`), block labels (`[user]\n`), block lines (the body
 * trimmed, plus a newline), tool-call lines and the task. The cl100k_base and o200k_base
 * pre-tokenisers never join a newline with a following non-space character, with one exception:
 * o200k_base runs a punctuation piece on over a newline into following slashes (`]\n/help`).
 * So a prompt's token count is the sum of its segments' counts, except across such a join, where
 * `SegmentSum` counts the chain whole: the pager charges from cached per-block counts and counts
 * the final selection exactly (pager/exact.ts), and the packer reports an exact count without
 * re-tokenising the prompt.
 */

// Section titles as rendered in headers: the vocabulary's (../base/vocabulary.ts).
export { SECTION_TITLES } from '../base/index';

/** Chat framing, per the OpenAI token-counting recipe: every message costs 3 tokens plus its role. */
export const CHAT_MESSAGE_FRAMING = 4;
/** Tokens that prime the reply after the last message. */
export const CHAT_PRIMING = 3;
/** Framing per tool call on an assistant message (besides its name and arguments). */
export const CHAT_TOOL_CALL_FRAMING = 3;
/** Framing of a tool result message's call id. */
export const CHAT_TOOL_RESULT_FRAMING = 2;
/**
 * Messages a chat rendering can add beyond the conversation: the system message, the context
 * message and the task message. Charged once by the pager.
 */
export const CHAT_FIXED_OVERHEAD = 3 * CHAT_MESSAGE_FRAMING + CHAT_PRIMING;

/** The header segment of a section. */
export function sectionHeader(section: Section): string {
  return `## ${SECTION_TITLES[section]}\n`;
}

/** The task segment: header, optional current-time line, and the task line (if any). */
export function taskSegment(task: string, nowIso: string | undefined): string {
  const time = nowIso === undefined ? '' : `Current time: ${nowIso}\n`;
  return `## Task\n${time}${task.trim() === '' ? '' : blockLine(task)}`;
}

const ROLE_LABEL: Partial<Record<BlockRecord['kind'], string>> = {
  'user-message': 'user',
  'assistant-message': 'assistant',
  'tool-result': 'tool result',
};

/** Framing of a chat message's `name` (the speaker) besides its tokens, per the OpenAI recipe. */
export const CHAT_NAME_FRAMING = 1;

/**
 * A speaker name as chat messages carry it: OpenAI accepts only `[A-Za-z0-9_-]{1,64}`, so other
 * characters become `_` (the string rendering's label keeps the name as written).
 */
export function chatName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}

/**
 * The label segment before a block's line, or '' when it has none. Messages and tool results are
 * labelled with their role, and a message with a speaker name with both (`[user Alice]`); with
 * timestamps on, every block carries its creation time.
 */
export function blockLabel(record: BlockRecord, includeTimestamps: boolean): string {
  const roleName = ROLE_LABEL[record.kind];
  const role =
    roleName !== undefined && record.name !== undefined && record.kind !== 'tool-result'
      ? `${roleName} ${record.name}`
      : roleName;
  const time = includeTimestamps ? new Date(record.createdAt).toISOString() : undefined;
  if (role === undefined) return time === undefined ? '' : `[${time}]\n`;
  return time === undefined ? `[${role}]\n` : `[${role} ${time}]\n`;
}

/** Tool calls of an assistant message as text segments (string rendering and text sections). */
export function toolCallLines(record: BlockRecord): string {
  let out = '';
  for (const call of record.toolCalls ?? [])
    out += `[tool call] ${call.name}(${call.arguments.trim()})\n`;
  return out;
}

/** Counts short, repeating segments (headers, labels) once per tokenizer and string. */
export class SegmentCounter {
  private readonly cache = new Map<string, number>();
  constructor(readonly tokenizer: Tokenizer) {}

  count(segment: string): number {
    if (segment === '') return 0;
    let n = this.cache.get(segment);
    if (n === undefined) {
      n = this.tokenizer.count(segment);
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(segment, n);
    }
    return n;
  }
}

/** The label of a tool result sent as a plain message to a model without tools. */
export const PLAIN_TOOL_RESULT_LABEL = '[tool result]\n';

/**
 * True when a conversation message must be sent as plain text: the model has no tools
 * (`supports_tools = false`) and the message is a tool call or a tool result. Its calls are then
 * written as `[tool call] name(args)` lines after its text, and a result is a user message
 * starting `[tool result]`.
 */
export function plainToolMessage(record: BlockRecord, supportsTools: boolean): boolean {
  return !supportsTools && (record.toolCalls !== undefined || record.kind === 'tool-result');
}

/** Extra chat tokens of a conversation message beyond its line: framing, tool calls, call id. */
export function chatMessageExtra(
  record: BlockRecord,
  counter: SegmentCounter,
  supportsTools = true,
): number {
  if (plainToolMessage(record, supportsTools)) {
    return (
      CHAT_MESSAGE_FRAMING +
      (record.kind === 'tool-result'
        ? counter.count(PLAIN_TOOL_RESULT_LABEL)
        : counter.count(toolCallLines(record)) + nameExtra(record, counter))
    );
  }
  let extra = CHAT_MESSAGE_FRAMING;
  for (const call of record.toolCalls ?? []) {
    extra += CHAT_TOOL_CALL_FRAMING + counter.count(call.name) + counter.count(call.arguments);
  }
  if (record.kind === 'tool-result')
    extra += CHAT_TOOL_RESULT_FRAMING + counter.count(record.toolCallId ?? '');
  else extra += nameExtra(record, counter);
  return extra;
}

function nameExtra(record: BlockRecord, counter: SegmentCounter): number {
  return record.name === undefined ? 0 : CHAT_NAME_FRAMING + counter.count(chatName(record.name));
}

/**
 * True when the tokenizer's pre-tokeniser can join two segments: o200k_base's punctuation piece
 * (`?[^\s\p{L}\p{N}]+[\r\n/]*`) runs on over a newline into following slashes, so `[user]\n`
 * followed by `/help\n` is one piece more or less than the two counted apart. cl100k_base never
 * joins a newline with a following non-space character.
 */
export function joinsSlash(tokenizer: TokenizerId): boolean {
  return tokenizer === 'o200k_base';
}

import { endsJoinable } from '../store/index';

export { endsJoinable };

/**
 * Sums the token counts of consecutive segments exactly. Counts add across a segment boundary
 * except where {@link joinsSlash}: there a segment starting with `/` after one that
 * {@link endsJoinable} forms a chain, and a chain is counted as one text (rare: a body starting
 * with a slash). Feed segments in rendering order; `end()` closes the last chain.
 */
export class SegmentSum {
  total = 0;
  private readonly joins: boolean;
  private prevJoinable = false;
  private prevText: string | (() => string) = '';
  private prevCount = 0;
  private chain: string[] | undefined;
  private chainCount = 0;

  constructor(private readonly tokenizer: Tokenizer) {
    this.joins = joinsSlash(tokenizer.id);
  }

  /**
   * Adds a segment of `count` tokens. `startsSlash` and `joinable` describe its first character and
   * its end ({@link endsJoinable}); `text` is read only when a chain needs it.
   */
  add(count: number, startsSlash: boolean, joinable: boolean, text: string | (() => string)): void {
    this.total += count;
    if (!this.joins) return;
    if (this.prevJoinable && startsSlash) {
      if (this.chain === undefined) {
        this.chain = [typeof this.prevText === 'string' ? this.prevText : this.prevText()];
        this.chainCount = this.prevCount;
      }
      this.chain.push(typeof text === 'string' ? text : text());
      this.chainCount += count;
    } else {
      this.close();
    }
    this.prevJoinable = joinable;
    this.prevText = text;
    this.prevCount = count;
  }

  /** Adds a segment given as text (counted by `counter`). */
  addText(segment: string, count: number): void {
    if (segment === '') return;
    this.add(count, segment.charCodeAt(0) === 47, this.joins && endsJoinable(segment), segment);
  }

  /** Closes any open chain; the next segment starts a new sequence (a new message). */
  end(): number {
    this.close();
    this.prevJoinable = false;
    this.prevText = '';
    this.prevCount = 0;
    return this.total;
  }

  private close(): void {
    if (this.chain === undefined) return;
    this.total += this.tokenizer.count(this.chain.join('')) - this.chainCount;
    this.chain = undefined;
  }
}

/** A conversation message's content before its line: its time (timestamps on) and, sent as plain text, the tool-result label. */
export function chatPrefix(
  record: BlockRecord,
  includeTimestamps: boolean,
  supportsTools: boolean,
): string {
  const time = includeTimestamps ? `[${new Date(record.createdAt).toISOString()}]\n` : '';
  return plainToolMessage(record, supportsTools) && record.kind === 'tool-result'
    ? time + PLAIN_TOOL_RESULT_LABEL
    : time;
}

/** A conversation message's content after its line: its tool calls as text when sent as plain text. */
export function chatSuffix(record: BlockRecord, supportsTools: boolean): string {
  return plainToolMessage(record, supportsTools) ? toolCallLines(record) : '';
}

/**
 * Chat tokens of a conversation message besides its content (`chatPrefix` + line + `chatSuffix`):
 * the message framing, its tool calls' names and arguments, a result's call id, the speaker name.
 */
export function chatFraming(
  record: BlockRecord,
  counter: SegmentCounter,
  supportsTools: boolean,
): number {
  if (plainToolMessage(record, supportsTools))
    return CHAT_MESSAGE_FRAMING + (record.kind === 'tool-result' ? 0 : nameExtra(record, counter));
  return chatMessageExtra(record, counter, supportsTools);
}

/**
 * Exact tokens of `prefix + line + suffix` given the line's count: the three counts add, except
 * where the prefix (which ends `]\n`) joins a line starting with `/` ({@link joinsSlash}). The
 * suffix (tool-call lines) starts with `[` and never joins.
 */
export function prefixedLineTokens(
  counter: SegmentCounter,
  prefix: string,
  line: string | (() => string),
  lineTokens: number,
  suffix: string,
  lineStartsSlash: boolean,
): number {
  const base = counter.count(prefix) + lineTokens + counter.count(suffix);
  if (prefix === '' || !lineStartsSlash || !joinsSlash(counter.tokenizer.id)) return base;
  const text = typeof line === 'string' ? line : line();
  return base + counter.tokenizer.count(prefix + text) - counter.count(prefix) - lineTokens;
}
