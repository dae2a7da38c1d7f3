// A small but realistic store built through the runtime for the e2e specs: an agent planning a
// trip (system prompt, conversation turns, tool calls and results, facts, document chunks, a
// summary, state and plan, typed edges) plus a second, smaller session. Blocks are a minute apart,
// ending shortly before the run; ids are random (the store mints them).
import { Store } from '../src-core/index';

/** Ids of the blocks the specs refer to. */
export interface DemoStore {
  readonly dir: string;
  readonly sessions: readonly string[];
  readonly ids: Readonly<Record<string, string>>;
  /** Blocks in the main session. */
  readonly mainBlocks: number;
}

export const MAIN_SESSION = 'trip-planner';
export const OTHER_SESSION = 'support-bot';
// Three hours ago, a minute per block: recent enough for the recency retriever to tell blocks apart.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3_600_000;

const FACTS = [
  'The Louvre is closed on Tuesdays; the Musée d’Orsay is closed on Mondays.',
  'A Paris Museum Pass for 4 days costs 92 euros and covers more than 50 museums.',
  'The Eurostar from London St Pancras reaches Paris Gare du Nord in about 2 hours 20 minutes.',
  'Berlin’s Museum Island holds five museums, among them the Pergamon and the Neues Museum.',
  'The traveller is vegetarian and prefers quiet hotels near a metro station.',
  'Booking the Eiffel Tower summit online avoids queues of up to two hours in spring.',
  'Paris metro tickets are sold as the Navigo Easy card; single paper tickets were phased out.',
  'The Orangerie shows Monet’s Water Lilies in two oval rooms built for them.',
  'Rome’s Vatican Museums are closed on most Sundays except the last Sunday of the month.',
  'In March, Paris averages highs of 12 °C and rain on about ten days.',
  'The traveller’s budget for lodging is 180 euros a night.',
  'Sainte-Chapelle has fifteen stained-glass windows, each about 15 metres high.',
];

const DOCS = [
  'Guide, chapter 3: Left Bank. Saint-Germain-des-Prés grew around its abbey, the oldest church in Paris. Cafés such as Les Deux Magots and Café de Flore were meeting places for writers. The Luxembourg Garden, laid out in 1612 for Marie de Médicis, offers chess tables, a puppet theatre and the Medici Fountain.',
  'Guide, chapter 5: Museums. The Louvre’s collection spans 35,000 works on display. Enter through the Carrousel entrance to avoid the pyramid queue. The Denon wing holds the Mona Lisa; the Richelieu wing holds the Napoleon III apartments.',
  'Guide, chapter 7: Getting around. Line 1 of the metro is automated and runs along the Champs-Élysées to the Louvre and the Marais. Velib’ bikes can be rented at stations every 300 metres.',
  'Guide, chapter 9: Day trips. Versailles is 40 minutes away by RER C; Giverny, Monet’s garden, opens from April to October.',
];

