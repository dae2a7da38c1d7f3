// Trace records mapped onto the Turn view's wire types: the recorded prompt
// (with block spans when the plan re-renders to the recorded bytes) and the model's output.
import type {
  CandidateBlockView,
  ChatMessageView,
  ChatView,
  OmittedView,
  PromptView,
  TurnSummary,
} from '../contract';
import { previewOf, type BlockQuery } from './block-query';
import type { BlockKind, OmitReason } from '../contract/contract-atoms';
import { TURN_PREVIEW_LENGTH } from '../contract/contract-turns';
import type { OmittedColumns, ScoreColumnCell, TurnPrompt } from '../contract/contract-turns';
import {
  canonicalJson,
  decodeUtf8,
  encodeUtf8,
  packChat,
  packString,
  sha256Hex,
  storeSource,
  toAnthropicRequest,
  toOpenAiRequest,
  tracePrompt,
  SECTIONS,
  type PackedChat,
  type Section,
  type Store,
  type TraceRecord,
  type TraceSummary,
} from '../../runtime';
import { chatView, promptView } from './views';

/** A trace summary (from the session index) as lists show it; field by field, as ./views.ts turnSummary. */
export function summaryView(summary: TraceSummary): TurnSummary {
  return {
    callId: summary.callId,
    session: summary.session,
    createdAt: summary.createdAt,
    model: summary.model,
    inputBudget: summary.inputBudget,
    tokens: summary.tokens,
    overhead: summary.overhead,
    selected: summary.selected,
    omitted: summary.omitted,
    task: previewOf(summary.task),
    mode: summary.mode,
    promptHash: summary.promptHash,
    hasOutput: summary.hasOutput,
  };
}

/**
 * A preview line, creation time and priority for every candidate of a recorded plan that still exists (a
 * turn can have 10k candidates; {@link BlockQuery.blockPreview} caches them by id), lines cut to
 * {@link TURN_PREVIEW_LENGTH}: half the payload of a big turn is previews.
 */
export function turnPreviews(
  blocks: BlockQuery,
  candidates: readonly { readonly id: string }[],
): Record<string, CandidateBlockView> {
  const previews: Record<string, CandidateBlockView> = {};
  for (const { id } of candidates) {
    const found = blocks.blockPreview(id);
    if (found !== undefined)
      previews[id] = {
        preview: turnLine(found.preview),
        createdAt: found.createdAt,
        priority: found.priority,
      };
  }
  return previews;
}

function turnLine(preview: string): string {
  return preview.length > TURN_PREVIEW_LENGTH
    ? `${preview.slice(0, TURN_PREVIEW_LENGTH - 1)}…`
    : preview;
}

/** Selected blocks of a recording that are gone from the store. */
export function missingBlocks(store: Store, record: TraceRecord): string[] {
  return record.plan.selected.filter((s) => !store.hasBlock(s.id)).map((s) => s.id);
}

/**
 * The prompt of a recorded call. Spans are not recorded, so the plan is packed again (the packer is
 * deterministic and bodies are content-addressed); when that hashes to the recorded prompt hash the
 * re-rendering is the recording, spans included. Otherwise the recorded bytes are shown as they
 * are, without spans.
 */
export function recordedPrompt(store: Store, record: TraceRecord): TurnPrompt {
  const bytes = tracePrompt(store, record);
  const sent = bytes === undefined ? null : (decodeUtf8(bytes) ?? null);
  const provider = record.mode === 'openai' || record.mode === 'anthropic';
  const output =
    record.output === undefined
      ? null
      : {
          text: record.output.text,
          recordedAt: record.output.recordedAt,
          inputTokens: record.output.usage?.inputTokens ?? null,
          outputTokens: record.output.usage?.outputTokens ?? null,
        };
  const request = provider ? sent : null;

  let renderedString: PromptView | null = null;
  let renderedChat: ChatView | null = null;
  let exact = false;
  if (missingBlocks(store, record).length === 0) {
    const source = storeSource(store, record.plan);
    const options = {
      includeTimestamps: record.policy.includeTimestamps,
      stableSections: record.policy.stableSections.filter((s): s is Section =>
        (SECTIONS as readonly string[]).includes(s),
      ),
    };
    const packed = packString(record.plan, source, options);
    const chat = packChat(record.plan, source, options);
    renderedString = promptView(packed);
    renderedChat = chatView(chat);
    exact =
      record.mode === 'string'
        ? packed.promptHash === record.promptHash
        : chatHash(chat, record) === record.promptHash;
  }
  if (exact)
    return {
      mode: record.mode,
      prompt: renderedString,
      chat: renderedChat,
      exact,
      request,
      output,
    };

  // Not reproducible: only what was recorded, without spans.
  const text = sent ?? '';
  if (record.mode === 'chat') {
    return {
      mode: record.mode,
      prompt: null,
      chat: {
        messages: parseMessages(text),
        cacheBoundary: null,
        tokens: record.tokens,
        promptHash: record.promptHash,
        spans: [],
      },
      exact,
      request,
      output,
    };
  }
  return {
    mode: record.mode,
    prompt: { text, tokens: record.tokens, promptHash: record.promptHash, spans: [] },
    chat: null,
    exact,
    request,
    output,
  };
}

