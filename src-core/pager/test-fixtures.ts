import type { BlockId } from '../base/index';
import { BUILTIN_PROFILES, DEFAULT_CONFIG, type ModelProfile } from '../config/index';
import type { Retriever, ScoredId } from '../retrievers/index';
import type { Store } from '../store/index';
import type { PagePolicy, WeightedRetriever } from './request';

/** gpt-4o: exact o200k_base counts. */
export const MODEL: ModelProfile = BUILTIN_PROFILES.find(
  (p) => p.name === 'gpt-4o',
) as ModelProfile;

/** A retriever returning fixed scores, restricted to the pool like real ones. */
export function fixedRetriever(
  name: string,
  scores: ReadonlyMap<string, number> | ((id: BlockId) => number | undefined),
): Retriever {
  return {
    name,
    async retrieve(query, { catalog }) {
      const out: ScoredId[] = [];
      for (const id of catalog.ids(query.sessions)) {
        const s = typeof scores === 'function' ? scores(id) : scores.get(id);
        if (s !== undefined) out.push({ id, score: s });
      }
      return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, query.limit);
    },
  };
}

/** A retriever scoring every block of the pool by recency (newest = 1), with the recency role. */
export function newestFirst(name = 'recency'): Retriever {
  return {
    name,
    role: 'recency',
    async retrieve(query, { catalog }) {
      const ids = catalog.ids(query.sessions);
      return ids
        .map((id, i) => ({ id, score: (i + 1) / ids.length }))
        .reverse()
        .slice(0, query.limit);
    },
  };
}

/** A policy with the given retrievers and the default fractions and switches. */
export function policy(
  retrievers: readonly (Retriever | WeightedRetriever)[],
  overrides: Partial<PagePolicy['pager']> = {},
  rest: Partial<PagePolicy> = {},
): PagePolicy {
  return {
    retrievers: retrievers.map((r) => ('retriever' in r ? r : { retriever: r, weight: 1 })),
    sectionBudgets: DEFAULT_CONFIG.sectionBudgets,
    pager: { ...DEFAULT_CONFIG.pager, ...overrides },
    includeTimestamps: false,
    ...rest,
  };
}

/** Puts a small conversation with a tool call and its result (linked), returning the ids. */
export function conversation(
  store: Store,
  session: string,
  turns: number,
  start = 1_700_000_000_000,
) {
  const ids: { user: BlockId[]; assistant: BlockId[]; tools: BlockId[] } = {
    user: [],
    assistant: [],
    tools: [],
  };
  let t = start;
  for (let i = 0; i < turns; i++) {
    const u = store.put({
      session,
      kind: 'user-message',
      body: `question ${i}: what about topic ${i % 7}?`,
      createdAt: (t += 1000),
    }).block.id;
    ids.user.push(u);
    if (i % 3 === 2) {
      const callId = `call_${i}`;
      const a = store.put({
        session,
        kind: 'assistant-message',
        body: `let me compute ${i}`,
        toolCalls: [{ id: callId, name: 'calc', arguments: `{"x":${i}}` }],
        parents: [u],
        createdAt: (t += 1000),
      }).block.id;
      const r = store.put({
        session,
        kind: 'tool-result',
        body: `result ${i * 2}`,
        toolCallId: callId,
        createdAt: (t += 1000),
      }).block.id;
      store.addEdge(a, 'tool-invocation', r);
      ids.assistant.push(a);
      ids.tools.push(r);
      ids.assistant.push(
        store.put({
          session,
          kind: 'assistant-message',
          body: `the answer is ${i * 2}`,
          parents: [u],
          createdAt: (t += 1000),
        }).block.id,
      );
    } else {
      ids.assistant.push(
        store.put({
          session,
          kind: 'assistant-message',
          body: `answer ${i} about topic ${i % 7}`,
          parents: [u],
          createdAt: (t += 1000),
        }).block.id,
      );
    }
  }
  return ids;
}

/**
 * The seed of a property test: PROPERTY_SEED if set, the fixed 386 under CI (so CI is
 * repeatable), else a new random seed per run, printed so a failure can be replayed
 * (`PROPERTY_SEED=<seed> npx vitest run ...`) and added as a regression case.
 */
export function propertySeed(name: string): number {
  if (process.env.PROPERTY_SEED !== undefined) return Number(process.env.PROPERTY_SEED);
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false')
    return 386;
  const seed = Math.floor(Math.random() * 2 ** 31);
  console.log(`${name}: property seed ${seed} (rerun with PROPERTY_SEED=${seed})`);
  return seed;
}
