import { resolve } from 'node:path';
import { context, SpanKind, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { RUNTIME_VERSION } from '../base/index';
import type { ModelProfile } from '../config/index';
import type { CallResult } from './call';
import type { Usage } from './trace';

/** How a runtime reports its traced calls as OpenTelemetry spans. */
export interface TelemetryOptions {
  /**
   * The tracer; default `trace.getTracer('llm386')` from `@opentelemetry/api`, which records
   * nothing unless the application registered a tracer provider.
   */
  readonly tracer?: Tracer | undefined;
  /**
   * The web inspector's address when it runs on a fixed port (`llm386 inspect --web --port N`):
   * spans then link to the turn there too, e.g. `http://127.0.0.1:4386`.
   */
  readonly inspectorUrl?: string | undefined;
  /** How long a call's span waits for its recorded output before it ends at packing; default 10 minutes. */
  readonly outputTimeoutMs?: number | undefined;
}

/**
 * The deep link that opens a turn in the desktop inspector (which registers the `llm386:`
 * scheme): `llm386://turn?store=<absolute store path>&session=<session>&call=<call id>`.
 */
export function turnLink(storeDir: string, session: string, callId: string): string {
  const q = new URLSearchParams({ store: resolve(storeDir), session, call: callId });
  return `llm386://turn?${q.toString()}`;
}

/** The web inspector's address of a turn (the inspector on `base` must have this store open). */
export function webTurnLink(base: string, session: string, callId: string): string {
  const q = new URLSearchParams({ call: callId, session });
  return `${base.replace(/\/+$/, '')}/#/turn?${q.toString()}`;
}

interface Pending {
  readonly span: Span;
  readonly packedAt: number;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * One OpenTelemetry span per model call, following the GenAI semantic conventions (span kind
 * CLIENT, named `chat <model>`, `gen_ai.*` attributes) plus LLM386's own (`llm386.*`: call id,
 * prompt hash, per-section tokens, selected and omitted counts, the turn's links). The span starts
 * at paging and ends when the output is recorded; a call whose output never comes ends at packing,
 * with `llm386.output` = `none`. Owned by one runtime: {@link CallSpans.close} ends what is open.
 */
export class CallSpans {
  private readonly pending = new Map<string, Pending>();
  private readonly tracer: Tracer;

  constructor(
    private readonly storeDir: string,
    private readonly options: TelemetryOptions = {},
  ) {
    this.tracer = options.tracer ?? trace.getTracer('llm386', RUNTIME_VERSION);
  }

  /** Starts a call's span (paging starts now) and the context to run the call in. */
  start(model: ModelProfile, session: string): { span: Span; context: Context } {
    const span = this.tracer.startSpan(`chat ${model.name}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': model.provider,
        'gen_ai.request.model': model.name,
        'gen_ai.conversation.id': session,
        'llm386.session': session,
        'llm386.store': resolve(this.storeDir),
      },
    });
    return { span, context: trace.setSpan(context.active(), span) };
  }

  /** The call is packed: its plan's figures go on the span, which now waits for the output. */
  packed(
    span: Span,
    result: CallResult & { readonly callId?: string | undefined },
    session: string,
  ): void {
    const plan = result.plan;
    const callId = result.callId ?? '';
    span.setAttributes({
      'gen_ai.usage.input_tokens': result.tokens,
      'llm386.call_id': callId,
      'llm386.prompt_hash': result.promptHash,
      'llm386.prompt.tokens': result.tokens,
      'llm386.mode': result.mode,
      'llm386.budget.input': plan.budget.input,
      'llm386.budget.used': plan.budget.used,
      'llm386.selected': plan.selected.length,
      'llm386.omitted': plan.omitted.length,
      'llm386.turn.link': turnLink(this.storeDir, session, callId),
      ...(this.options.inspectorUrl === undefined
        ? {}
        : { 'llm386.turn.web_link': webTurnLink(this.options.inspectorUrl, session, callId) }),
    });
    for (const s of plan.sections) span.setAttribute(`llm386.section.${s.section}.tokens`, s.used);
    span.addEvent('packed');
    if (callId === '') {
      span.end();
      return;
    }
    const packedAt = Date.now();
    const timer = setTimeout(() => this.noOutput(callId), this.options.outputTimeoutMs ?? 600_000);
    timer.unref?.();
    this.pending.set(callId, { span, packedAt, timer });
  }

  /** The call failed before it was packed. */
  failed(span: Span, error: unknown): void {
    span.recordException(error as Error);
    span.setStatus({ code: 2, message: (error as Error).message });
    span.end();
  }

  /** The model's output was recorded: usage goes on the span, which ends now. */
  output(callId: string, usage: Usage | undefined): void {
    const p = this.pending.get(callId);
    if (p === undefined) return;
    this.pending.delete(callId);
    clearTimeout(p.timer);
    if (usage?.inputTokens !== undefined)
      p.span.setAttribute('gen_ai.usage.input_tokens', usage.inputTokens);
    if (usage?.outputTokens !== undefined)
      p.span.setAttribute('gen_ai.usage.output_tokens', usage.outputTokens);
    if (usage?.cachedInputTokens !== undefined)
      p.span.setAttribute('gen_ai.usage.cache_read.input_tokens', usage.cachedInputTokens);
    p.span.setAttribute('llm386.output', 'recorded');
    p.span.end();
  }

  /** Ends every span still waiting for its output, at its packing time. */
  close(): void {
    for (const callId of [...this.pending.keys()]) this.noOutput(callId);
  }

  private noOutput(callId: string): void {
    const p = this.pending.get(callId);
    if (p === undefined) return;
    this.pending.delete(callId);
    clearTimeout(p.timer);
    p.span.setAttribute('llm386.output', 'none');
    p.span.addEvent('no output recorded: the span ends at packing');
    p.span.end(p.packedAt);
  }
}
