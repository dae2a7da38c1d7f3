// The pager's behaviour, pinned: a fixed store, 50 fixed page+pack requests, and the sha256 of
// each packed prompt, its plan (without timings) and `budget.used`, compared with a committed
// file. A refactor of the pager must leave every hash as it was. After a deliberate change of
// behaviour, regenerate: UPDATE_PROMPT_HASHES=1 npx vitest run --config vitest.config.mts
// --project unit src-core/pager/prompt-hashes.test.ts (and say why in the commit).
// The retrievers are small fixed ones written here, so work on src-core/retrievers cannot move
// the hashes; the store's clock and id source are seeded, so its ids are the same on every run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  isLlm386Error,
  seededIdSource,
  sha256Hex,
  type BlockId,
  type Section,
} from '../base/index';
import { BUILTIN_PROFILES, type ModelProfile, type SectionBudgets } from '../config/index';
import {
  canonicalJson,
  packChat,
  packString,
  storeSource,
  toAnthropicRequest,
  toOpenAiRequest,
} from '../packer/index';
import type { Retriever, ScoredId } from '../retrievers/index';
import type { Store } from '../store/index';
import { tempStore } from '../store/test-helpers';
import { page } from './pager';
import type { PageRequest, WeightedRetriever } from './request';
import type { Plan, Rendering } from './plan';
import { newestFirst, policy } from './test-fixtures';

const FIXTURE = join(__dirname, 'fixtures', 'prompt-hashes.json');
const NOW = 1_800_000_000_000;

const profile = (name: string) => BUILTIN_PROFILES.find((p) => p.name === name) as ModelProfile;
const MODELS: readonly ModelProfile[] = [
  profile('gpt-4o'),
  profile('gpt-4o'),
  // Approximate counts (cl100k_base standing in for Anthropic's tokenizer).
  profile('claude-sonnet-4-5'),
  { ...profile('gpt-4o'), name: 'no-tools', supportsTools: false, supportsSystemRole: false },
];

const WORDS = [
  'deploy',
  'region',
  'billing',
  'cache',
  'latency',
  'invoice',
  'schema',
  'rollout',
  'alpha',
  'beta.',
  '/help',
  'ok!',
  'the',
  '42',
  'é',
  '日本',
  'index',
  'query',
  'timeout',
  'retry',
];

/** A deterministic body of `n` words from the vocabulary, chosen by `seed`. */
function words(seed: number, n: number): string {
  const out: string[] = [];
  let x = seed * 7919 + 17;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length] as string);
  }
  return out.join(' ');
}

interface Fixture {
  readonly store: Store;
  readonly cleanup: () => void;
  /** The write sequence halfway through building: replayed requests page the store as it was then. */
  readonly midSeq: number;
  /** Ids the requests name: required blocks and bodies to report as corrupt. */
  readonly named: Record<string, BlockId>;
}

