import type { BlockId, Section } from '../base/index';
import { CHAT_MESSAGE_FRAMING, CHAT_PRIMING, joinsSlash, sectionHeader, SegmentSum, type SegmentCounter } from '../packer/format';
import { blockLine, type BlockRecord, type Store } from '../store/index';
import type { Rendering } from './plan';

/**
 * The final stage of a plan made for a rendering: the exact token count of the prompt its
 * selection packs into, computed from cached counts in the order the packer renders (sections in
 * prompt order, blocks by id, each tool result after its call), without building the prompt.
 *
 * During the fill every block is charged the sum of its segments' counts. Those add exactly
 * except where o200k_base joins a segment starting with `/` to a preceding one that ends with
 * punctuation (`SegmentSum`): this stage finds such joins from each body's first and last
 * characters (cached per body) and counts them whole. A join can cost a token more than charged,
 * so the pager trims when the exact count is over budget (rare).
 */

/** The cost model the pager charges: one rendering, or `bound` (trace records made before renderings). */
export type CostMode = 'string' | 'chat' | 'bound';

/** The cost model of a rendering. */
export function costMode(rendering: Rendering | undefined): CostMode {
  return rendering === undefined ? 'bound' : rendering === 'string' ? 'string' : 'chat';
}

/** A selected block as the exact stage reads it. */
export interface PlacedBlock {
  readonly id: BlockId;
  readonly record: BlockRecord;
  readonly section: Section;
  readonly placement: 'conversation' | 'text';
  readonly caller: BlockId | undefined;
}

/** How the exact stage measures blocks (the pager's cached counts). */
export interface ExactInputs {
  readonly mode: 'string' | 'chat';
  readonly counter: SegmentCounter;
  /** Sections rendered in the chat system message (the stable prefix). */
  readonly stable: ReadonlySet<Section>;
  /** The task segment and its count. */
  readonly taskTokens: number;
  /** Tokens of a block rendered as text in its section: label, line, tool-call lines (segments summed). */
  textTokens(record: BlockRecord): number;
  /** Tokens of a block sent as a chat message (framing and content, segments summed). */
  messageTokens(record: BlockRecord): number;
  /** Its label (string rendering and text sections), '' when none; its chat content prefix. */
  textPrefix(record: BlockRecord): string;
  messagePrefix(record: BlockRecord): string;
  /** The full text of a block rendered as text (only read at a join). */
  textRender(record: BlockRecord): string;
  lineTokens(record: BlockRecord): number;
  store: Store;
}

/** What the rendering of a selection costs, exactly. */
export interface ExactCount {
  /** Tokens of the whole prompt. */
  readonly total: number;
  /** Framing not attributed to a block or section: the task, chat message framing and priming. */
  readonly overhead: number;
  /** Per rendered section: its header and any joins between its blocks. */
  readonly sectionOverhead: ReadonlyMap<Section, number>;
  /** Per block: what it adds to the prompt in its placement. */
  readonly blockTokens: ReadonlyMap<BlockId, number>;
}

const TEXT_ORDER: readonly Section[] = ['system', 'task', 'state', 'plan', 'retrieved', 'tools', 'recent', 'background'];
const STARTS_SLASH = 1;
const ENDS_JOINABLE = 2;

/** First and last character of each body's line, by store and hash: `STARTS_SLASH | ENDS_JOINABLE`. */
const shapes = new WeakMap<Store, Map<string, number>>();

/** Whether a block's line starts with `/` and whether it ends with punctuation (cached per body). */
export function lineShape(store: Store, record: BlockRecord): number {
  let perStore = shapes.get(store);
  if (perStore === undefined) {
    perStore = new Map();
    shapes.set(store, perStore);
  }
  let s = perStore.get(record.hash);
  if (s === undefined) {
    const line = blockLine(store.text(record));
    s = (line.charCodeAt(0) === 47 ? STARTS_SLASH : 0) | (endsWithPunctuation(line) ? ENDS_JOINABLE : 0);
    if (perStore.size > 1_000_000) perStore.clear();
    perStore.set(record.hash, s);
  }
  return s;
}

function endsWithPunctuation(line: string): boolean {
  const c = line.charCodeAt(line.length - 2);
  if (c < 128) return !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || (c >= 9 && c <= 13));
  const start = c >= 0xdc00 && c <= 0xdfff && line.length >= 3 ? line.length - 3 : line.length - 2;
  return !/^[\s\p{L}\p{N}]$/u.test(String.fromCodePoint(line.codePointAt(start) ?? c));
}

/**
 * Exact tokens of the prompt a selection renders into. `selected` is in plan order (by section,
 * then id), as `Plan.selected`.
 */
