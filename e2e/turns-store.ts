// A store built for the Compare and What-if specs through the runtime: blocks put, turn 1 packed
// with tracing, then a block deleted and two put, turn 2 packed. So turn 2 against turn 1 adds
// exactly `moved` and `question2`, removes exactly `cat` (block-deleted) and changes only
// `question1`'s reason (turn 1 took it as the newest message, turn 2 for the task's words). Both
// turns run with a small input budget that everything fits in, so halving it must leave blocks out.
import { openRuntime } from '../src-core/index';

export const TURNS_SESSION = 'compare-e2e';
/** The input budget both turns were recorded with. */
export const TURN_BUDGET = 240;

export const TEXT = {
  cat: 'Ada has a cat named Pixel who sleeps on the keyboard.',
  moved: 'Ada moved from Lisbon to Porto in May.',
  question1: 'Where does Ada live?',
  question2: 'And where does she live now?',
} as const;

export interface TurnsStore {
  readonly dir: string;
  readonly calls: readonly [first: string, second: string];
  readonly ids: Readonly<Record<string, string>>;
}

const FACTS = [
  'Ada Lovelace lives in Lisbon, near the river.',
  'Ada works as a mathematician at a small analytics firm.',
  'Ada prefers tea to coffee, green tea in the morning.',
  'Ada’s favourite colour is purple, like her bicycle.',
  'Ada speaks English, Portuguese and some French.',
  'Ada’s manager is called Charles and sits in London.',
  'Ada runs five kilometres on Saturdays along the coast.',
];

/** Builds the store in `dir` (two recorded turns) and closes it. */
export async function buildTurnsStore(dir: string): Promise<TurnsStore> {
  const rt = openRuntime(dir);
  const ids: Record<string, string> = {};
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
  let t = t0;
  const put = (name: string, kind: 'system' | 'fact' | 'user-message', body: string) => {
    t += 60_000;
    ids[name] = rt.put({ session: TURNS_SESSION, kind, body, createdAt: t }).block.id;
  };
  try {
    put('system', 'system', 'You are a helpful assistant who remembers what users tell you.');
    FACTS.forEach((fact, i) => put(`fact${i}`, 'fact', fact));
    put('cat', 'fact', TEXT.cat);
    put('question1', 'user-message', TEXT.question1);
    const first = await rt.pack({
      session: TURNS_SESSION,
      task: 'Answer the user: where does Ada live?',
      budget: TURN_BUDGET,
      now: (t += 1000),
    });
    rt.store.delete(ids.cat ?? '');
    put('moved', 'fact', TEXT.moved);
    put('question2', 'user-message', TEXT.question2);
    const second = await rt.pack({
      session: TURNS_SESSION,
      task: 'Answer the user: where does Ada live now?',
      budget: TURN_BUDGET,
      now: (t += 1000),
    });
    return { dir, calls: [first.callId ?? '', second.callId ?? ''], ids };
  } finally {
    await rt.close();
  }
}