/** The store every request pages; the same bytes and ids on every run (clock and ids are seeded). */
function buildStore(): Fixture {
  const t = tempStore({ ids: seededIdSource('prompt-hashes', sha256Hex) });
  const { store } = t;
  const named: Record<string, BlockId> = {};
  let time = 1_700_000_000_000;
  const at = () => (time += 1000);
  const facts: BlockId[] = [];
  const docs: BlockId[] = [];
  const recent: BlockId[] = [];
  const summaries: BlockId[] = [];
  let midSeq = 0;

  store.put({
    session: 'main',
    kind: 'system',
    body: 'You are a careful assistant.',
    createdAt: at(),
  });
  // Global sessions: facts and documents every call of the pool can see; one fact also in main.
  for (let i = 0; i < 12; i++) {
    const id = store.put({
      session: 'g',
      kind: i % 3 === 0 ? 'document-chunk' : 'fact',
      body: `global ${i}: ${words(1000 + i, 6 + (i % 5) * 4)}`,
      priority: (i % 4) / 4,
      createdAt: at(),
    }).block.id;
    if (i === 4) named.globalFact = id;
  }
  store.put({ session: 'main', kind: 'fact', body: 'global 4: shared', createdAt: at() });
  store.put({ session: 'g', kind: 'fact', body: 'global 4: shared', createdAt: at() });
  // A session outside every pool: a dependency's far end that the pager reads from the store.
  const outside = store.put({
    session: 'side',
    kind: 'fact',
    body: `outside the pool: ${words(77, 8)}`,
    createdAt: at(),
  }).block.id;
  // A dependency chain longer than a unit may be (64 blocks): with dependencies, its newer links
  // cannot travel whole.
  let link: BlockId | undefined;
  for (let k = 0; k < 70; k++)
    link = store.put({
      session: 'main',
      kind: 'fact',
      body: `link ${k} of the chain`,
      createdAt: at(),
      ...(link === undefined ? {} : { parents: [link] }),
    }).block.id;

  for (let i = 0; i < 48; i++) {
    if (i === 30) midSeq = store.changeSeq();
    const user = store.put({
      session: 'main',
      kind: 'user-message',
      // Every ninth question repeats an earlier one: a repeated body in the window.
      body: i % 9 === 8 ? 'ok, thanks.' : `question ${i}: ${words(i, 5 + (i % 6))}?`,
      createdAt: at(),
      ...(i % 5 === 2 ? { name: 'Ana' } : {}),
    }).block.id;
    recent.push(user);
    if (i % 4 === 1) {
      // A tool call with one result, two results, or none (unanswered).
      const two = i % 12 === 5;
      const unanswered = i % 16 === 9;
      const calls = two
        ? [
            { id: `call_${i}a`, name: 'search', arguments: `{"q":"${words(i, 2)}"}` },
            { id: `call_${i}b`, name: 'calc', arguments: ` /a ${i} ` },
          ]
        : [{ id: `call_${i}`, name: 'search', arguments: `{"q":"/x ${i}"}` }];
      const caller = store.put({
        session: 'main',
        kind: 'assistant-message',
        body: `let me look that up (${i}).`,
        toolCalls: calls,
        parents: [user],
        createdAt: at(),
      }).block.id;
      if (!unanswered)
        for (const call of calls) {
          const result = store.put({
            session: 'main',
            kind: 'tool-result',
            // Two calls get the same answer: the later pair cannot be shown whole.
            body:
              i === 17 || i === 41
                ? 'no results.'
                : `result for ${call.id}: ${words(i + 500, 10 + (i % 3) * 15)}`,
            toolCallId: call.id,
            createdAt: at(),
          }).block.id;
          store.addEdge(caller, 'tool-invocation', result);
          if (i === 13) named.toolResult = result;
        }
    }
    const answer = store.put({
      session: 'main',
      kind: 'assistant-message',
      body: i % 11 === 10 ? 'ok, thanks.' : `answer ${i}: ${words(i + 100, 8 + (i % 7) * 3)}.`,
      parents: [user],
      createdAt: at(),
    }).block.id;
    recent.push(answer);
    named.newest = answer;
    if (i % 3 === 0) {
      const parent = facts[facts.length - 2];
      const fact = store.put({
        session: 'main',
        kind: 'fact',
        body: `fact ${i}: ${words(i + 200, 6 + (i % 4) * 5)}`,
        priority: i % 6 === 0 ? 0.8 : 0,
        labels: i === 12 ? ['pinned'] : [],
        createdAt: at(),
        // Dependency chains: a fact derived from an earlier one.
        ...(parent !== undefined && i % 2 === 0 ? { parents: [parent] } : {}),
      }).block.id;
      facts.push(fact);
      if (i === 9) named.fact = fact;
      if (i === 21) store.addEdge(fact, 'parent', outside);
      const doc = docs[docs.length - 1];
      if (doc !== undefined && i % 9 === 3) store.addEdge(fact, 'derived-from', doc);
    }
    if (i % 7 === 3) {
      const doc = store.put({
        session: 'main',
        kind: 'document-chunk',
        body: `/doc ${i}\n${words(i + 300, 40 + (i % 3) * 30)}`,
        createdAt: at(),
      }).block.id;
      docs.push(doc);
      if (i === 10) named.doc = doc;
    }
    if (i % 6 === 4) {
      // Near-duplicates: the same words in another order, one word changed.
      const base = words(i + 400, 12).split(' ');
      for (let k = 0; k < 3; k++) {
        const variant = [...base];
        variant[k] = WORDS[(i + k) % WORDS.length] as string;
        if (k === 2) variant.reverse();
        store.put({
          session: 'main',
          kind: 'fact',
          body: `note: ${variant.join(' ')}`,
          createdAt: at(),
        });
      }
    }
    if (i % 8 === 7) {
      // A summary of the last messages and facts, derived from them; most messages have two.
      const summary = store.put({
        session: 'main',
        kind: 'summary',
        body: `summary of turns ${i - 15}-${i}: ${words(i + 600, 10)}`,
        createdAt: at(),
      }).block.id;
      summaries.push(summary);
      for (const id of [...recent.slice(-24), ...facts.slice(-3), ...docs.slice(-1)])
        store.addEdge(summary, 'derived-from', id);
    }
    if (i === 20 || i === 40)
      store.put({
        session: 'main',
        kind: 'state',
        body: `state at ${i}: ${words(i, 9)}`,
        createdAt: at(),
      });
    if (i === 24)
      store.put({
        session: 'main',
        kind: 'plan',
        body: `plan: ${words(i + 700, 14)}`,
        createdAt: at(),
      });
    if (i === 26) {
      // A tool result no caller answers: never rendered as a tool message.
      store.put({
        session: 'main',
        kind: 'tool-result',
        body: 'orphan result',
        toolCallId: 'call_none',
        createdAt: at(),
      });
    }
    if (i === 36) {
      // Edges added after the mid watermark between blocks that existed before it.
      store.addEdge(facts[2] as BlockId, 'parent', facts[0] as BlockId);
      store.addEdge(summaries[0] as BlockId, 'derived-from', facts[1] as BlockId);
      store.addEdge(facts[4] as BlockId, 'derived-from', docs[0] as BlockId);
    }
    if (i === 3)
      named.bigDoc = store.put({
        session: 'main',
        kind: 'document-chunk',
        body: words(999, 600),
        createdAt: at(),
      }).block.id;
    if (i % 5 === 1)
      // Lines that start with a slash after lines that end in punctuation: o200k joins them.
      store.put({
        session: 'main',
        kind: 'fact',
        body: `/${words(i + 800, 3 + (i % 4))}.`,
        createdAt: at(),
      });
  }
  return { store, cleanup: t.cleanup, midSeq, named };
}

