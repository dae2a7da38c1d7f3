// LLM386 as Vercel AI SDK language-model middleware: the store is the agent's memory. Only types
// come from `ai` (an optional peer dependency), so loading this module never loads the SDK.
import type { LanguageModelMiddleware } from 'ai';
import { Llm386Error, canonicalJson, isLlm386Error, sha256Hex } from '../index';
import type {
  BlockId,
  ChatMessage,
  ModelProfile,
  PutInput,
  PutResult,
  Runtime,
  ToolCall,
  Usage,
} from '../index';

type TransformArgs = Parameters<NonNullable<LanguageModelMiddleware['transformParams']>>[0];
/** The call options a middleware sees (the SDK's `LanguageModelV4CallOptions`). */
type CallOptions = TransformArgs['params'];
/** The prompt of a call (the SDK's `LanguageModelV4Prompt`). */
export type AiSdkPrompt = CallOptions['prompt'];
type PromptMessage = AiSdkPrompt[number];
type GenerateResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapGenerate']>>>;
type StreamResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapStream']>>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never;
type Content = GenerateResult['content'][number];
type SdkUsage = GenerateResult['usage'];
type ToolResultOutput = Extract<
  Extract<PromptMessage, { role: 'tool' }>['content'][number],
  { type: 'tool-result' }
>['output'];

/** Options of {@link llm386}. */
export interface Llm386MiddlewareOptions {
  /** The session the conversation is written to and paged from. */
  readonly session: string;
  /**
   * What the pager ranks blocks against: a string, or a function of the caller's prompt. Default:
   * the text of the latest user message. A call may override it with
   * `providerOptions: { llm386: { task } }`.
   */
  readonly task?: string | ((prompt: AiSdkPrompt) => string) | undefined;
  /**
   * The model profile (a name known to the runtime's config, or a profile) whose context size and
   * tokenizer set the budget. Default: the profile named like the wrapped model's id; an unknown id
   * is an `unknown-model` error naming this option.
   */
  readonly model?: string | ModelProfile | undefined;
  /** Overrides the profile's input budget (tokens). */
  readonly budget?: number | undefined;
  /**
   * Seeds the idempotency keys of the caller's messages (default: the session). Messages are
   * recognised by the conversation up to them, so a caller that sends only its new message each
   * turn and opens two turns with the same words should give each conversation its own id (or a
   * call `providerOptions: { llm386: { conversation } }`).
   */
  readonly conversation?: string | undefined;
}

/** What the middleware keeps between packing a call and recording its output. */
interface PendingCall {
  readonly callId: BlockId;
  /** The chain key of the caller's last message: the recorded reply's key continues from it. */
  readonly lastKey: string;
}

/** One message (or one tool result) of the conversation, in the form its key is derived from. */
interface Item {
  readonly canonical: {
    readonly role: string;
    readonly text: string;
    readonly calls?: readonly string[];
    readonly id?: string;
  };
  readonly put: Omit<PutInput, 'session' | 'idempotencyKey'>;
}

const KEY_PREFIX = 'ai-sdk:';

/**
 * Vercel AI SDK middleware that makes an LLM386 store the agent's memory:
 * `wrapLanguageModel({ model, middleware: llm386(runtime, { session }) })`.
 *
 * On every model call (each step of `generateText` or `streamText`, tool loops included) it
 * writes the caller's new messages to the session (user messages, assistant messages, each tool
 * result paired with its call by a `tool-invocation` edge; system messages as `system` blocks),
 * pages and packs the session within the model's budget as a traced chat call, and sends the model
 * that packed prompt instead of the caller's message list. The reply (text and tool calls) is
 * stored as an `assistant-message`, and the output and usage are recorded on the trace; the
 * result's `providerMetadata.llm386.callId` names the trace.
 *
 * Messages the caller sends again (every step and, with a full history, every turn) are written
 * once: each gets an idempotency key from a hash chain over the conversation up to it (role,
 * text and tool-call ids; provider fields ignored), and the stored reply gets the key its resent
 * copy will have.
 */
