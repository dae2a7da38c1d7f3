// Evidence recall on real conversations: the LongMemEval_S development split in ../shared/data
// (see its README). One store session per question's history, each turn a block with its
// session's date (source: the haystack session id); the question is the task, paged at its date.
// Counts the evidence turns (has_answer) whose full text is in the packed prompt, for the pager's
// stacks and two baselines a user would otherwise write: BM25 top hits that fit (minisearch
// defaults) and the newest turns that fit. Everything runs twice: with turn times, and with every
// turn at one time (as `ingest` of a transcript without times gives).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import MiniSearch from 'minisearch';
import {
  BUILTIN_PROFILES,
  DEFAULT_CONFIG,
  getTokenizer,
  Store,
  type ModelProfile,
  type PutInput,
  type RetrieverConfig,
} from '../src-core/index';
import { packString, storeSource } from '../src-core/packer/index';
import { page } from '../src-core/pager/index';
import { IndexSet, indexesFor } from '../src-core/retrievers/index';
import { livePolicy, recordedPolicy, type RecordedPolicy } from '../src-core/tracer/index';

const MODEL = BUILTIN_PROFILES.find((p) => p.name === 'gpt-4o') as ModelProfile;
export const DATA = resolve(__dirname, '..', '..', 'shared', 'data', 'longmemeval-s-dev.jsonl.gz');
export const BUDGETS = [1000, 2000, 4000, 8000] as const;

interface Turn {
  readonly role: string;
  readonly content: string;
  readonly has_answer?: boolean;
}

/** One LongMemEval question with its history. */
export interface Question {
  readonly question_id: string;
  readonly question_type: string;
  readonly question: string;
  readonly question_date: string;
  readonly haystack_dates: readonly string[];
  readonly haystack_session_ids: readonly string[];
  readonly haystack_sessions: readonly (readonly Turn[])[];
}

