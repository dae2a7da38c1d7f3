// The Turns view's readings of a tool loop: calls grouped under the user turn they serve, what
// became of each call (output, latency, usage, cost), search across turns, and turns and tokens
// per session. A store with two user turns: the first served by two calls (a tool call, then the
// answer), the second by one call on an unpriced model and with no output recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  getTraceSummary,
  idTime,
  parseConfig,
  recordOutput,
  tracedCall,
  type BlockId,
} from '../../../src-core/index';
import type { ApiResult } from '../contract';
import { createApiHandlers, type ApiHandlers } from './index';
import { DEFAULT_CONFIG, findProfile, recordedPolicy, Store } from '../../runtime';

let dir: string;
let store: Store;
let api: ApiHandlers;
let early: BlockId;
let lookup: BlockId;
let answer: BlockId;
let unpriced: BlockId;
const ids: Record<string, string> = {};

function value<T>(result: ApiResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm386-turns-loop-'));
  store = Store.init(dir);
  const t0 = Date.UTC(2026, 0, 1);
  const policy = recordedPolicy(DEFAULT_CONFIG);
  const call = async (task: string, model: string) => {
    const result = await tracedCall(
      store,
      { session: 'loop', task, model: findProfile(model), now: t0, mode: 'chat' },
      policy,
    );
    await result.recorded;
    return result.record.callId;
  };
  ids['system'] = store.put({
    session: 'loop',
    kind: 'system',
    body: 'You look orders up before answering.',
    createdAt: t0,
  }).block.id;
  early = await call('warm up before anyone spoke', 'gpt-4o');
  ids['question'] = store.put({
    session: 'loop',
    kind: 'user-message',
    body: 'Where is my order 1234?',
    createdAt: t0 + 1,
  }).block.id;
  lookup = await call('Reply to the user: where is order 1234', 'gpt-4o');
  await recordOutput(
    store,
    lookup,
    '',
    { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400 },
    idTime(lookup) + 1234,
  );
  ids['toolCall'] = store.put({
    session: 'loop',
    kind: 'assistant-message',
    body: 'Looking it up.',
    toolCalls: [{ id: 'c1', name: 'orders', arguments: '{"id":1234}' }],
    createdAt: t0 + 2,
  }).block.id;
  ids['toolResult'] = store.put({
    session: 'loop',
    kind: 'tool-result',
    body: 'Order 1234: shipped by parcel courier Zebrafast.',
    toolCallId: 'c1',
    createdAt: t0 + 3,
  }).block.id;
  answer = await call('Reply to the user: where is order 1234', 'gpt-4o');
  await recordOutput(
    store,
    answer,
    'Your order   shipped\nyesterday.',
    { inputTokens: 2000, outputTokens: 50 },
    idTime(answer) + 800,
  );
  ids['question2'] = store.put({
    session: 'loop',
    kind: 'user-message',
    body: 'Thanks! Can I change the address?',
    createdAt: t0 + 4,
  }).block.id;
  unpriced = await call('Reply to the user: change the address', 'gpt-4-turbo');
  store.put({ session: 'other', kind: 'fact', body: 'Nothing was traced here.', createdAt: t0 });
  api = createApiHandlers({ store, config: DEFAULT_CONFIG });
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('turns.list groups', () => {
  it('groups the calls of a tool loop under the user message they serve, calls before any user message apart', async () => {
    const { groups } = value(await api['turns.list']({ session: 'loop' }));
    expect(groups.map((g) => [g.message?.id ?? null, g.calls])).toEqual([
      [null, [early]],
      [ids['question'], [lookup, answer]],
      [ids['question2'], [unpriced]],
    ]);
    expect(groups[1]?.message?.preview).toBe('Where is my order 1234?');
  });

  it('groups only the listed turns when the list is cut to the newest', async () => {
    const { groups } = value(await api['turns.list']({ session: 'loop', limit: 2 }));
    expect(groups.map((g) => g.calls)).toEqual([[answer], [unpriced]]);
  });
});

describe('turns.calls', () => {
  it('gives the output on one line, the latency from recording to output, the usage and the cost at list prices', async () => {
    const { calls } = value(await api['turns.calls']({ callIds: [lookup, answer] }));
    const a = calls[answer];
    expect(a?.output).toBe('Your order shipped yesterday.');
    expect(a?.outputChars).toBe('Your order   shipped\nyesterday.'.length);
    expect(a?.latencyMs).toBe(800);
    expect(a?.runtimeMs).toBeGreaterThan(0);
    expect(a?.usage).toEqual({ inputTokens: 2000, outputTokens: 50, cachedInputTokens: null });
    // gpt-4o: $2.50 in, $10 out per million.
    expect(a?.cost).toEqual({
      usd: 0.0055,
      inputUsd: 0.005,
      outputUsd: 0.0005,
      basis: 'usage',
      prices: { input: 2.5, output: 10 },
    });
    expect(calls[lookup]?.output).toBe('');
    expect(calls[lookup]?.latencyMs).toBe(1234);
    expect(calls[lookup]?.usage?.cachedInputTokens).toBe(400);
  });

  it('prices a call without usage by its prompt’s tokens, and leaves an unpriced model without cost', async () => {
    const { calls } = value(await api['turns.calls']({ callIds: [early, unpriced] }));
    expect(calls[early]?.output).toBeNull();
    expect(calls[early]?.latencyMs).toBeNull();
    expect(calls[early]?.usage).toBeNull();
    expect(calls[early]?.cost?.basis).toBe('prompt');
    expect(calls[early]?.cost?.outputUsd).toBeNull();
    const { turns } = value(await api['turns.list']({ session: 'loop' }));
    expect(calls[early]?.cost?.inputUsd).toBeCloseTo(((turns[0]?.tokens ?? 0) * 2.5) / 1e6, 12);
    expect(calls[unpriced]?.cost).toBeNull();
  });

  it('takes the prices of the config’s profile of that name', async () => {
    const config = parseConfig(
      '[[profile]]\nname = "gpt-4o"\nmax_context_tokens = 128000\nreserved_output_tokens = 16384\ntokenizer = "o200k_base"\ninput_price_per_million = 1\noutput_price_per_million = 2\n',
    );
    const priced = createApiHandlers({ store, config });
    const { calls } = value(await priced['turns.calls']({ callIds: [answer] }));
    expect(calls[answer]?.cost).toEqual({
      usd: 0.0021,
      inputUsd: 0.002,
      outputUsd: 0.0001,
      basis: 'usage',
      prices: { input: 1, output: 2 },
    });
  });

  it('sees an output recorded after the call was first read', async () => {
    const fresh = createApiHandlers({ store, config: DEFAULT_CONFIG });
    expect(
      value(await fresh['turns.calls']({ callIds: [unpriced] })).calls[unpriced]?.output,
    ).toBeNull();
    await recordOutput(store, unpriced, 'Yes, until it ships.', undefined, idTime(unpriced) + 10);
    expect(value(await fresh['turns.calls']({ callIds: [unpriced] })).calls[unpriced]?.output).toBe(
      'Yes, until it ships.',
    );
  });

  it('reads the facts of a session’s calls from its summaries, never from the trace records', async () => {
    const fresh = createApiHandlers({ store, config: DEFAULT_CONFIG });
    const expected = value(await api['turns.calls']({ callIds: [early, lookup, answer] })).calls;
    const reads = vi.spyOn(store.traceLog, 'get');
    try {
      const { calls } = value(
        await fresh['turns.calls']({ callIds: [early, lookup, answer], session: 'loop' }),
      );
      expect(calls).toEqual(expected);
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('come with turns.list for every call whose summary carries them', async () => {
    expect(value(await api['turns.list']({ session: 'loop' })).facts).toEqual({});
    const { facts } = value(await api['turns.list']({ session: 'loop', facts: true }));
    const { calls } = value(
      await api['turns.calls']({ callIds: [early, lookup, answer, unpriced] }),
    );
    expect(facts).toEqual(calls);
  });

  it('falls back to the trace record for a summary written before summaries carried the facts', async () => {
    const expected = value(await api['turns.calls']({ callIds: [answer] })).calls;
    const summary = getTraceSummary(store, 'loop', answer);
    if (summary === undefined) throw new Error('no summary');
    const { output, runtimeMs, prices, watermarkSeq, ...older } = summary;
    void [output, runtimeMs, prices, watermarkSeq];
    store.transaction(() => store.traceLog.put(answer, 'loop', store.traceLog.get(answer), older));
    try {
      const fresh = createApiHandlers({ store, config: DEFAULT_CONFIG });
      expect(
        value(await fresh['turns.calls']({ callIds: [answer], session: 'loop' })).calls,
      ).toEqual(expected);
      // The list leaves it to turns.calls.
      const { facts } = value(await fresh['turns.list']({ session: 'loop', facts: true }));
      expect(Object.keys(facts).sort()).toEqual([early, lookup, unpriced].sort());
      const byOutput = value(
        await fresh['turns.search']({ session: 'loop', query: 'shipped yesterday' }),
      ).matches;
      expect(byOutput.map((m) => m.callId)).toEqual([answer]);
    } finally {
      store.transaction(() =>
        store.traceLog.put(answer, 'loop', store.traceLog.get(answer), summary),
      );
    }
  });

  it('leaves out unknown calls and refuses an empty list', async () => {
    expect(value(await api['turns.calls']({ callIds: ['0'.repeat(32)] })).calls).toEqual({});
    const result = await api['turns.calls']({ callIds: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-input');
  });
});

describe('turns.search', () => {
  it('finds turns by task, by output and by the blocks they first saw', async () => {
    const byTask = value(
      await api['turns.search']({ session: 'loop', query: 'ORDER 1234' }),
    ).matches;
    expect(byTask.filter((m) => m.task).map((m) => m.callId)).toEqual([lookup, answer]);
    // Runs of white space count as one space, as the output is shown.
    const byOutput = value(
      await api['turns.search']({ session: 'loop', query: 'shipped  yesterday' }),
    ).matches;
    expect(byOutput).toEqual([{ callId: answer, task: false, output: true, blocks: [] }]);
    // The tool result was written after the lookup call: the answer call saw it first.
    const byBlock = value(
      await api['turns.search']({ session: 'loop', query: 'zebrafast' }),
    ).matches;
    expect(byBlock).toEqual([
      {
        callId: answer,
        task: false,
        output: false,
        blocks: [
          { id: ids['toolResult'], preview: 'Order 1234: shipped by parcel courier Zebrafast.' },
        ],
      },
    ]);
  });

  it('searches an output longer than its summary keeps whole, from the record', async () => {
    await recordOutput(store, unpriced, `Yes.${' Until it ships.'.repeat(40)}\nAt the far end.`);
    const { matches } = value(await api['turns.search']({ session: 'loop', query: 'the far end' }));
    expect(matches.map((m) => [m.callId, m.output])).toEqual([[unpriced, true]]);
  });

  it('finds nothing for a word no turn holds, and refuses an empty query', async () => {
    expect(
      value(await api['turns.search']({ session: 'loop', query: 'no-such-word' })).matches,
    ).toEqual([]);
    expect((await api['turns.search']({ session: 'loop', query: '  ' })).ok).toBe(false);
  });
});

describe('turns.sessions', () => {
  it('counts every session’s turns, the input tokens they sent and its blocks’ tokens', async () => {
    const { sessions } = value(await api['turns.sessions']({}));
    const { turns } = value(await api['turns.list']({ session: 'loop' }));
    const loop = sessions.find((s) => s.session === 'loop');
    expect(loop?.turns).toBe(4);
    expect(loop?.inputTokens).toBe(turns.reduce((n, t) => n + t.tokens, 0));
    const expected = store.list('loop').reduce((n, r) => n + store.tokens(r, 'o200k_base'), 0);
    expect(loop?.tokens).toBe(expected);
    expect(loop?.tokenizer).toBe('o200k_base');
    expect(sessions.find((s) => s.session === 'other')).toMatchObject({ turns: 0, inputTokens: 0 });
  });

  it('leaves the blocks’ tokens out when not asked for them', async () => {
    const { sessions } = value(await api['turns.sessions']({ tokens: false }));
    expect(sessions.find((s) => s.session === 'loop')).toMatchObject({ turns: 4, tokens: null });
  });
});
