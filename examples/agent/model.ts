// The Model port: what the agent needs from a language model, whatever serves it.
import type { CallResult, PackMode, ToolCall, Usage } from '../../src-core/index';
import type { ToolSpec } from './tools';

/** One model call: the traced pack of the turn and the tools on offer. */
export interface ModelRequest {
  /**
   * What `Runtime.pack` returned for this call, in the model's {@link Model.mode}: `chat.messages`
   * (provider-neutral) always, and `request` (the provider's request body) for `openai`/`anthropic`.
   */
  readonly packed: CallResult;
  /**
   * The tools, always sent: a provider rejects a history with tool calls unless tools are defined
   * (Anthropic), so `toolChoice` rather than an empty list says when the model must answer in text.
   */
  readonly tools: readonly ToolSpec[];
  /** `auto`: the model may call tools; `none`: it must answer in text. */
  readonly toolChoice: 'auto' | 'none';
}

/** What a model answered. */
export interface ModelReply {
  /** The reply text, exactly as received (may be empty when the model only calls tools). */
  readonly text: string;
  /** Tool calls, with the provider's call ids; arguments as a JSON string. */
  readonly toolCalls: readonly ToolCall[];
  /** Token usage, when the provider reports it. */
  readonly usage?: Usage | undefined;
}

/** A language model the agent can call. */
export interface Model {
  /** A short description for people, e.g. `openai gpt-4o-mini`. */
  readonly label: string;
  /** The model profile the runtime pages and packs for (a built-in name or one from the config). */
  readonly profile: string;
  /** How the runtime renders the prompt for this model (decides the bytes hashed in the trace). */
  readonly mode: PackMode;
  /** Calls the model once. */
  complete(request: ModelRequest): Promise<ModelReply>;
}

/** The packed chat of a request, or an error naming the pack mode that lacks one (string mode). */
export function packedMessages(request: ModelRequest) {
  const chat = request.packed.chat;
  if (chat === undefined)
    throw new Error(
      `the model needs a chat rendering, but the call was packed in ${request.packed.mode} mode`,
    );
  return chat.messages;
}
