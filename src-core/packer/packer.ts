import { sha256Hex, type BlockId, type Section } from '../base/index';
import { lineTokensCounter, plannedRecords, type Plan, type SelectedBlock } from '../pager/index';
import { Catalog } from '../retrievers/index';
import {
  blockLine,
  ENDS_JOINABLE,
  STARTS_SLASH,
  type BlockRecord,
  type Store,
  type ToolCall,
} from '../store/index';
import { getTokenizer } from '../tokenizer/index';
import {
  blockLabel,
  chatFraming,
  chatName,
  chatPrefix,
  chatSuffix,
  CHAT_PRIMING,
  CHAT_MESSAGE_FRAMING,
  plainToolMessage,
  prefixedLineTokens,
  SegmentCounter,
  SegmentSum,
  sectionHeader,
  taskSegment,
  toolCallLines,
} from './format';

/** Packer switches. */
export interface PackOptions {
  /** Opt-in ISO-8601 creation time per block and a "Current time" line in Task. */
  readonly includeTimestamps?: boolean | undefined;
  /** Sections rendered first in chat mode, as the cacheable stable prefix; default system, background. */
  readonly stableSections?: readonly Section[] | undefined;
  /** The call's time for the "Current time" line (timestamps on); default: the plan's. */
  readonly now?: number | undefined;
}

/** A provider-neutral chat message. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  readonly toolCalls?: readonly ToolCall[] | undefined;
  readonly toolCallId?: string | undefined;
  /** The speaker of a user or assistant message (OpenAI's `name`). */
  readonly name?: string | undefined;
}

/** Which block a span of the rendered text comes from (for the inspector; never sent to a model). */
export interface Span {
  readonly id: BlockId;
  /** In string mode, offsets into the prompt; in chat mode, into `messages[message].content`. */
  readonly start: number;
  readonly end: number;
  readonly message?: number | undefined;
}

/** A string rendering. */
export interface PackedPrompt {
  readonly prompt: string;
  /** Exact tokens of `prompt` under the plan's tokenizer. */
  readonly tokens: number;
  /** SHA-256 of the prompt's UTF-8 bytes. */
  readonly promptHash: string;
  readonly spans: readonly Span[];
}

/** A chat rendering. */
export interface PackedChat {
  readonly messages: readonly ChatMessage[];
  /** Index of the last message of the stable prefix, or null when there is none. */
  readonly cacheBoundary: number | null;
  /** Exact tokens of the messages under the plan's tokenizer (OpenAI framing: 4 per message + 3). */
  readonly tokens: number;
  /** SHA-256 of the canonical JSON of `messages`. */
  readonly promptHash: string;
  readonly spans: readonly Span[];
}

/** Reads what the packer needs of the plan's blocks. */
export interface BlockSource {
  record(id: BlockId): BlockRecord | undefined;
  text(record: BlockRecord): string;
  lineTokens(record: BlockRecord): number;
}

/**
 * A BlockSource over a store, using (and filling) its token-count cache. Records come from the
 * pager when it made this plan object in this process (no second read), else from the store.
 */
export function storeSource(store: Store, plan: Plan): BlockSource {
  // The records the pager read, kept on the plan object it returned; for a plan from elsewhere
  // (a trace, a copy) the catalog: one lookup each in its 100k-entry maps, then a map of this
  // plan's size (the packer asks for each selected block several times).
  const planned = plannedRecords(plan);
  const catalog = Catalog.of(store);
  const seen = new Map<BlockId, BlockRecord | undefined>();
  return {
    record: (id) => {
      const known = planned?.get(id);
      if (known !== undefined) return known;
      if (seen.has(id)) return seen.get(id);
      const r = catalog.record(id);
      seen.set(id, r);
      return r;
    },
    text: (record) => store.promptText(record),
    lineTokens: lineTokensCounter(store, plan.model.tokenizer),
  };
}

const TEXT_ORDER: readonly Section[] = [
  'system',
  'task',
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
];

class Builder {
  text = '';
  readonly spans: Span[] = [];
  private readonly sum: SegmentSum;
  constructor(
    private readonly counter: SegmentCounter,
    private readonly source: BlockSource,
    private readonly message?: number,
  ) {
    this.sum = new SegmentSum(counter.tokenizer);
  }