/** Scores every block of the pool by how many of the task's words its body holds. */
function wordsRetriever(store: Store): Retriever {
  return {
    name: 'words',
    async retrieve(query, { catalog }) {
      const terms = new Set(query.task.toLowerCase().split(/\s+/));
      const out: ScoredId[] = [];
      for (const id of catalog.ids(query.sessions)) {
        const record = catalog.record(id);
        if (record === undefined) continue;
        let n = 0;
        for (const w of store.text(record).toLowerCase().split(/\s+/)) if (terms.has(w)) n++;
        if (n > 0) out.push({ id, score: n });
      }
      return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, query.limit);
    },
  };
}

/** The pinned blocks of the pool, as an inclusion retriever. */
const pinned: Retriever = {
  name: 'pinned',
  role: 'inclusion',
  async retrieve(query, { catalog }) {
    const out: ScoredId[] = [];
    for (const id of catalog.ids(query.sessions))
      if (catalog.record(id)?.labels.includes('pinned') === true) out.push({ id, score: 1 });
    return out;
  },
};

/** Scores every block alike: flat, so it adds nothing under relevance fusion. */
const flat: Retriever = {
  name: 'flat',
  async retrieve(query, { catalog }) {
    return catalog
      .ids(query.sessions)
      .map((id) => ({ id, score: 0.5 }))
      .slice(0, query.limit);
  },
};

