import { Store, type PutInput } from '../src-core/index';
import { IndexSet } from '../src-core/retrievers/index';
import { rng, text, vocabulary } from './corpus';

/** A realistic mixed session: messages (with tool calls), facts, documents, summaries, a system block. */
export function mixedInputs(
  n: number,
  session: string,
  seed = 1,
): { inputs: PutInput[]; words: string[] } {
  const random = rng(seed);
  const words = vocabulary(8000, random);
  const inputs: PutInput[] = [
    { session, kind: 'system', body: 'You are a careful assistant. Use the retrieved facts.' },
  ];
  let call = 0;
  while (inputs.length < n) {
    const r = random();
    if (r < 0.6) {
      inputs.push({
        session,
        kind: inputs.length % 2 === 0 ? 'user-message' : 'assistant-message',
        body: text(words, 120 + Math.floor(random() * 200), random),
      });
    } else if (r < 0.66) {
      const id = `call_${call++}`;
      inputs.push({
        session,
        kind: 'assistant-message',
        body: text(words, 60, random),
        toolCalls: [
          { id, name: 'lookup', arguments: `{"q":"${words[Math.floor(random() * 500)] ?? 'x'}"}` },
        ],
      });
      inputs.push({ session, kind: 'tool-result', body: text(words, 150, random), toolCallId: id });
    } else if (r < 0.86) {
      inputs.push({
        session,
        kind: 'fact',
        body: text(words, 80 + Math.floor(random() * 80), random),
        priority: Math.round(random() * 10) / 10,
      });
    } else if (r < 0.97) {
      inputs.push({
        session,
        kind: 'document-chunk',
        body: text(words, 600 + Math.floor(random() * 600), random),
      });
    } else {
      inputs.push({ session, kind: 'summary', body: text(words, 200, random) });
    }
  }
  return { inputs: inputs.slice(0, n), words };
}

/**
 * Writes inputs in batches with every index maintained at write time (as `llm386 ingest` does),
 * linking tool calls to their results. Returns blocks per second.
 */
export async function ingestWithIndexes(
  store: Store,
  inputs: readonly PutInput[],
  batch = 2000,
): Promise<number> {
  const t0 = performance.now();
  const callers = new Map<string, string>();
  const indexes = IndexSet.of(store);
  for (let i = 0; i < inputs.length; i += batch) {
    const slice = inputs.slice(i, i + batch);
    store.transaction(() => {
      const results = store.putMany(slice);
      results.forEach((res, j) => {
        const input = slice[j];
        for (const c of input?.toolCalls ?? []) callers.set(c.id, res.block.id);
        const caller = input?.toolCallId === undefined ? undefined : callers.get(input.toolCallId);
        if (caller !== undefined) store.addEdge(caller, 'tool-invocation', res.block.id);
      });
    });
    await indexes.sync();
  }
  await indexes.save();
  return inputs.length / ((performance.now() - t0) / 1000);
}

/** A task of `n` words drawn from the vocabulary. */
export function task(words: readonly string[], n: number, seed: number): string {
  const random = rng(seed);
  return Array.from(
    { length: n },
    () => words[Math.floor(Math.pow(random(), 1.5) * words.length)] ?? 'word',
  ).join(' ');
}
