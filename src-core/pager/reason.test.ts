import { describe, expect, it } from 'vitest';
import { useTempStores } from '../store/test-helpers';
import { page } from './pager';
import { conversation, fixedRetriever, MODEL, newestFirst, policy } from './test-fixtures';

const fresh = useTempStores();

// `recency` reads "part of the recent conversation window": only the window's own picks may say it.
describe('the reason of a block taken on its score', () => {
  for (const weight of [1, 0]) {
    it(`is never recency outside the conversation, under max fusion (recency weight ${weight})`, async () => {
      const { store } = fresh();
      conversation(store, 's', 12);
      const facts = Array.from(
        { length: 8 },
        (_, i) =>
          store.put({
            session: 's',
            kind: 'fact',
            body: `fact ${i}: the office opens at ${8 + i} o'clock`,
          }).block.id,
      );
      const relevant = fixedRetriever(
        'bm25',
        new Map(facts.slice(6).map((id, i) => [id, 1 - i * 0.6])),
      );
      const plan = await page(
        store,
        { session: 's', task: 'when does the office open?', model: MODEL, budget: 2000 },
        policy(
          [
            { retriever: newestFirst(), weight },
            { retriever: relevant, weight: 1 },
          ],
          { fusion: 'max' },
        ),
      );
      const scored = plan.selected.filter(
        (b) => b.placement !== 'conversation' && b.kind === 'fact',
      );
      expect(scored.length).toBeGreaterThanOrEqual(2);
      for (const b of scored) expect(b.reason, `${b.kind} ${b.id}`).not.toBe('recency');
    });
  }
});