// #14 at 173, #24 at 334 and #46 at 219: joins push the exact count over and a block is trimmed.
const BUDGETS = [
  150, 200, 256, 300, 350, 400, 500, 600, 700, 800, 900, 1000, 1200, 1400, 173, 1800, 2000, 2500,
  3000, 3500, 4000, 5000, 6000, 7000, 334, 10_000, 12_000, 14_000, 16_000, 20_000, 24_000, 32_000,
  40_000, 48_000, 64_000, 80_000, 96_000, 112_000, 128_000, 128_000, 450, 750, 1100, 1300, 2200,
  2800, 219, 9000, 128_000, 1000,
];
const TASKS = [
  'what about the deploy region latency?',
  '/help with billing invoice schema',
  'cache timeout retry',
  'alpha beta. 42 日本',
  'summarise the rollout and index query',
];
const RENDERINGS: readonly Rendering[] = ['string', 'chat', 'openai', 'anthropic'];
const FRACTIONS: readonly (SectionBudgets | undefined)[] = [
  undefined,
  { state: 0.05, plan: 0.05, retrieved: 0.2, tools: 0.1, recent: 0.5, background: 0.05 },
  { state: 0.15, plan: 0.15, retrieved: 0.15, tools: 0.15, recent: 0.15, background: 0.15 },
  { state: 0, plan: 0, retrieved: 0.9, tools: 0, recent: 0.05, background: 0 },
];
const NO_RECENT = {
  state: 0.1,
  plan: 0.1,
  retrieved: 0.7,
  tools: 0.05,
  recent: 0,
  background: 0.05,
};
const STABLE: readonly (readonly Section[])[] = [['system', 'background'], ['system'], []];

interface Case {
  readonly name: string;
  readonly request: PageRequest;
  readonly policy: ReturnType<typeof policy>;
  /** Block hashes the store reports as corrupt during this request. */
  readonly corrupt: readonly string[];
}

/** The 50 requests: each parameter cycles with its own period, so the combinations vary. */
function cases(f: Fixture): Case[] {
  return BUDGETS.map((budget, i) => caseAt(f, i, budget));
}