export function llm386(
  runtime: Runtime,
  options: Llm386MiddlewareOptions,
): LanguageModelMiddleware {
  const pending = new WeakMap<CallOptions, PendingCall>();
  return {
    specificationVersion: 'v4',
    transformParams: async ({ params, model }) => {
      const perCall = callOptions(params);
      const profile = resolveProfile(
        runtime,
        options.model ?? model.modelId,
        options.model === undefined,
      );
      const seed = sha256Hex(
        `llm386-ai-sdk\n${options.session}\n${perCall.conversation ?? options.conversation ?? ''}`,
      );
      const lastKey = writeConversation(runtime, options.session, seed, params.prompt);
      const task =
        perCall.task ??
        (typeof options.task === 'function' ? options.task(params.prompt) : options.task) ??
        latestUserText(params.prompt);
      const packed = await runtime.pack(
        { session: options.session, task, model: profile, budget: options.budget },
        { mode: 'chat' },
      );
      if (packed.chat === undefined || packed.callId === undefined)
        throw new Error('invariant violated: a traced chat pack returns messages and a call id');
      const transformed: CallOptions = { ...params, prompt: toPrompt(packed.chat.messages) };
      pending.set(transformed, { callId: packed.callId, lastKey });
      return transformed;
    },
    wrapGenerate: async ({ doGenerate, params }) => {
      const call = pending.get(params);
      const result = await doGenerate();
      if (call === undefined) return result;
      await recordReply(runtime, options.session, call, result.content, result.usage);
      return {
        ...result,
        providerMetadata: { ...result.providerMetadata, llm386: { callId: call.callId } },
      };
    },
    wrapStream: async ({ doStream, params }) => {
      const call = pending.get(params);
      const result = await doStream();
      if (call === undefined) return result;
      // The reply in stream order: text parts by id (their deltas joined), tool calls as they come.
      const order: (string | Content)[] = [];
      const texts = new Map<string, string>();
      let usage: SdkUsage | undefined;
      const recording = new TransformStream<StreamPart, StreamPart>({
        transform(part, controller) {
          if (part.type === 'text-delta') {
            if (!texts.has(part.id)) order.push(part.id);
            texts.set(part.id, (texts.get(part.id) ?? '') + part.delta);
          } else if (part.type === 'tool-call') {
            order.push(part);
          } else if (part.type === 'finish') {
            usage = part.usage;
            controller.enqueue({
              ...part,
              providerMetadata: { ...part.providerMetadata, llm386: { callId: call.callId } },
            });
            return;
          }
          controller.enqueue(part);
        },
        async flush() {
          const content = order.map((c): Content =>
            typeof c === 'string' ? { type: 'text', text: texts.get(c) ?? '' } : c,
          );
          await recordReply(runtime, options.session, call, content, usage);
        },
      });
      return { ...result, stream: result.stream.pipeThrough(recording) };
    },
  };
}

/** `providerOptions.llm386` of one call: a task and a conversation id, when strings. */
function callOptions(params: CallOptions): { task?: string; conversation?: string } {
  const own = params.providerOptions?.['llm386'];
  const out: { task?: string; conversation?: string } = {};
  if (typeof own?.['task'] === 'string' && own['task'].trim() !== '') out.task = own['task'];
  if (typeof own?.['conversation'] === 'string') out.conversation = own['conversation'];
  return out;
}

