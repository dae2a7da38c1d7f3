import {
  InMemorySpanExporter,
  BasicTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRuntime } from '../runtime';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function traced(outputTimeoutMs?: number) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const dir = mkdtempSync(join(tmpdir(), 'llm386-otel-'));
  dirs.push(dir);
  const rt = openRuntime(join(dir, 'store'), {
    telemetry: {
      tracer: provider.getTracer('test'),
      inspectorUrl: 'http://127.0.0.1:4386',
      ...(outputTimeoutMs === undefined ? {} : { outputTimeoutMs }),
    },
  });
  rt.put({ session: 'chat', kind: 'fact', body: 'Ada lives in Lisbon.' });
  rt.put({ session: 'chat', kind: 'user-message', body: 'Where does Ada live?' });
  return { rt, exporter, store: join(dir, 'store') };
}

describe('OpenTelemetry spans of traced calls', () => {
  it('one CLIENT span per call from paging to the recorded output, with GenAI and llm386 attributes and the links to the turn', async () => {
    const { rt, exporter, store } = traced();
    const turn = await rt.pack({ session: 'chat', task: 'Answer the user.' }, { mode: 'chat' });
    expect(exporter.getFinishedSpans()).toEqual([]);
    await rt.recordOutput(turn.callId as string, 'In Lisbon.', {
      inputTokens: turn.tokens + 3,
      outputTokens: 4,
    });
    const [span, ...rest] = exporter.getFinishedSpans();
    expect(rest).toEqual([]);
    expect(span?.name).toBe('chat gpt-4o');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    const a = span?.attributes ?? {};
    expect(a).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.conversation.id': 'chat',
      'gen_ai.usage.input_tokens': turn.tokens + 3,
      'gen_ai.usage.output_tokens': 4,
      'llm386.call_id': turn.callId,
      'llm386.prompt_hash': turn.promptHash,
      'llm386.prompt.tokens': turn.tokens,
      'llm386.selected': turn.plan.selected.length,
      'llm386.omitted': turn.plan.omitted.length,
      'llm386.output': 'recorded',
      'llm386.turn.web_link': `http://127.0.0.1:4386/#/turn?call=${turn.callId}&session=chat`,
    });
    expect(a['llm386.turn.link']).toBe(
      `llm386://turn?store=${encodeURIComponent(store)}&session=chat&call=${turn.callId}`,
    );
    for (const s of turn.plan.sections)
      expect(a[`llm386.section.${s.section}.tokens`]).toBe(s.used);
    expect(span?.events.map((e) => e.name)).toEqual(['packed']);
    await rt.close();
  });

  it('a call whose output never comes ends at packing and says so (at close, or after the timeout)', async () => {
    const { rt, exporter } = traced(20);
    const before = Date.now();
    await rt.pack({ session: 'chat', task: 'Answer the user.' });
    const packedBy = Date.now();
    await new Promise((r) => setTimeout(r, 80));
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['llm386.output']).toBe('none');
    expect(span?.events.map((e) => e.name)).toEqual([
      'packed',
      'no output recorded: the span ends at packing',
    ]);
    const endMs = (span?.endTime[0] ?? 0) * 1000 + (span?.endTime[1] ?? 0) / 1e6;
    expect(endMs).toBeGreaterThanOrEqual(before - 1);
    expect(endMs).toBeLessThanOrEqual(packedBy + 1);
    const second = await rt.pack({ session: 'chat', task: 'Again.' });
    await rt.close();
    expect(
      exporter
        .getFinishedSpans()
        .map((s) => [s.attributes['llm386.call_id'], s.attributes['llm386.output']]),
    ).toEqual([
      [span?.attributes['llm386.call_id'], 'none'],
      [second.callId, 'none'],
    ]);
  });

  it('runs without a registered provider (the global tracer is a no-op)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm386-otel-'));
    dirs.push(dir);
    const rt = openRuntime(join(dir, 'store'));
    rt.put({ session: 'chat', kind: 'user-message', body: 'hi' });
    const turn = await rt.pack({ session: 'chat', task: 'answer' });
    expect(turn.callId).toMatch(/^[0-9a-f]{32}$/);
    expect((await rt.recordOutput(turn.callId as string, 'hello')).output?.text).toBe('hello');
    await rt.close();
  });
});
