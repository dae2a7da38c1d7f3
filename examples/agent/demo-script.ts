// What the demo store holds: shared facts, documents, and the conversations the scripted agent has.
// Data only; demo.ts plays it.

/** A fact shared by every session through the `global` session (as if imported from a CRM). */
export interface SharedFact {
  readonly body: string;
  readonly source: string;
  readonly labels?: readonly string[] | undefined;
  readonly priority?: number | undefined;
}

/** The `global` session's facts. */
export const SHARED_FACTS: readonly SharedFact[] = [
  {
    body: "Never share one customer's account details with another customer.",
    source: 'policy',
    labels: ['pinned'],
    priority: 1,
  },
  { body: 'Ada Lovelace lives in London.', source: 'crm' },
  { body: "Ada Lovelace's plan is Pro.", source: 'crm' },
  { body: 'Bo Chen lives in Toronto.', source: 'crm' },
  { body: "Bo Chen's plan is Free.", source: 'crm' },
  { body: 'Support hours are 9:00 to 17:00 UTC, Monday to Friday.', source: 'handbook' },
  {
    body: 'Refunds are possible within 30 days of purchase, in full, to the original payment method.',
    source: 'handbook',
  },
  {
    body: 'The Pro plan includes priority support, 100 GB of storage and audit logs.',
    source: 'handbook',
  },
  { body: 'The Free plan includes community support and 5 GB of storage.', source: 'handbook' },
];

/** A document, stored as one `document-chunk` block per paragraph. */
export interface DemoDocument {
  readonly name: string;
  readonly paragraphs: readonly string[];
}

/** The research session's documents. */
export const DOCUMENTS: readonly DemoDocument[] = [
  {
    name: 'bm25.md',
    paragraphs: [
      'BM25 ranks documents for a query by summing, over the query terms, the inverse document frequency of each term times a saturated term frequency.',
      'The k1 parameter controls term frequency saturation: with k1 near 1.2, the tenth occurrence of a term adds far less than the second. Setting k1 to 0 ignores term frequency entirely.',
      'The b parameter controls length normalisation: b = 0.75 penalises long documents moderately, b = 0 disables length normalisation.',
      'BM25+ adds a small constant delta to every matching term so that long documents are never scored below documents that do not match at all.',
    ],
  },
  {
    name: 'lmdb.md',
    paragraphs: [
      'LMDB is a memory-mapped key-value store with copy-on-write B+ trees. Readers never block writers and writers never block readers.',
      'LMDB allows one writer at a time per environment; concurrent readers each see a consistent snapshot from the moment their read transaction began.',
      'A crash never corrupts LMDB: a commit either reaches the meta page or it did not happen, so there is no recovery step after a power loss.',
    ],
  },
  {
    name: 'context-windows.md',
    paragraphs: [
      'A context window is the number of tokens a model can attend to in one call, input and output together; the input budget is what is left after reserving output tokens and a safety margin.',
      'When a conversation outgrows the budget, a summary of older messages can replace them: the summary keeps the gist in a fraction of the tokens, and the messages stay in the store for later.',
      'Tool results must travel with the assistant message that called them: a provider rejects a tool result whose call is missing, and a call whose result is missing.',
      'Putting stable content first lets providers cache the prompt prefix, which cuts the cost and latency of repeated calls.',
    ],
  },
];

/** One scripted user turn, optionally with a small input budget (so the pager must leave blocks out). */
export interface DemoTurn {
  readonly say: string;
  readonly budget?: number | undefined;
}

/** One conversation of the demo. */
export interface DemoSession {
  readonly session: string;
  /** The scripted model's profile and pack mode for this session. */
  readonly profile: string;
  readonly mode: 'chat' | 'openai' | 'anthropic';
  readonly turns: readonly DemoTurn[];
  /** Summarise the older messages after this many turns (keeping the newest four). */
  readonly summarizeAfter?: readonly number[] | undefined;
  /** Let unused section budget flow to other sections (default true); off, blocks are left out for `section-budget`. */
  readonly spill?: boolean | undefined;
}

/** The demo's conversations, played in order. */
export const DEMO_SESSIONS: readonly DemoSession[] = [
  {
    session: 'support-ada',
    profile: 'gpt-4o',
    mode: 'openai',
    summarizeAfter: [10],
    turns: [
      { say: 'Hi, my name is Ada Lovelace.' },
      { say: 'I live in London.' },
      { say: 'Look up my account please.' },
      { say: 'What is 49.99 * 12?' },
      { say: 'What are your support hours?' },
      { say: 'I work as a mathematician.' },
      { say: 'Are refunds possible after 20 days?' },
      { say: 'What is 2^16 - 1?', budget: 700 },
      { say: 'my favorite color is purple' },
      { say: 'Does the Pro plan include audit logs?' },
      { say: 'What do you know about me?', budget: 600 },
      { say: 'What is (120 + 80) * 3 / 4?' },
      { say: 'Where do I live?', budget: 500 },
      { say: 'Thanks!' },
    ],
  },
  {
    session: 'support-bo',
    profile: 'gpt-4o-mini',
    mode: 'chat',
    summarizeAfter: [9],
    turns: [
      { say: 'Hello, my name is Bo Chen.' },
      { say: 'Look up my profile' },
      { say: 'I moved to Vancouver now.' },
      { say: 'Where do I live?' },
      { say: 'What is 0.15 * 80?' },
      { say: 'Does the Free plan include community support?' },
      { say: 'I work at Northwind Traders.' },
      { say: 'Look up the profile for dee', budget: 650 },
      { say: 'Where do I work?' },
      { say: 'What is 1024 / 16 + 7?', budget: 550 },
      { say: 'What is my name?', budget: 500 },
      { say: 'Thank you!' },
    ],
  },
  {
    session: 'research',
    profile: 'claude-sonnet-4-5',
    mode: 'anthropic',
    spill: false,
    summarizeAfter: [8],
    turns: [
      { say: 'My name is Cy Okafor and I work as a research engineer.' },
      { say: 'What does the k1 parameter of BM25 do?' },
      { say: 'How does LMDB handle concurrent readers?' },
      { say: 'What is 128000 - 16384 - 256?' },
      { say: 'What is a context window and an input budget?' },
      { say: 'When can a summary replace older messages?' },
      { say: 'Why must tool results travel with their calls?', budget: 900 },
      { say: 'What does the b parameter of BM25 control?', budget: 700 },
      { say: 'Is LMDB safe after a crash or power loss?', budget: 650 },
      { say: 'What is 0.75 * 0.75?' },
      { say: 'What do you know about me?', budget: 600 },
      { say: 'Why put stable content first in the prompt cache prefix?', budget: 800 },
    ],
  },
];