/** Request `i` of the set, at a budget. */
function caseAt(f: Fixture, i: number, budget: number): Case {
  const { store, named } = f;
  const rendering = RENDERINGS[i % 4] as Rendering;
  const model = MODELS[Math.floor(i / 4) % 4] as ModelProfile;
  const spill = i % 2 === 0;
  const includeDependencies = Math.floor(i / 2) % 2 === 0;
  const timestamps = i % 3 === 0;
  const fusion = i % 7 === 6 ? 'max' : 'relevance';
  const accounting = i % 11 === 10 ? 'bound' : 'exact';
  const redundancyThreshold = i % 5 === 4 ? 0.6 : 1;
  const summarySubstitution = i % 9 !== 8;
  // #4: the newest message is required and Recent is too small for its header (string).
  const fractions = i === 4 ? NO_RECENT : FRACTIONS[i % 4 === 0 ? (i / 4) % 4 : i % 3];
  const stable = STABLE[i % 3] as readonly Section[];
  const retrievers: WeightedRetriever[] = [
    { retriever: newestFirst(), weight: i % 5 === 1 ? 1 : 0.5 },
    { retriever: wordsRetriever(store), weight: 1, ...(i % 10 === 3 ? { limit: 12 } : {}) },
    { retriever: pinned, weight: 2 },
    ...(i % 7 === 2 ? [{ retriever: flat, weight: 1 }] : []),
  ];
  const required =
    i === 4
      ? [named.newest as string]
      : i === 40
        ? [named.bigDoc as string] // budget-exceeded
        : i % 6 === 1
          ? [named.fact as string, named.toolResult as string]
          : i % 13 === 7
            ? [named.globalFact as string]
            : undefined;
  const session = i === 49 ? 'fresh' : 'main';
  const corrupt = i % 13 === 12 ? [named.doc as string, named.fact as string] : [];
  const p = policy(
    retrievers,
    {
      spill,
      includeDependencies,
      summarySubstitution,
      redundancyThreshold,
      fusion,
      accounting,
      globalSessions: ['g'],
    },
    {
      ...(fractions === undefined ? {} : { sectionBudgets: fractions }),
      includeTimestamps: timestamps,
      stableSections: stable,
      ...(i % 8 === 3 ? { retrieverLimit: 30 } : {}),
    },
  );
  const request: PageRequest = {
    session,
    task: TASKS[i % 5] as string,
    model,
    budget,
    now: NOW,
    rendering,
    ...(required === undefined ? {} : { required }),
    ...(i % 6 === 5 ? { asOfSeq: f.midSeq } : {}),
  };
  const name = [
    `#${i}`,
    `budget ${budget}`,
    accounting === 'bound' ? 'bound' : rendering,
    model.name,
    fusion,
    spill ? 'spill' : 'no-spill',
    includeDependencies ? 'deps' : 'no-deps',
    timestamps ? 'timestamps' : '',
    redundancyThreshold < 1 ? 'near-duplicates' : '',
    summarySubstitution ? '' : 'no-summaries',
    required === undefined ? '' : 'required',
    i % 6 === 5 ? 'as-of-seq' : '',
    corrupt.length > 0 ? 'corrupt' : '',
    session === 'fresh' ? 'empty session' : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
  return {
    name,
    request,
    policy: p,
    corrupt: corrupt.map((id) => store.getRecord(id)?.hash as string),
  };
}

interface Outcome {
  readonly name: string;
  /** `budget.used`, or the error code. */
  readonly used: number | string;
  /** sha256 of the packed prompt (chat renderings: of the canonical JSON of what is sent). */
  readonly prompt: string;
  /** sha256 of the canonical JSON of the plan without its timings. */
  readonly plan: string;
}

/** A plan without what the clock measures (timings, each retriever's ms). */
function timeless(plan: Plan): unknown {
  const { timings: _timings, retrievers, ...rest } = plan;
  return { ...rest, retrievers: retrievers.map(({ ms: _ms, ...r }) => r) };
}

async function run(f: Fixture, c: Case): Promise<Outcome> {
  const { store } = f;
  const knownCorrupt = store.knownCorrupt.bind(store);
  if (c.corrupt.length > 0) {
    const bad = new Set(c.corrupt);
    store.knownCorrupt = (hash) => bad.has(hash) || knownCorrupt(hash);
  }
  let plan: Plan;
  try {
    plan = await page(store, c.request, c.policy);
  } catch (error) {
    if (isLlm386Error(error)) return { name: c.name, used: error.code, prompt: '', plan: '' };
    throw error;
  } finally {
    store.knownCorrupt = knownCorrupt;
  }
  const opts = {
    includeTimestamps: c.policy.includeTimestamps,
    stableSections: c.policy.stableSections,
  };
  const source = storeSource(store, plan);
  let prompt: string;
  if (plan.rendering === undefined) {
    // `bound`: the plan fits both renderings.
    prompt = sha256Hex(
      packString(plan, source, opts).prompt + canonicalJson(packChat(plan, source, opts).messages),
    );
  } else if (plan.rendering === 'string') {
    const packed = packString(plan, source, opts);
    expect(packed.tokens, c.name).toBe(plan.budget.used);
    prompt = sha256Hex(packed.prompt);
  } else {
    const chat = packChat(plan, source, opts);
    expect(chat.tokens, c.name).toBe(plan.budget.used);
    prompt = sha256Hex(
      plan.rendering === 'chat'
        ? canonicalJson(chat.messages)
        : plan.rendering === 'openai'
          ? canonicalJson(toOpenAiRequest(chat, plan.model))
          : canonicalJson(toAnthropicRequest(chat, plan.model)),
    );
  }
  return {
    name: c.name,
    used: plan.budget.used,
    prompt,
    plan: sha256Hex(canonicalJson(timeless(plan))),
  };
}

let fixture: Fixture;
beforeAll(() => {
  fixture = buildStore();
});
afterAll(() => fixture.cleanup());

it('pages and packs the 50 fixed requests to the committed prompt hashes', async () => {
  const all = cases(fixture);
  expect(all).toHaveLength(50);
  const outcomes: Outcome[] = [];
  for (const c of all) outcomes.push(await run(fixture, c));
  if (process.env.UPDATE_PROMPT_HASHES === '1') {
    writeFileSync(FIXTURE, `${JSON.stringify(outcomes, null, 2)}\n`);
    return;
  }
  expect(existsSync(FIXTURE), `${FIXTURE} is missing: run with UPDATE_PROMPT_HASHES=1`).toBe(true);
  const committed = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Outcome[];
  expect(outcomes).toEqual(committed);
});

it('fills again when joins put the exact count over and no block can leave alone', async () => {
  // Request #0 (string, timestamps, dependencies) at 533-543 tokens: its selection is one unit of
  // dependencies whose joined lines count 544; it used to fail with an internal invariant error.
  for (let budget = 533; budget <= 543; budget++) {
    const outcome = await run(fixture, caseAt(fixture, 0, budget));
    expect(typeof outcome.used === 'number' && outcome.used <= budget, `${budget}`).toBe(true);
  }
});
