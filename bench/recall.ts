// `npm run bench:recall`: how well does paging choose? A long multi-session conversation with facts
// stated once (and some changed later), questions asked at the end whose evidence turns are known.
// Reports evidence recall (share of evidence turns in the packed prompt) per budget and stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILTIN_PROFILES,
  DEFAULT_CONFIG,
  Store,
  type ModelProfile,
  type PutInput,
  type RetrieverConfig,
} from '../src-core/index';
import { page } from '../src-core/pager/index';
import { DEFAULT_RETRIEVERS, IndexSet, indexesFor } from '../src-core/retrievers/index';
import { livePolicy, recordedPolicy, type RecordedPolicy } from '../src-core/tracer/index';
import { rng, text, vocabulary } from './corpus';
import { runRealRecall } from './recall-real';
import { printTable, type Row } from './table';

const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
const PEOPLE = [
  'Ada',
  'Bruno',
  'Chiara',
  'Dmitri',
  'Esme',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Marek',
  'Nadia',
  'Otto',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tariq',
];
const CITIES = [
  'Lisbon',
  'Porto',
  'Oslo',
  'Bergen',
  'Kyoto',
  'Osaka',
  'Lima',
  'Quito',
  'Accra',
  'Dakar',
  'Hanoi',
  'Perth',
  'Tallinn',
  'Riga',
  'Cusco',
];
const JOBS = [
  'carpenter',
  'nurse',
  'pilot',
  'chemist',
  'baker',
  'architect',
  'librarian',
  'welder',
  'translator',
  'geologist',
];
const PETS = ['parrot', 'tortoise', 'ferret', 'beagle', 'iguana', 'hamster', 'goldfish', 'rabbit'];
const PET_NAMES = [
  'Biscuit',
  'Pepper',
  'Mochi',
  'Ziggy',
  'Nugget',
  'Pickle',
  'Waffles',
  'Tofu',
  'Noodle',
  'Clementine',
];
const COLOURS = ['teal', 'maroon', 'ochre', 'lavender', 'crimson', 'olive', 'amber', 'indigo'];
const SPEAKERS = ['user-message', 'assistant-message'] as const;

interface Question {
  readonly task: string;
  readonly evidence: string[];
}

/** Builds the conversation: ~turns messages over many days, facts stated once, some updated later. */
function conversation(turns: number, seed: number) {
  const random = rng(seed);
  const words = vocabulary(3000, random);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const facts: { at: number; body: string; key: string; question: string }[] = [];
  for (const person of PEOPLE) {
    // Questions are paraphrases: they share the person and at most one topic word with the evidence.
    facts.push({
      at: 0,
      key: `${person}:city`,
      body: `By the way, ${person} lives in ${pick(CITIES)} these days.`,
      question: `Where is ${person} based?`,
    });
    facts.push({
      at: 0,
      key: `${person}:job`,
      body: `${person} told me they work as a ${pick(JOBS)} now.`,
      question: `What is ${person}'s job?`,
    });
    facts.push({
      at: 0,
      key: `${person}:pet`,
      body: `${person} has a pet ${pick(PETS)} called ${pick(PET_NAMES)}.`,
      question: `What did ${person} name the pet?`,
    });
    facts.push({
      at: 0,
      key: `${person}:colour`,
      body: `Remember that ${person}'s favourite colour is ${pick(COLOURS)}.`,
      question: `Which colour does ${person} like best?`,
    });
  }
  // Place each fact at a random turn in the first 90%; a third of the cities move later on.
  for (const f of facts) f.at = Math.floor(random() * turns * 0.9);
  const moves = facts
    .filter((f) => f.key.endsWith(':city') && random() < 0.35)
    .map((f) => {
      const person = f.key.split(':')[0] ?? '';
      return {
        at: f.at + 200 + Math.floor(random() * (turns * 0.95 - f.at - 200)),
        key: f.key,
        body: `Big news: ${person} moved to ${pick(CITIES)} last month.`,
        question: f.question,
      };
    });
  // Follow-ups: said in the last few dozen turns, asked about with no words in common.
  const followUps = [
    ['The meeting with the landlord moved to Thursday at 3pm.', 'So when are we meeting them?'],
    ['I left the spare key under the blue flowerpot.', 'Where did I put it?'],
    ['The wifi password is now hunter-seven-seven.', 'What was the new one?'],
    ['My flight lands at 06:40 tomorrow morning.', 'What time do I arrive?'],
    ['We agreed the budget for the party is 300 euros.', 'How much can we spend?'],
    ['The doctor said to take the tablets twice daily with food.', 'How often should I take them?'],
    ['Our table at Casa Nova is booked for eight people.', 'How many seats did we reserve?'],
    ['The package should arrive on the 14th via courier.', 'When does the delivery come?'],
    ['I renamed the project folder to archive-2026.', 'What is it called now?'],
    ['The plumber charges 45 per hour plus travel.', 'What is his rate?'],
    ['My sister Olga is visiting from Gdansk next week.', 'Who is coming over?'],
    ['The concert was cancelled because of the storm.', 'Is it still happening?'],
    ['I switched my phone plan to the prepaid one.', 'Which option did I choose?'],
    ['The bike lock code is 4-1-9-8.', 'What are the digits?'],
    ['We decided to paint the hallway sage green.', 'What shade did we pick?'],
    ['The car goes in for service on Monday at noon.', 'When is the appointment?'],
  ] as const;
  for (const [i, [body, question]] of followUps.entries()) {
    facts.push({ at: turns - 60 + i * 3, key: `followup:${i}`, body, question });
  }
  const all = [...facts, ...moves.filter((m) => m.at < turns)].sort((a, b) => a.at - b.at);
  const inputs: PutInput[] = [];
  const evidenceIndex = new Map<string, number>();
  let t = Date.UTC(2026, 0, 1);
  let next = 0;
  for (let i = 0; i < turns; i++) {
    t += i % 120 === 0 ? 36 * 3600_000 : 45_000 + Math.floor(random() * 60_000); // a new chat session every 120 turns
    const kind = SPEAKERS[i % 2] as PutInput['kind'];
    const fact = all[next];
    if (fact !== undefined && fact.at <= i) {
      next++;
      evidenceIndex.set(fact.key, inputs.length);
      inputs.push({ session: 'conv', kind, body: fact.body, createdAt: t });
      continue;
    }
    // Distractors: a quarter of the small talk mentions people and the same topics.
    const filler = text(words, 60 + Math.floor(random() * 160), random);
    const r = random();
    const body =
      r < 0.08
        ? `${pick(PEOPLE)} and I talked about ${pick(CITIES)} and the weather again. ${filler}`
        : r < 0.14
          ? `Did ${pick(PEOPLE)} mention the pet shop or the new colour of the house? ${filler}`
          : r < 0.2
            ? `${pick(PEOPLE)} says work has been busy, like every job in ${pick(CITIES)}. ${filler}`
            : r < 0.25
              ? `${pick(PEOPLE)} likes ${pick(COLOURS)} scarves but lives far from the city centre. ${filler}`
              : filler;
    inputs.push({ session: 'conv', kind, body, createdAt: t });
  }
  const questions: Question[] = [];
  for (const f of facts) {
    const index = evidenceIndex.get(f.key);
    if (index !== undefined) questions.push({ task: f.question, evidence: [String(index)] });
  }
  return { inputs, questions, end: t + 60_000 };
}