  /** Exact tokens of everything appended (see `SegmentSum`). */
  get tokens(): number {
    return this.sum.end();
  }

  segment(text: string): void {
    this.text += text;
    this.sum.addText(text, this.counter.count(text));
  }

  /** A block: label (if any), line, tool-call lines; the span covers all three. */
  block(record: BlockRecord, label: string, withCalls: boolean): void {
    const start = this.text.length;
    this.segment(label);
    const line = blockLine(this.source.text(record));
    this.text += line;
    // The line's first and last characters as the record keeps them (as the pager's exact count
    // read them): reading them off `line`, a rope of body and newline, would copy it flat.
    const shape = record.shape;
    if (shape === undefined) this.sum.addText(line, this.source.lineTokens(record));
    else
      this.sum.add(
        this.source.lineTokens(record),
        (shape & STARTS_SLASH) !== 0,
        (shape & ENDS_JOINABLE) !== 0,
        line,
      );
    if (withCalls && record.toolCalls !== undefined) this.segment(toolCallLines(record));
    const end = this.text.length;
    // Literals rather than a conditional spread: one per block.
    this.spans.push(
      this.message === undefined
        ? { id: record.id, start, end }
        : { id: record.id, start, end, message: this.message },
    );
  }
}

function groups(plan: Plan, source: BlockSource) {
  const bySection = new Map<Section, BlockRecord[]>();
  const conversation: BlockRecord[] = [];
  const results = new Map<BlockId, BlockRecord[]>();
  for (const s of plan.selected) {
    const record = source.record(s.id);
    if (record === undefined)
      throw new Error(`invariant violated: planned block ${s.id} is missing from the store`);
    if (s.placement === 'conversation' && s.caller !== undefined && record.kind === 'tool-result') {
      const list = results.get(s.caller) ?? [];
      list.push(record);
      results.set(s.caller, list);
    } else if (s.placement === 'conversation') {
      conversation.push(record);
    } else {
      const list = bySection.get(s.section) ?? [];
      list.push(record);
      bySection.set(s.section, list);
    }
  }
  const byId = (a: BlockRecord, b: BlockRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const list of bySection.values()) list.sort(byId);
  conversation.sort(byId);
  for (const list of results.values()) list.sort(byId);
  return { bySection, conversation, results };
}

/**
 * Renders a plan as one prompt string with stable section headers. Same plan and options give
 * byte-identical output; the model never sees ids, hashes, scores or edges.
 */
export function packString(
  plan: Plan,
  source: BlockSource,
  options: PackOptions = {},
): PackedPrompt {
  const ts = options.includeTimestamps ?? false;
  const counter = new SegmentCounter(getTokenizer(plan.model.tokenizer));
  const { bySection, conversation, results } = groups(plan, source);
  const b = new Builder(counter, source);
  for (const section of TEXT_ORDER) {
    if (section === 'task') {
      b.segment(
        taskSegment(plan.task, ts ? new Date(options.now ?? plan.now).toISOString() : undefined),
      );
      continue;
    }
    const blocks = bySection.get(section) ?? [];
    const convo = section === 'recent' ? conversation : [];
    if (blocks.length === 0 && convo.length === 0) continue;
    b.segment(sectionHeader(section));
    for (const record of blocks) b.block(record, blockLabel(record, ts), true);
    for (const record of convo) {
      b.block(record, blockLabel(record, ts), true);
      for (const result of results.get(record.id) ?? [])
        b.block(result, blockLabel(result, ts), true);
    }
  }
  return withLazyHash({ prompt: b.text, tokens: b.tokens, spans: b.spans });
}

/**
 * Adds `promptHash` as an enumerable, memoised getter: the prompt is an immutable string, so
 * hashing it on first read gives the same value as hashing it now, and a caller that never reads
 * the hash (a what-if, a preview) skips a SHA-256 of ~0.5 MB for a 128k-token prompt. Spreads,
 * `JSON.stringify` and structured clones read it like a plain field.
 */
