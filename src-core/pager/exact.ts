import type { BlockId, Section } from '../base/index';
import {
  CHAT_MESSAGE_FRAMING,
  CHAT_PRIMING,
  joinsSlash,
  sectionHeader,
  SegmentSum,
  type SegmentCounter,
} from '../packer/format';
import {
  blockLine,
  ENDS_JOINABLE,
  lineShapeOf,
  STARTS_SLASH,
  type BlockRecord,
  type Store,
  type StoreSlot,
} from '../store/index';
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

/** A selected block as the exact stage reads it (the pager's selection entries, as they are). */
export interface PlacedBlock {
  readonly choice: { readonly id: BlockId; readonly record: BlockRecord };
  readonly section: Section;
  /** What the fill charged for it. */
  readonly tokens: number;
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
  /** True when a block rendered as text starts with a label (`[user]`, a time): its line never starts a segment. */
  labelled(record: BlockRecord): boolean;
  /** Its label (string rendering and text sections); its chat content prefix (read only at a join). */
  textPrefix(record: BlockRecord): string;
  messagePrefix(record: BlockRecord): string;
  /** The full text of a block rendered as text (read only at a join). */
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
  /** Per block whose exact tokens differ from what the fill charged (`PlacedBlock.tokens`): what it adds to the prompt. */
  readonly blockTokens: ReadonlyMap<BlockId, number>;
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

/** First and last character of each body's line, by hash, kept on the open store: `STARTS_SLASH | ENDS_JOINABLE`. */
const SHAPES: StoreSlot<Map<string, number>> = { name: 'line-shapes', create: () => new Map() };

/**
 * Whether a block's line starts with `/` and whether it ends with punctuation: from its record
 * (computed when it was written), else, for blocks written before records kept it, from its body
 * (cached per body), read with the check the packer would make next (`Store.promptText`); a body
 * that fails its check has no shape here, and the packer's own read reports it.
 */
export function lineShape(store: Store, record: BlockRecord): number {
  if (record.shape !== undefined) return record.shape;
  const perStore = store.slot(SHAPES);
  let s = perStore.get(record.hash);
  if (s === undefined) {
    let text: string;
    try {
      text = store.promptText(record);
    } catch {
      return 0;
    }
    s = lineShapeOf(text);
    if (perStore.size > 1_000_000) perStore.clear();
    perStore.set(record.hash, s);
  }
  return s;
}

const byId = (a: PlacedBlock, b: PlacedBlock) =>
  a.choice.id < b.choice.id ? -1 : a.choice.id > b.choice.id ? 1 : 0;

/**
 * Exact tokens of the prompt a selection renders into, in any order: counts add within a section
 * unless an unlabelled block's line starts with `/` (o200k_base), and only such a section is put
 * in rendering order (by id) to count its joins.
 */
export function exactCount(selected: Iterable<PlacedBlock>, x: ExactInputs): ExactCount {
  const joins = joinsSlash(x.counter.tokenizer.id);
  const tokenizer = x.counter.tokenizer;
  const textBy = new Map<Section, PlacedBlock[]>();
  const conversation: PlacedBlock[] = [];
  const results = new Map<BlockId, PlacedBlock[]>();
  for (const b of selected) {
    if (
      b.placement === 'conversation' &&
      b.caller !== undefined &&
      b.choice.record.kind === 'tool-result'
    ) {
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

  // A block's own exact tokens as text: a label joined to a line starting with `/` counts whole.
  const ownText = (b: PlacedBlock, shape: number): number => {
    // In `string` a block is charged its text cost wherever it is placed (a message's chat cost is
    // its text cost there): what the fill charged is the same number, without a lookup.
    let own = x.mode === 'string' ? b.tokens : x.textTokens(b.choice.record);
    if ((shape & STARTS_SLASH) !== 0 && x.labelled(b.choice.record)) {
      const label = x.textPrefix(b.choice.record);
      own +=
        tokenizer.count(label + blockLine(x.store.text(b.choice.record))) -
        x.counter.count(label) -
        x.lineTokens(b.choice.record);
    }
    if (own !== b.tokens) blockTokens.set(b.choice.id, own);
    return own;
  };
  // One section of a text (the string prompt or a chat message): its header, its blocks and, in
  // string mode, Recent's conversation (all labelled: no joins between its blocks).
  const section = (name: Section, withConversation: boolean): number => {
    const blocks = textBy.get(name) ?? [];
    const convo = withConversation && name === 'recent' ? conversation : [];
    if (blocks.length === 0 && convo.length === 0) return 0;
    const header = x.counter.count(sectionHeader(name));
    let own = 0;
    let joinable = false;
    for (const b of blocks) {
      const shape = joins ? lineShape(x.store, b.choice.record) : 0;
      own += ownText(b, shape);
      if ((shape & STARTS_SLASH) !== 0 && !x.labelled(b.choice.record)) joinable = true;
    }
    for (const m of convo) {
      own += ownText(m, joins ? lineShape(x.store, m.choice.record) : 0);
      for (const r of results.get(m.choice.id) ?? [])
        own += ownText(r, joins ? lineShape(x.store, r.choice.record) : 0);
    }
    let total = header + own;
    if (joinable) {
      // A line starting with `/` after a block ending in punctuation: count the section in order.
      const sum = new SegmentSum(tokenizer);
      sum.total += header;
      for (const b of [...blocks].sort(byId)) {
        const shape = lineShape(x.store, b.choice.record);
        const labelled = x.labelled(b.choice.record);
        const endsJoinable =
          b.choice.record.toolCalls !== undefined && b.choice.record.toolCalls.length > 0
            ? true
            : (shape & ENDS_JOINABLE) !== 0;
        sum.add(
          blockTokens.get(b.choice.id) ?? b.tokens,
          !labelled && (shape & STARTS_SLASH) !== 0,
          endsJoinable,
          () => x.textRender(b.choice.record),
        );
      }
      total = sum.end();
    }
    sectionOverhead.set(name, total - own);
    return total;
  };

  if (x.mode === 'string') {
    let total = x.taskTokens;
    for (const name of TEXT_ORDER) if (name !== 'task') total += section(name, true);
    return { total, overhead: x.taskTokens, sectionOverhead, blockTokens };
  }

  // Chat: the stable sections as one message, the other text sections as one, the conversation,
  // then the task message and the reply priming.
  let total = 0;
  let overhead = CHAT_PRIMING + CHAT_MESSAGE_FRAMING + x.taskTokens;
  const message = (sections: readonly Section[]) => {
    if (!sections.some((s) => (textBy.get(s)?.length ?? 0) > 0)) return;
    for (const name of sections) total += section(name, false);
    total += CHAT_MESSAGE_FRAMING;
    overhead += CHAT_MESSAGE_FRAMING;
  };
  // As the packer: the stable sections (never Recent) in the system message, the rest in the context message.
  const stableSections = TEXT_ORDER.filter(
    (s) => s !== 'task' && s !== 'recent' && x.stable.has(s),
  );
  message(stableSections);
  message(TEXT_ORDER.filter((s) => s !== 'task' && !stableSections.includes(s)));
  const chatMessage = (b: PlacedBlock) => {
    let own = x.messageTokens(b.choice.record);
    if (joins && (lineShape(x.store, b.choice.record) & STARTS_SLASH) !== 0) {
      const prefix = x.messagePrefix(b.choice.record);
      if (prefix !== '')
        own +=
          tokenizer.count(prefix + blockLine(x.store.text(b.choice.record))) -
          x.counter.count(prefix) -
          x.lineTokens(b.choice.record);
    }
    if (own !== b.tokens) blockTokens.set(b.choice.id, own);
    total += own;
  };
  for (const m of conversation) {
    chatMessage(m);
    for (const r of results.get(m.choice.id) ?? []) chatMessage(r);
  }
  total += CHAT_PRIMING + CHAT_MESSAGE_FRAMING + x.taskTokens;
  return { total, overhead, sectionOverhead, blockTokens };
}
