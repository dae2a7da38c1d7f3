import { afterAll, describe, expect, it } from 'vitest';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, type ModelProfile } from '../config/index';
import { pageChecked, type Plan } from '../pager/index';
import { tempStore } from '../store/test-helpers';
import { getTokenizer } from '../tokenizer/index';
import { livePolicy, recordedPolicy, replay, runCall, tracedCall, type PackMode } from './index';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function storeWithTurns() {
  const t = tempStore();
  cleanups.push(t.cleanup);
  const { store } = t;
  let time = 1_700_000_000_000;
  store.put({
    session: 'chat',
    kind: 'system',
    body: 'You are a helpful assistant.',
    createdAt: (time += 1000),
  });
  for (let i = 0; i < 120; i++) {
    store.put({
      session: 'chat',
      kind: 'user-message',
      body: `question ${i}: what about the trains to Porto on day ${i}?`,
      createdAt: (time += 1000),
    });
    if (i % 10 === 3) {
      const a = store.put({
        session: 'chat',
        kind: 'assistant-message',
        body: `checking ${i}`,
        toolCalls: [{ id: `call_${i}`, name: 'timetable', arguments: `{"day":${i}}` }],
        createdAt: (time += 1000),
      }).block.id;
      store.addEdge(
        a,
        'tool-invocation',
        store.put({
          session: 'chat',
          kind: 'tool-result',
          body: `/timetable ${i}: 08:15, 12:40.`,
          toolCallId: `call_${i}`,
          createdAt: (time += 1000),
        }).block.id,
      );
    }
    store.put({
      session: 'chat',
      kind: 'assistant-message',
      body: `The ${i}th train leaves at 8:${String(i % 60).padStart(2, '0')}.`,
      createdAt: (time += 1000),
    });
    if (i % 7 === 0)
      store.put({
        session: 'chat',
        kind: 'fact',
        body: `/note ${i}: Ada prefers the window seat.`,
        createdAt: (time += 1000),
      });
  }
  return store;
}

describe('page and pack agree exactly', () => {
  const profiles: ModelProfile[] = ['gpt-4o', 'gpt-4-turbo', 'claude-sonnet-4-5'].map(
    (n) => BUILTIN_PROFILES.find((p) => p.name === n) as ModelProfile,
  );
  it.each(['string', 'chat', 'openai', 'anthropic'] as PackMode[])(
    'for the %s rendering at budgets 150 to 128k, every model',
    async (mode) => {
      const store = storeWithTurns();
      const policy = recordedPolicy(DEFAULT_CONFIG);
      const live = await livePolicy(policy, store);
      for (const model of profiles) {
        const tok = getTokenizer(model.tokenizer);
        for (const budget of [150, 400, 1000, 3000, 12_000, 128_000]) {
          const request = {
            session: 'chat',
            task: 'when does the train to Porto leave?',
            model,
            budget,
            now: 1_800_000_000_000,
          };
          const plan: Plan = await pageChecked(store, { ...request, rendering: mode }, live);
          const call = await runCall(store, { ...request, mode }, policy);
          const label = `${mode} ${model.name} ${budget}`;
          expect(plan.rendering, label).toBe(mode);
          expect(plan.budget.used, label).toBe(call.tokens);
          expect(call.plan.budget.used, label).toBe(call.tokens);
          expect(plan.budget.used, label).toBeLessThanOrEqual(budget);
          if (mode === 'string')
            expect(call.tokens, label).toBe(tok.count(call.prompt?.prompt ?? ''));
          // No empty section is charged: every header in the prompt belongs to a section with blocks.
          for (const s of plan.sections)
            if (s.section !== 'task' && s.used === 0) expect(s.overhead, label).toBe(0);
        }
      }
      store.close();
    },
  );

  it('charges nothing for empty sections: the tokens go to the sections, Slack stays unfilled', async () => {
    const store = storeWithTurns();
    const policy = recordedPolicy(DEFAULT_CONFIG);
    const request = {
      session: 'chat',
      task: 'when does the train to Porto leave?',
      model: profiles[0] as ModelProfile,
      budget: 1000,
      now: 1_800_000_000_000,
      mode: 'string' as const,
    };
    const exact = await runCall(store, request, policy);
    const bound = await runCall(store, request, {
      ...policy,
      pager: { ...policy.pager, accounting: 'bound' },
    });
    // Bound charges every header and the chat framing: the exact plan has more room for blocks.
    expect(
      exact.plan.sections.filter((s) => s.section !== 'task').reduce((a, s) => a + s.used, 0),
    ).toBeGreaterThan(
      bound.plan.sections.filter((s) => s.section !== 'task').reduce((a, s) => a + s.used, 0),
    );
    expect(bound.plan.budget.used - bound.tokens).toBeGreaterThan(0);
    expect(exact.plan.budget.used - exact.tokens).toBe(0);
    // Slack (5% of the budget after fixed charges) is never filled.
    expect(exact.plan.budget.slack).toBeGreaterThanOrEqual(
      Math.floor(0.05 * (1000 - exact.plan.budget.overhead - (exact.plan.sections[0]?.used ?? 0))) -
        1,
    );
    store.close();
  });
});

describe('trace records made before plans had a rendering', () => {
  it('replay identically with the old charging (no `accounting` in their policy means bound)', async () => {
    const store = storeWithTurns();
    const current = recordedPolicy(DEFAULT_CONFIG);
    const { accounting: _accounting, ...oldPager } = current.pager;
    // The policy as an older build recorded it: no `accounting` key.
    const old = { ...current, pager: oldPager as typeof current.pager };
    const model = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
    for (const mode of ['string', 'chat'] as const) {
      const traced = await tracedCall(
        store,
        {
          session: 'chat',
          task: 'when does the train to Porto leave?',
          model,
          budget: 700,
          now: 1_800_000_000_000,
          mode,
        },
        old,
      );
      await traced.recorded;
      expect(traced.plan.rendering).toBeUndefined();
      // Bound: every section header charged, so the plan charges more than the prompt costs.
      expect(traced.plan.budget.used).toBeGreaterThan(traced.tokens);
      const report = await replay(store, traced.callId as string);
      expect(report.identical).toBe(true);
    }
    store.close();
  });
});