/** Builds the demo store in `dir` and closes it. */
export function buildDemoStore(dir: string): DemoStore {
  const store = Store.init(dir);
  const ids: Record<string, string> = {};
  let t = T0;
  const next = (step = 60_000) => (t += step);
  try {
    ids.system = store.put({
      session: MAIN_SESSION,
      kind: 'system',
      body: 'You are a meticulous travel planner. Cite facts from memory; never invent prices.',
      createdAt: next(),
    }).block.id;
    FACTS.forEach((body, i) => {
      ids[`fact${i}`] = store.put({
        session: MAIN_SESSION,
        kind: 'fact',
        body,
        createdAt: next(),
        priority: i === 4 ? 0.8 : 0,
        labels: i < 3 ? ['paris'] : [],
      }).block.id;
    });
    DOCS.forEach((body, i) => {
      ids[`doc${i}`] = store.put({
        session: MAIN_SESSION,
        kind: 'document-chunk',
        body,
        createdAt: next(),
        source: `paris-guide.md#${i}`,
      }).block.id;
    });
    const turns = [
      [
        'I want to spend four days in Paris in March. Which museums should I see?',
        'Start with the Louvre and the Musée d’Orsay, then the Orangerie for Monet. Let me check opening days.',
      ],
      ['Can you check which days the Louvre is closed?', 'I will look it up.'],
      [
        'Is the museum pass worth it for me?',
        'For four days with five or more museums, the pass pays for itself.',
      ],
      [
        'What about getting there from London?',
        'The Eurostar takes about 2 hours 20 minutes to Gare du Nord.',
      ],
      ['Find me a quiet hotel near a metro station under my budget.', 'Searching hotels now.'],
      [
        'And a vegetarian dinner near Saint-Germain?',
        'Here are three options near Saint-Germain-des-Prés.',
      ],
    ];
    turns.forEach(([user, assistant], i) => {
      const u = store.put({
        session: MAIN_SESSION,
        kind: 'user-message',
        body: user ?? '',
        createdAt: next(),
      }).block.id;
      ids[`user${i}`] = u;
      const withTool = i === 1 || i === 4;
      const callId = `call-${i}`;
      const a = store.put({
        session: MAIN_SESSION,
        kind: 'assistant-message',
        body: assistant ?? '',
        parents: [u],
        createdAt: next(),
        ...(withTool
          ? {
              toolCalls: [
                {
                  id: callId,
                  name: i === 1 ? 'museum_hours' : 'hotel_search',
                  arguments: i === 1 ? '{"museum":"Louvre"}' : '{"city":"Paris","max_price":180}',
                },
              ],
            }
          : {}),
      }).block.id;
      ids[`assistant${i}`] = a;
      if (withTool) {
        const r = store.put({
          session: MAIN_SESSION,
          kind: 'tool-result',
          body:
            i === 1
              ? '{"museum":"Louvre","closed":["Tuesday"],"hours":"09:00-18:00, Friday until 21:45"}'
              : '{"hotels":[{"name":"Hôtel du Parc Montsouris","price":165,"metro":"Cité Universitaire"},{"name":"Hôtel des Grands Hommes","price":178,"metro":"Luxembourg"}]}',
          toolCallId: callId,
          createdAt: next(),
        }).block.id;
        ids[`result${i}`] = r;
        store.addEdge(a, 'tool-invocation', r);
      }
    });
    ids.summary = store.put({
      session: MAIN_SESSION,
      kind: 'summary',
      body: 'Summary of the first turns: four days in Paris in March; museums chosen (Louvre, Orsay, Orangerie); the pass is worth it.',
      createdAt: next(),
    }).block.id;
    store.addEdge(ids.summary, 'derived-from', ids.user0 ?? '');
    store.addEdge(ids.summary, 'derived-from', ids.assistant0 ?? '');
    ids.state = store.put({
      session: MAIN_SESSION,
      kind: 'state',
      body: 'Dates: 14-17 March. Budget: 180 euros a night. Diet: vegetarian.',
      createdAt: next(),
    }).block.id;
    ids.plan = store.put({
      session: MAIN_SESSION,
      kind: 'plan',
      body: '1. Book Eurostar. 2. Book hotel. 3. Reserve Louvre slot (not Tuesday). 4. Buy 4-day museum pass.',
      createdAt: next(),
    }).block.id;
    store.addEdge(ids.fact0 ?? '', 'supports', ids.assistant1 ?? '');
    store.addEdge(ids.fact1 ?? '', 'supports', ids.assistant2 ?? '');
    store.addEdge(ids.fact3 ?? '', 'contradicts', ids.fact8 ?? '');
    ids.binary = store.put({
      session: MAIN_SESSION,
      kind: 'document-chunk',
      body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]),
      createdAt: next(),
      source: 'map.png',
    }).block.id;

    store.put({
      session: OTHER_SESSION,
      kind: 'system',
      body: 'You answer billing questions politely.',
      createdAt: next(),
    });
    store.put({
      session: OTHER_SESSION,
      kind: 'user-message',
      body: 'Why was I charged twice this month?',
      createdAt: next(),
    });
    store.put({
      session: OTHER_SESSION,
      kind: 'assistant-message',
      body: 'One charge is a pending authorisation; it drops off within five days.',
      createdAt: next(),
    });
    // A fact both sessions know: stored once, in two sessions.
    store.put({ session: OTHER_SESSION, kind: 'fact', body: FACTS[10] ?? '', createdAt: next() });

    const mainBlocks = store.sessions().find((s) => s.session === MAIN_SESSION)?.blocks ?? 0;
    return { dir, sessions: [MAIN_SESSION, OTHER_SESSION], ids, mainBlocks };
  } finally {
    store.close();
  }
}

/** A store with one session of `count` facts, for the virtualised list. */
export function buildLargeStore(dir: string, count: number): DemoStore {
  const store = Store.init(dir);
  try {
    const start = Date.now() - count * 1000;
    const inputs = Array.from({ length: count }, (_, i) => ({
      session: 'bulk',
      kind: 'fact' as const,
      body: `Bulk fact number ${String(i).padStart(5, '0')}: ${i % 3 === 0 ? 'about Paris' : i % 3 === 1 ? 'about Berlin' : 'about Rome'}.`,
      createdAt: start + i * 1000,
    }));
    const ids: Record<string, string> = {};
    for (let i = 0; i < count; i += 1000) {
      store.putMany(inputs.slice(i, i + 1000)).forEach((r, j) => {
        if (i + j === 0) ids.first = r.block.id;
        if (i + j === count - 1) ids.last = r.block.id;
      });
    }
    return { dir, sessions: ['bulk'], ids, mainBlocks: count };
  } finally {
    store.close();
  }
}