/** `2023/05/30 (Tue) 23:40` as ms (UTC). */
export function parseDate(text: string): number {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) \(\w+\) (\d{2}):(\d{2})$/.exec(text.trim());
  if (m === null) throw new Error(`unexpected date ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The questions of the split that have evidence turns; with `sample`, every k-th of them. */
export function loadQuestions(sample?: number): Question[] {
  if (!existsSync(DATA))
    throw new Error(`no data at ${DATA}: the real-data recall bench needs ../shared/data`);
  const all = gunzipSync(readFileSync(DATA))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Question)
    .filter((q) => q.haystack_sessions.some((s) => s.some((t) => t.has_answer === true)));
  if (sample === undefined || sample >= all.length) return all;
  const step = all.length / sample;
  return Array.from({ length: sample }, (_, i) => all[Math.floor(i * step)] as Question);
}

/** Flattened turns of a question's history, oldest session first. */
export function turnsOf(
  q: Question,
): { text: string; evidence: boolean; at: number; source: string; role: string }[] {
  const order = q.haystack_dates
    .map((d, i) => ({ at: parseDate(d), i }))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const out: { text: string; evidence: boolean; at: number; source: string; role: string }[] = [];
  for (const { at, i } of order) {
    for (const t of q.haystack_sessions[i] ?? []) {
      if (t.content.trim() === '') continue;
      out.push({
        text: t.content,
        evidence: t.has_answer === true,
        at,
        source: q.haystack_session_ids[i] ?? '',
        role: t.role,
      });
    }
  }
  return out;
}

/** Both baselines of the data README, over whole turns counted with o200k_base. */
export function baselines(
  q: Question,
  budgets: readonly number[],
): { bm25: number[]; newest: number[]; evidence: number } {
  const turns = turnsOf(q);
  const tokenizer = getTokenizer('o200k_base');
  const cost = turns.map((t) => tokenizer.count(t.text));
  const evidence = turns.filter((t) => t.evidence).length;
  const search = new MiniSearch<{ id: number; text: string }>({ fields: ['text'] });
  search.addAll(turns.map((t, id) => ({ id, text: t.text })));
  const hits = search.search(q.question).map((h) => h.id as number);
  const bm25 = budgets.map((budget) => {
    let left = budget;
    let found = 0;
    for (const id of hits) {
      const c = cost[id] ?? 0;
      if (c > left) continue;
      left -= c;
      if (turns[id]?.evidence === true) found++;
    }
    return found;
  });
  const newest = budgets.map((budget) => {
    let left = budget;
    let found = 0;
    for (let id = turns.length - 1; id >= 0; id--) {
      const c = cost[id] ?? 0;
      if (c > left) break;
      left -= c;
      if (turns[id]?.evidence === true) found++;
    }
    return found;
  });
  return { bm25, newest, evidence };
}

/** Writes every question's history into the store: session `t<i>` with turn times, `s<i>` with one time. */
export async function loadStore(
  store: Store,
  questions: readonly Question[],
  progress: (done: number) => void,
): Promise<void> {
  indexesFor(store, undefined);
  for (const [i, q] of questions.entries()) {
    const at = parseDate(q.question_date);
    const inputs: PutInput[] = [];
    const turns = turnsOf(q);
    for (const [session, timed] of [
      [`t${i}`, true],
      [`s${i}`, false],
    ] as const) {
      for (const t of turns) {
        inputs.push({
          session,
          kind: t.role === 'assistant' ? 'assistant-message' : 'user-message',
          body: t.text,
          source: t.source,
          createdAt: timed ? t.at : at - 60_000,
        });
      }
    }
    for (let k = 0; k < inputs.length; k += 2000) store.putMany(inputs.slice(k, k + 2000));
    if (i % 10 === 9) await IndexSet.of(store).sync();
    progress(i + 1);
  }
  await IndexSet.of(store).sync();
  await IndexSet.of(store).save();
}

/** The stacks compared: name -> recorded policy. */
export function stacks(): [string, RecordedPolicy][] {
  const base = recordedPolicy(DEFAULT_CONFIG);
  const single = (kind: RetrieverConfig['kind']): RetrieverConfig[] => [
    { kind, name: kind, weight: 1 },
  ];
  const out: [string, RecordedPolicy][] = [['default stack', base]];
  out.push(['default stack, seed max-merge', { ...base, pager: { ...base.pager, fusion: 'max' } }]);
  for (const kind of ['bm25', 'ann', 'lexical', 'recency'] as const)
    out.push([`${kind} alone`, { ...base, retrievers: single(kind) }]);
  // RECALL_EXTRA='name=JSON policy patch;...' adds stacks for exploring (not part of the report).
  for (const spec of (process.env.RECALL_EXTRA ?? '').split(';').filter((x) => x !== '')) {
    const i = spec.indexOf('=');
    const patch = JSON.parse(spec.slice(i + 1)) as Partial<RecordedPolicy>;
    out.push([
      spec.slice(0, i),
      {
        ...base,
        ...patch,
        pager: { ...base.pager, ...patch.pager },
        sectionBudgets: { ...base.sectionBudgets, ...patch.sectionBudgets },
      },
    ]);
  }
  if (process.env.RECALL_ONLY_EXTRA !== undefined)
    return out.filter(
      ([n]) => n === 'default stack' || (!n.startsWith('default') && !n.endsWith('alone')),
    );
  return out;
}

/** Evidence turns of one question found in the packed prompt at each budget, per stack. */
export async function pagerRecall(
  store: Store,
  session: string,
  q: Question,
  policy: Awaited<ReturnType<typeof livePolicy>>,
  recorded: RecordedPolicy,
  budgets: readonly number[],
): Promise<number[]> {
  const evidence = turnsOf(q)
    .filter((t) => t.evidence)
    .map((t) => t.text.trim());
  const now = parseDate(q.question_date);
  const out: number[] = [];
  for (const budget of budgets) {
    const plan = await page(
      store,
      { session, task: q.question, model: MODEL, budget, now },
      policy,
    );
    const prompt = packString(plan, storeSource(store, plan), {
      includeTimestamps: recorded.includeTimestamps,
      now,
    }).prompt;
    out.push(evidence.filter((e) => prompt.includes(e)).length);
  }
  return out;
}

export const STORE_DIR = (work: string) => join(work, 'store');

interface Tally {
  found: number[];
  total: number;
}

function tally(): Tally {
  return { found: BUDGETS.map(() => 0), total: 0 };
}

function add(t: Tally, found: readonly number[], total: number): void {
  found.forEach((f, i) => (t.found[i] = (t.found[i] ?? 0) + f));
  t.total += total;
}

const cells = (t: Tally) => t.found.map((f) => (f / Math.max(1, t.total)).toFixed(3));

/**
 * Runs the whole comparison and prints it: overall recall per budget for every stack and both
 * baselines, with and without turn times, then recall per question type. Returns the overall
 * figures by row name (`<row>|<times|one time>`) for callers that check targets.
 */
export async function runRealRecall(
  work: string,
  sample: number | undefined,
  log: (line: string) => void,
): Promise<Map<string, number[]>> {
  const questions = loadQuestions(sample);
  const started = performance.now();
  const store = Store.init(STORE_DIR(work), { countTokensWith: ['o200k_base'] });
  try {
    let last = 0;
    await loadStore(store, questions, (done) => {
      if (performance.now() - last > 5000 || done === questions.length) {
        last = performance.now();
        process.stderr.write(
          `recall: loaded ${done}/${questions.length} histories (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
      }
    });
    const rows = new Map<string, Tally>();
    const byType = new Map<string, Tally>();
    const row = (name: string) => {
      let t = rows.get(name);
      if (t === undefined) rows.set(name, (t = tally()));
      return t;
    };
    const typeRow = (name: string) => {
      let t = byType.get(name);
      if (t === undefined) byType.set(name, (t = tally()));
      return t;
    };
    for (const q of questions) {
      const b = baselines(q, BUDGETS);
      add(row('BM25 top hits that fit (minisearch)'), b.bm25, b.evidence);
      add(row('newest turns that fit (last N messages)'), b.newest, b.evidence);
      add(typeRow(`${q.question_type}|BM25 top hits`), b.bm25, b.evidence);
    }
    for (const [name, recorded] of stacks()) {
      const policy = await livePolicy(recorded, store);
      for (const [i, q] of questions.entries()) {
        const evidence = turnsOf(q).filter((t) => t.evidence).length;
        for (const [prefix, label] of [
          ['t', 'turn times'],
          ['s', 'one time'],
        ] as const) {
          const found = await pagerRecall(store, `${prefix}${i}`, q, policy, recorded, BUDGETS);
          add(row(`${name}|${label}`), found, evidence);
          if (name === 'default stack')
            add(typeRow(`${q.question_type}|default stack, ${label}`), found, evidence);
        }
      }
      process.stderr.write(
        `recall: ${name} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    }
    const evidence = rows.get('BM25 top hits that fit (minisearch)')?.total ?? 0;
    const head = `| evidence recall | ${BUDGETS.map((b) => `${b / 1000}k`).join(' | ')} |`;
    const rule = `|---|${BUDGETS.map(() => '---').join('|')}|`;
    log(
      `\nEvidence recall on LongMemEval_S dev (${questions.length} questions, ${evidence} evidence turns${sample === undefined ? '' : `, sample of ${sample}`})`,
    );
    log(head);
    log(rule);
    const out = new Map<string, number[]>();
    for (const [name, t] of rows) {
      log(`| ${name.replace('|', ', ')} | ${cells(t).join(' | ')} |`);
      out.set(
        name,
        t.found.map((f) => f / Math.max(1, t.total)),
      );
    }
    log('\nPer question type');
    log(head.replace('evidence recall', 'type, stack'));
    log(rule);
    for (const [name, t] of [...byType].sort(([a], [b]) => (a < b ? -1 : 1)))
      log(`| ${name.replace('|', ', ')} (${t.total}) | ${cells(t).join(' | ')} |`);
    log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
    return out;
  } finally {
    store.close();
  }
}