export function exactCount(selected: readonly PlacedBlock[], x: ExactInputs): ExactCount {
  const joins = joinsSlash(x.counter.tokenizer.id);
  const textBy = new Map<Section, PlacedBlock[]>();
  const conversation: PlacedBlock[] = [];
  const results = new Map<BlockId, PlacedBlock[]>();
  for (const b of selected) {
    if (b.placement === 'conversation' && b.caller !== undefined && b.record.kind === 'tool-result') {
      const list = results.get(b.caller);
      if (list === undefined) results.set(b.caller, [b]);
      else list.push(b);
    } else if (b.placement === 'conversation') {
      conversation.push(b);
    } else {
      const list = textBy.get(b.section);
      if (list === undefined) textBy.set(b.section, [b]);
      else list.push(b);
    }
  }
  const blockTokens = new Map<BlockId, number>();
  const sectionOverhead = new Map<Section, number>();
  const tokenizer = x.counter.tokenizer;

  // A block as one segment of its section's text: its exact own tokens (a label joined to a line
  // starting with `/` is counted whole), whether it starts with `/` and ends joinable.
  const textBlock = (sum: SegmentSum, b: PlacedBlock): number => {
    let own = x.textTokens(b.record);
    if (!joins) {
      sum.total += own;
      blockTokens.set(b.id, own);
      return own;
    }
    const shape = lineShape(x.store, b.record);
    const label = x.textPrefix(b.record);
    if (label !== '' && (shape & STARTS_SLASH) !== 0) own += tokenizer.count(label + blockLine(x.store.text(b.record))) - x.counter.count(label) - x.lineTokens(b.record);
    const endsJoinable = b.record.toolCalls !== undefined && b.record.toolCalls.length > 0 ? true : (shape & ENDS_JOINABLE) !== 0;
    sum.add(own, label === '' && (shape & STARTS_SLASH) !== 0, endsJoinable, () => x.textRender(b.record));
    blockTokens.set(b.id, own);
    return own;
  };
  // The sections of one text (the string prompt, or one chat message), each with its header.
  const textSections = (sum: SegmentSum, sections: readonly Section[], withConversation: boolean): void => {
    for (const section of sections) {
      const blocks = textBy.get(section) ?? [];
      const convo = withConversation && section === 'recent' ? conversation : [];
      if (blocks.length === 0 && convo.length === 0) continue;
      const before = sum.end();
      sum.total += x.counter.count(sectionHeader(section));
      let own = 0;
      for (const b of blocks) own += textBlock(sum, b);
      for (const m of convo) {
        own += textBlock(sum, m);
        for (const r of results.get(m.id) ?? []) own += textBlock(sum, r);
      }
      sectionOverhead.set(section, sum.end() - before - own);
    }
  };

  if (x.mode === 'string') {
    const sum = new SegmentSum(tokenizer);
    textSections(sum, TEXT_ORDER.slice(0, 1), true);
    sum.end();
    sum.total += x.taskTokens;
    textSections(sum, TEXT_ORDER.slice(2), true);
    return { total: sum.end(), overhead: x.taskTokens, sectionOverhead, blockTokens };
  }

  // Chat: the stable sections as one message, the other text sections as one, the conversation,
  // then the task message and the reply priming.
  let total = 0;
  let overhead = CHAT_PRIMING + CHAT_MESSAGE_FRAMING + x.taskTokens;
  const message = (sections: readonly Section[]) => {
    if (!sections.some((s) => (textBy.get(s)?.length ?? 0) > 0)) return;
    const sum = new SegmentSum(tokenizer);
    textSections(sum, sections, false);
    total += CHAT_MESSAGE_FRAMING + sum.end();
    overhead += CHAT_MESSAGE_FRAMING;
  };
  // As the packer: the stable sections (never Recent) in the system message, the rest in the context message.
  const stableSections = TEXT_ORDER.filter((s) => s !== 'task' && s !== 'recent' && x.stable.has(s));
  message(stableSections);
  message(TEXT_ORDER.filter((s) => s !== 'task' && !stableSections.includes(s)));
  const chatMessage = (b: PlacedBlock) => {
    let own = x.messageTokens(b.record);
    const prefix = joins ? x.messagePrefix(b.record) : '';
    if (prefix !== '' && (lineShape(x.store, b.record) & STARTS_SLASH) !== 0) {
      own += tokenizer.count(prefix + blockLine(x.store.text(b.record))) - x.counter.count(prefix) - x.lineTokens(b.record);
    }
    blockTokens.set(b.id, own);
    total += own;
  };
  for (const m of conversation) {
    chatMessage(m);
    for (const r of results.get(m.id) ?? []) chatMessage(r);
  }
  total += CHAT_PRIMING + CHAT_MESSAGE_FRAMING + x.taskTokens;
  return { total, overhead, sectionOverhead, blockTokens };
}