function withLazyHash(packed: Omit<PackedPrompt, 'promptHash'>): PackedPrompt {
  let hash: string | undefined;
  return Object.defineProperty(packed, 'promptHash', {
    enumerable: true,
    get: () => (hash ??= sha256Hex(packed.prompt)),
  }) as PackedPrompt;
}

/**
 * Renders a plan as a role-tagged message list: the stable sections first (one system message,
 * the cacheable prefix), then the other text sections as one user message, then the conversation
 * in order with each tool result right after the assistant message that called it, then the task.
 */
export function packChat(plan: Plan, source: BlockSource, options: PackOptions = {}): PackedChat {
  const ts = options.includeTimestamps ?? false;
  const stable = new Set(options.stableSections ?? ['system', 'background']);
  const counter = new SegmentCounter(getTokenizer(plan.model.tokenizer));
  const { bySection, conversation, results } = groups(plan, source);
  const messages: ChatMessage[] = [];
  const spans: Span[] = [];
  let tokens = CHAT_PRIMING;

  const textMessage = (role: ChatMessage['role'], sections: readonly Section[]) => {
    const b = new Builder(counter, source, messages.length);
    for (const section of sections) {
      const blocks = bySection.get(section) ?? [];
      if (blocks.length === 0) continue;
      b.segment(sectionHeader(section));
      for (const record of blocks) b.block(record, blockLabel(record, ts), true);
    }
    if (b.text === '') return false;
    messages.push({ role, content: b.text });
    spans.push(...b.spans);
    tokens += CHAT_MESSAGE_FRAMING + b.tokens;
    return true;
  };

  const systemRole = plan.model.supportsSystemRole ? 'system' : 'user';
  const stableSections = TEXT_ORDER.filter((s) => s !== 'task' && s !== 'recent' && stable.has(s));
  const hasStable = textMessage(systemRole, stableSections);
  const cacheBoundary = hasStable ? messages.length - 1 : null;
  textMessage(
    'user',
    TEXT_ORDER.filter((s) => s !== 'task' && !stableSections.includes(s)),
  );

  const supportsTools = plan.model.supportsTools;
  const conversationMessage = (record: BlockRecord) => {
    const plain = plainToolMessage(record, supportsTools);
    const prefix = chatPrefix(record, ts, supportsTools);
    const suffix = chatSuffix(record, supportsTools);
    const line = blockLine(source.text(record));
    const content = prefix + line + suffix;
    const role =
      record.kind === 'user-message'
        ? 'user'
        : record.kind === 'assistant-message'
          ? 'assistant'
          : plain
            ? 'user'
            : 'tool';
    spans.push({ id: record.id, start: 0, end: content.length, message: messages.length });
    messages.push({
      role,
      content,
      ...(record.toolCalls === undefined || plain ? {} : { toolCalls: record.toolCalls }),
      ...(record.kind === 'tool-result' && record.toolCallId !== undefined && !plain
        ? { toolCallId: record.toolCallId }
        : {}),
      ...(record.kind !== 'tool-result' && record.name !== undefined
        ? { name: chatName(record.name) }
        : {}),
    });
    tokens +=
      chatFraming(record, counter, supportsTools) +
      prefixedLineTokens(
        counter,
        prefix,
        line,
        source.lineTokens(record),
        suffix,
        line.charCodeAt(0) === 47,
      );
  };
  for (const record of conversation) {
    conversationMessage(record);
    for (const result of results.get(record.id) ?? []) conversationMessage(result);
  }
  const task = taskSegment(
    plan.task,
    ts ? new Date(options.now ?? plan.now).toISOString() : undefined,
  );
  messages.push({ role: 'user', content: task });
  tokens += CHAT_MESSAGE_FRAMING + counter.count(task);
  return { messages, cacheBoundary, tokens, promptHash: sha256Hex(canonicalJson(messages)), spans };
}

/** JSON with sorted object keys: the canonical bytes hashed for chat prompts. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The selected blocks of a plan by id, for callers that map spans back to blocks. */
export function selectedById(plan: Plan): Map<BlockId, SelectedBlock> {
  return new Map(plan.selected.map((s) => [s.id, s]));
}
