import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, getTrace, tracePrompt } from '../../src-core/index';
import type { Model, ModelReply } from './model';
import { factEnvelope } from './memory';
import { openAgent, T0, tempDir } from './test-helpers';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const c of pending) await c();
});

function store() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('the agent offline', () => {
  it('recalls a fact after a restart, from the fact block in the store', async () => {
    const dir = store();
    const clock = fixedClock(T0, 1000);
    const first = openAgent(dir, { clock });
    expect(
      (await first.agent.turn('chat', 'Hi, my name is Ada Lovelace and I live in London.')).reply,
    ).toBe('Nice to meet you, Ada Lovelace! I will remember that.');
    expect((await first.agent.turn('chat', 'What is 12*7?')).reply).toBe('12*7 = 84.');
    const nameFact = first.rt.store
      .list('chat', { kinds: ['fact'] })
      .find((b) => first.rt.store.text(b) === "The user's name is Ada Lovelace.");
    expect(nameFact).toBeDefined();
    await first.rt.close();

    // A new runtime and a new model: nothing survives but the store.
    const second = openAgent(dir, { clock });
    cleanups.push(() => second.rt.close());
    const turn = await second.agent.turn('chat', 'What is my name?');
    expect(turn.reply).toContain('Ada Lovelace');
    const record = getTrace(second.rt.store, turn.callIds[0] as string);
    const selected = record.plan.selected.find((s) => s.id === nameFact?.id);
    expect(selected).toMatchObject({ kind: 'fact', section: 'retrieved' });
    // The exact prompt bytes sent hold the fact's line.
    expect(tracePrompt(second.rt.store, record)?.toString('utf8')).toContain(
      "The user's name is Ada Lovelace.",
    );
    expect((await second.agent.turn('chat', 'Where do I live?')).reply).toBe('You live in London.');
    // Without the fact block the model no longer knows, though the old message is still there.
    second.rt.store.delete(nameFact?.id as string);
    const after = await second.agent.turn('chat', 'What is my name?');
    expect(after.reply).toMatch(/^I don't know your name yet/);
    expect(
      tracePrompt(second.rt.store, getTrace(second.rt.store, after.callIds[0] as string))?.toString(
        'utf8',
      ),
    ).toContain('Hi, my name is Ada Lovelace');
  });

  it('does not know the fact in a fresh store', async () => {
    const { rt, agent } = openAgent(store());
    cleanups.push(() => rt.close());
    expect((await agent.turn('chat', 'What is my name?')).reply).toMatch(
      /^I don't know your name yet/,
    );
  });

  it('stores tool calls paired with their results, with tool-invocation edges', async () => {
    const { rt, agent } = openAgent(store());
    cleanups.push(() => rt.close());
    const turn = await agent.turn('chat', 'What is 2^10 and 1000 / 8?');
    expect(turn.reply).toBe('2^10 = 1024. 1000 / 8 = 125.');
    expect(turn.callIds).toHaveLength(2);
    const caller = rt.store
      .list('chat', { kinds: ['assistant-message'] })
      .find((b) => b.toolCalls !== undefined);
    expect(caller?.toolCalls?.map((c) => c.name)).toEqual(['calculator', 'calculator']);
    expect(rt.store.text(caller as NonNullable<typeof caller>)).toBe(
      '(calling calculator({"expression":"2^10"}), calculator({"expression":"1000 / 8"}))',
    );
    const invocations = rt.store
      .edges(caller?.id as string, 'out')
      .filter((e) => e.kind === 'tool-invocation');
    const results = invocations.map((e) => rt.store.getRecord(e.to));
    expect(results.map((r) => r?.kind)).toEqual(['tool-result', 'tool-result']);
    expect(new Set(results.map((r) => r?.toolCallId))).toEqual(
      new Set(caller?.toolCalls?.map((c) => c.id)),
    );
    // The second call saw the pair: the assistant message and its results are in its plan.
    const second = getTrace(rt.store, turn.callIds[1] as string);
    const pair = [caller?.id, ...invocations.map((e) => e.to)];
    for (const id of pair) expect(second.plan.selected.map((s) => s.id)).toContain(id);
    // Every call's output is recorded.
    expect(getTrace(rt.store, turn.callIds[0] as string).output?.text).toContain(
      '[tool call] calculator(',
    );
    expect(second.output?.text).toBe('2^10 = 1024. 1000 / 8 = 125.');
  });

  it('relates a new fact to known ones: supports when it agrees, contradicts when it does not', async () => {
    const { rt, agent } = openAgent(store());
    cleanups.push(() => rt.close());
    rt.put({
      session: 'chat',
      kind: 'fact',
      body: 'Ada Lovelace lives in London.',
      createdAt: T0 - 10_000,
      source: 'crm',
    });
    await agent.turn('chat', 'My name is Ada Lovelace.');
    const agree = await agent.turn('chat', 'I live in London.');
    const disagree = await agent.turn('chat', 'I moved to Paris.');
    const crm = rt.store
      .list('chat', { kinds: ['fact'] })
      .find((b) => rt.store.text(b) === 'Ada Lovelace lives in London.');
    const edgesOf = (id: string | undefined) =>
      rt.store
        .edges(id as string, 'out')
        .map((e) => `${e.kind}:${rt.store.text(rt.store.getRecord(e.to) as never)}`);
    expect(edgesOf(agree.factIds[0])).toContain('supports:Ada Lovelace lives in London.');
    expect(edgesOf(disagree.factIds[0])).toEqual(
      expect.arrayContaining([
        'contradicts:Ada Lovelace lives in London.',
        'contradicts:The user lives in London.',
      ]),
    );
    expect(crm).toBeDefined();
    expect((await agent.turn('chat', 'Where do I live?')).reply).toBe('You live in Paris.');
  });

  it('keeps the reply but drops an invalid memory envelope, with a warning', async () => {
    const reply: ModelReply = {
      text: `Sure.\n\n${factEnvelope(['ok']).replace('"fact"', '"user-message"')}`,
      toolCalls: [],
    };
    const model: Model = {
      label: 'stub',
      profile: 'gpt-4o',
      mode: 'chat',
      complete: () => Promise.resolve(reply),
    };
    const { rt, agent } = openAgent(store(), { model });
    cleanups.push(() => rt.close());
    const turn = await agent.turn('chat', 'Remember this.');
    expect(turn.reply).toBe('Sure.');
    expect(turn.factIds).toEqual([]);
    expect(turn.warnings[0]).toMatch(
      /memory not stored: json-events: event 0: kind "user-message" is not a knowledge kind/,
    );
    expect(rt.store.list('chat', { kinds: ['fact'] })).toEqual([]);
  });

  it('summarises old messages into a summary derived from them', async () => {
    const { rt, agent } = openAgent(store());
    cleanups.push(() => rt.close());
    for (const line of [
      'My name is Bo Chen.',
      'What is 3*3?',
      'I work as a pilot.',
      'Thanks!',
      'What is my name?',
    ])
      await agent.turn('chat', line);
    const result = await agent.summarize('chat', { keepRecent: 4, maxMessages: 6 });
    expect(result?.covered).toHaveLength(6);
    const summary = rt.store.getRecord(result?.summaryId as string);
    expect(summary?.kind).toBe('summary');
    expect(rt.store.text(summary as never)).toMatch(
      /^Summary of the earlier conversation: the user said "My name is Bo Chen\."/,
    );
    const derived = rt.store
      .edges(result?.summaryId as string, 'out')
      .filter((e) => e.kind === 'derived-from')
      .map((e) => e.to);
    expect(derived.sort()).toEqual([...(result?.covered ?? [])].sort());
    // Covered messages are not summarised twice.
    const again = await agent.summarize('chat', { keepRecent: 4, maxMessages: 6 });
    expect(again?.covered.some((id) => result?.covered.includes(id))).toBe(false);
  });
});