function resolveProfile(
  runtime: Runtime,
  model: string | ModelProfile,
  fromModelId: boolean,
): ModelProfile {
  try {
    return runtime.model(model);
  } catch (error) {
    if (fromModelId && isLlm386Error(error) && error.code === 'unknown-model') {
      throw new Llm386Error(
        'unknown-model',
        `the wrapped model's id "${String(model)}" is not a model profile LLM386 knows: pass llm386(runtime, { session, model: 'gpt-4o' }) with a known profile (\`llm386 list-models\`), or add a [[profile]] to the runtime's config`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Writes the caller's messages to the session, each under the idempotency key of the
 * conversation up to it (so a resent message answers the first write), and pairs each tool
 * result with the assistant message that made its call; one transaction. Returns the last key.
 */
function writeConversation(
  runtime: Runtime,
  session: string,
  seed: string,
  prompt: AiSdkPrompt,
): string {
  const puts: PutInput[] = [];
  const callers = new Map<string, number>();
  const pairs: { caller: number; result: number }[] = [];
  let key = seed;
  for (const message of prompt) {
    for (const item of itemsOf(message)) {
      // System prompts are knowledge blocks, deduplicated by their text: outside the chain, so a
      // changed system prompt does not make the whole conversation look new.
      let idempotencyKey: string | undefined;
      if (item.put.kind !== 'system') {
        key = sha256Hex(`${key}\n${canonicalJson(item.canonical)}`);
        idempotencyKey = KEY_PREFIX + key;
      }
      for (const call of item.put.toolCalls ?? []) callers.set(call.id, puts.length);
      if (item.put.kind === 'tool-result' && item.put.toolCallId !== undefined) {
        const caller = callers.get(item.put.toolCallId);
        if (caller !== undefined) pairs.push({ caller, result: puts.length });
      }
      puts.push({
        ...item.put,
        session,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
    }
  }
  if (puts.length === 0) return key;
  runtime.store.transaction(() => {
    const results: PutResult[] = runtime.putMany(puts);
    for (const { caller, result } of pairs) {
      const from = results[caller]?.block.id;
      const to = results[result]?.block.id;
      if (
        from === undefined ||
        to === undefined ||
        runtime.store.edgeSeq(from, 'tool-invocation', to) !== undefined
      )
        continue;
      runtime.addEdge(from, 'tool-invocation', to);
    }
  });
  return key;
}

/** The items of one prompt message: one per message, except one per tool result of a tool message. */
function itemsOf(message: PromptMessage): Item[] {
  switch (message.role) {
    case 'system':
      return message.content.trim() === ''
        ? []
        : [
            {
              canonical: { role: 'system', text: message.content },
              put: { kind: 'system', body: message.content },
            },
          ];
    case 'user': {
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const files = message.content.flatMap((part) =>
        part.type === 'file'
          ? [`[file${part.filename === undefined ? '' : ` ${part.filename}`}: ${part.mediaType}]`]
          : [],
      );
      const body = [text, ...files].filter((s) => s.trim() !== '').join('\n');
      return body === ''
        ? []
        : [
            {
              canonical: { role: 'user', text },
              put: { kind: 'user-message', body, source: 'ai-sdk' },
            },
          ];
    }
    case 'assistant': {
      const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
      const calls = message.content.flatMap((part) =>
        part.type === 'tool-call' && part.providerExecuted !== true
          ? [{ id: part.toolCallId, name: part.toolName, arguments: jsonText(part.input) }]
          : [],
      );
      return assistantItem(text, calls);
    }
    case 'tool':
      return message.content.flatMap((part) => {
        if (part.type !== 'tool-result') return [];
        const text = outputText(part.output);
        return [
          {
            canonical: { role: 'tool', text, id: part.toolCallId },
            put: {
              kind: 'tool-result',
              body: text.trim() === '' ? '(empty result)' : text,
              toolCallId: part.toolCallId,
              source: `tool:${part.toolName}`,
            },
          },
        ];
      });
  }
}

/** An assistant message as an item: its text and tool calls (the key sees the calls' ids only). */
function assistantItem(text: string, calls: readonly ToolCall[]): Item[] {
  if (text.trim() === '' && calls.length === 0) return [];
  const body =
    text.trim() !== ''
      ? text
      : `(calling ${calls.map((c) => `${c.name}(${c.arguments.trim()})`).join(', ')})`;
  return [
    {
      canonical: { role: 'assistant', text, calls: calls.map((c) => c.id) },
      put: {
        kind: 'assistant-message',
        body,
        source: 'ai-sdk',
        ...(calls.length === 0 ? {} : { toolCalls: calls }),
      },
    },
  ];
}

/** A tool result's output as text; errors marked `[error]` as ingest marks them. */
function outputText(output: ToolResultOutput): string {
  switch (output.type) {
    case 'text':
      return output.value;
    case 'json':
      return jsonText(output.value);
    case 'error-text':
      return `[error] ${output.value}`;
    case 'error-json':
      return `[error] ${jsonText(output.value)}`;
    case 'execution-denied':
      return `[execution denied]${output.reason === undefined ? '' : ` ${output.reason}`}`;
    case 'content':
      return output.value
        .map((part) =>
          part.type === 'text'
            ? part.text
            : part.type === 'file'
              ? `[file: ${part.mediaType}]`
              : '',
        )
        .join('\n');
  }
}

function jsonText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** The text of the caller's latest user message (the default task). */
function latestUserText(prompt: AiSdkPrompt): string {
  for (let i = prompt.length - 1; i >= 0; i--) {
    const message = prompt[i];
    if (message?.role !== 'user') continue;
    const text = message.content
      .map((part) => (part.type === 'text' ? part.text : ''))
      .join('')
      .trim();
    if (text !== '') return text;
  }
  return 'Continue the conversation.';
}

/**
 * Stores the model's reply as an `assistant-message` (under the key the caller's resent copy will
 * have) and records its output and usage on the call's trace.
 */
async function recordReply(
  runtime: Runtime,
  session: string,
  call: PendingCall,
  content: readonly Content[],
  usage: SdkUsage | undefined,
): Promise<void> {
  const text = content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  const calls = content.flatMap((c) =>
    c.type === 'tool-call' && c.providerExecuted !== true
      ? [{ id: c.toolCallId, name: c.toolName, arguments: c.input }]
      : [],
  );
  const [item] = assistantItem(text, calls);
  if (item !== undefined) {
    const key = sha256Hex(`${call.lastKey}\n${canonicalJson(item.canonical)}`);
    runtime.put({ ...item.put, session, idempotencyKey: KEY_PREFIX + key });
  }
  const output = [text, ...calls.map((c) => `[tool call] ${c.name}(${c.arguments})`)]
    .filter((s) => s !== '')
    .join('\n');
  await runtime.recordOutput(call.callId, output, usage === undefined ? undefined : toUsage(usage));
}

function toUsage(usage: SdkUsage): Usage {
  return {
    ...(usage.inputTokens.total === undefined ? {} : { inputTokens: usage.inputTokens.total }),
    ...(usage.outputTokens.total === undefined ? {} : { outputTokens: usage.outputTokens.total }),
    ...(usage.inputTokens.cacheRead === undefined
      ? {}
      : { cachedInputTokens: usage.inputTokens.cacheRead }),
  };
}

/**
 * The packed chat messages as the SDK's prompt: text as text parts, tool calls as tool-call
 * parts (arguments parsed back from JSON), tool results as tool messages named after their call.
 */
export function toPrompt(messages: readonly ChatMessage[]): AiSdkPrompt {
  const toolNames = new Map<string, string>();
  return messages.map((m): PromptMessage => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: [{ type: 'text', text: m.content }] };
      case 'assistant': {
        for (const call of m.toolCalls ?? []) toolNames.set(call.id, call.name);
        const calls = (m.toolCalls ?? []).map((call) => ({
          type: 'tool-call' as const,
          toolCallId: call.id,
          toolName: call.name,
          input: parseArguments(call.arguments),
        }));
        return { role: 'assistant', content: [{ type: 'text', text: m.content }, ...calls] };
      }
      case 'tool':
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: m.toolCallId ?? '',
              toolName: toolNames.get(m.toolCallId ?? '') ?? '',
              output: { type: 'text', value: m.content },
            },
          ],
        };
    }
  });
}

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