/** `--sample N` (or RECALL_SAMPLE): every k-th question of the real split, for quick runs. */
function sampleArg(): number | undefined {
  const i = process.argv.indexOf('--sample');
  const value = i >= 0 ? process.argv[i + 1] : process.env.RECALL_SAMPLE;
  return value === undefined ? undefined : Number(value);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'llm386-recall-real-'));
  try {
    if (process.env.RECALL_SYNTHETIC_ONLY === undefined)
      await runRealRecall(work, sampleArg(), (line) => console.log(line));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (process.env.RECALL_REAL_ONLY !== undefined) return;
  await synthetic();
}

async function synthetic(): Promise<void> {
  const turns = Number(process.env.RECALL_TURNS ?? 5000);
  const dir = mkdtempSync(join(tmpdir(), 'llm386-recall-'));
  try {
    const store = Store.init(dir, { countTokensWith: ['o200k_base'] });
    const { inputs, questions, end } = conversation(turns, 386);
    indexesFor(store, DEFAULT_RETRIEVERS);
    const ids: string[] = [];
    for (let i = 0; i < inputs.length; i += 1000)
      ids.push(...store.putMany(inputs.slice(i, i + 1000)).map((r) => r.block.id));
    await IndexSet.of(store).sync();
    await IndexSet.of(store).save();
    const single = (kind: RetrieverConfig['kind']): RetrieverConfig[] => [
      { kind, name: kind, weight: 1 },
    ];
    const base = recordedPolicy(DEFAULT_CONFIG);
    const stacks: [string, RecordedPolicy][] = [
      ['default stack', base],
      ['recency alone', { ...base, retrievers: single('recency') }],
      ['lexical alone', { ...base, retrievers: single('lexical') }],
      ['bm25 alone', { ...base, retrievers: single('bm25') }],
      ['ann alone', { ...base, retrievers: single('ann') }],
      [
        'recency window (last N messages)',
        {
          ...base,
          retrievers: single('recency'),
          sectionBudgets: { state: 0, plan: 0, retrieved: 0, tools: 0, recent: 1, background: 0 },
        },
      ],
    ];
    const budgets = [1000, 2000, 4000, 8000];
    const rows: Row[] = [];
    const recallAt = new Map<string, number>();
    for (const [name, recorded] of stacks) {
      const policy = await livePolicy(recorded, store);
      const cells: string[] = [];
      for (const budget of budgets) {
        let found = 0;
        let total = 0;
        for (const q of questions) {
          const plan = await page(
            store,
            { session: 'conv', task: q.task, model: MODEL, budget, now: end },
            policy,
          );
          const selected = new Set(plan.selected.map((s) => s.id));
          for (const e of q.evidence) {
            total++;
            if (selected.has(ids[Number(e)] as never)) found++;
          }
        }
        const recall = found / Math.max(1, total);
        recallAt.set(`${name}@${budget}`, recall);
        cells.push(`${budget / 1000}k ${(recall * 100).toFixed(1)}%`);
      }
      rows.push({ bench: name, value: cells.join('  '), target: '', ok: undefined });
    }
    const d2 = recallAt.get('default stack@2000') ?? 0;
    const others = stacks.slice(1).map(([n]) => recallAt.get(`${n}@2000`) ?? 0);
    rows.push({
      bench: 'default stack at 2k vs every other',
      value: `${(d2 * 100).toFixed(1)}% vs best other ${(Math.max(...others) * 100).toFixed(1)}%`,
      target: '>= 80% and beats all',
      ok: d2 >= 0.8 && others.every((o) => d2 > o),
    });
    printTable(
      `evidence recall: ${turns} turns, ${questions.length} questions (budgets 1k 2k 4k 8k)`,
      rows,
    );
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