function chatHash(chat: PackedChat, record: TraceRecord): string {
  const body =
    record.mode === 'openai'
      ? toOpenAiRequest(chat, record.model)
      : record.mode === 'anthropic'
        ? toAnthropicRequest(chat, record.model)
        : chat.messages;
  return sha256Hex(encodeUtf8(canonicalJson(body)));
}

/** Chat messages from their recorded canonical JSON; anything unreadable becomes one message saying so. */
function parseMessages(text: string): ChatMessageView[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return parsed.map(
      (m: {
        role?: unknown;
        content?: unknown;
        toolCalls?: { id: string; name: string; arguments: string }[];
        toolCallId?: unknown;
      }) => ({
        role: m.role === 'system' || m.role === 'assistant' || m.role === 'tool' ? m.role : 'user',
        content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
        toolCalls: (m.toolCalls ?? []).map((c) => ({
          id: String(c.id),
          name: String(c.name),
          arguments: String(c.arguments),
        })),
        toolCallId: typeof m.toolCallId === 'string' ? m.toolCallId : null,
      }),
    );
  } catch {
    return [
      {
        role: 'user',
        content: text === '' ? '(the recorded prompt bytes are missing)' : text,
        toolCalls: [],
        toolCallId: null,
      },
    ];
  }
}

/** A plan's omitted views and their previews as column arrays (see {@link OmittedColumns}). */
export function omittedColumns(
  blocks: BlockQuery,
  omitted: readonly OmittedView[],
): OmittedColumns {
  const interner = <T extends string>() => {
    const names: T[] = [];
    const at = new Map<T, number>();
    return {
      names,
      index: (name: T) => {
        let i = at.get(name);
        if (i === undefined) {
          i = names.length;
          names.push(name);
          at.set(name, i);
        }
        return i;
      },
    };
  };
  const kinds = interner<BlockKind>();
  const sections = interner<Section>();
  const reasons = interner<OmitReason>();
  const retrievers: Record<string, (ScoreColumnCell | null)[]> = {};
  const n = omitted.length;
  const c = {
    id: [] as string[],
    kind: [] as number[],
    section: [] as number[],
    reason: [] as number[],
    score: [] as number[],
    tokensNeeded: [] as number[],
    tokensLeft: [] as number[],
    displacedBy: [] as (string | null)[],
    preview: [] as (string | null)[],
    createdAt: [] as (number | null)[],
    priority: [] as (number | null)[],
  };
  omitted.forEach((o, i) => {
    c.id.push(o.id);
    c.kind.push(kinds.index(o.kind));
    c.section.push(sections.index(o.section));
    c.reason.push(reasons.index(o.reason));
    c.score.push(o.score);
    c.tokensNeeded.push(o.tokensNeeded);
    c.tokensLeft.push(o.tokensLeft);
    c.displacedBy.push(o.displacedBy);
    for (const [name, v] of Object.entries(o.retrievers)) {
      const column = (retrievers[name] ??= new Array<ScoreColumnCell | null>(n).fill(null));
      column[i] = [v.raw, v.normalized, v.rank, v.contribution];
    }
    const found = blocks.blockPreview(o.id);
    c.preview.push(found === undefined ? null : turnLine(found.preview));
    c.createdAt.push(found === undefined ? null : found.createdAt);
    c.priority.push(found === undefined ? null : found.priority);
  });
  return {
    ...c,
    kindNames: kinds.names,
    sectionNames: sections.names,
    reasonNames: reasons.names,
    retrievers,
  };
}
