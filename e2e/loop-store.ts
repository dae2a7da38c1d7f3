// A 2,000-message store built through the runtime for the Turns and Compare journeys: 500 user
// turns of an order-support agent, each a tool loop (the user's question, the assistant's tool
// call, the tool's result, the answer). Every 50th user turn, and the last four, were traced as
// an application would: a call before the tool call and a call after the tool result, each with
// its output and provider usage recorded. The last user turn ran on a model without prices.
// Untraced turns are written in batches (one put per message takes ~10 ms).
import { openRuntime, type BlockId, type PutInput } from '../src-core/index';

export const LOOP_SESSION = 'orders-2k';
export const LOOP_MESSAGES = 2000;
/** A word only the tool result of the last traced user turn holds. */
export const LOOP_RARE_WORD = 'Quokkaship';

export interface LoopStore {
  readonly dir: string;
  /** Traced call ids, oldest first, two per traced user turn. */
  readonly calls: readonly string[];
  /** User turns with traced calls. */
  readonly tracedTurns: number;
  /** The last user turn's tool result (written after its first call: new to the store for the second). */
  readonly lastToolResult: string;
}

/** Builds the store in `dir` and closes it. */
export async function buildLoopStore(dir: string): Promise<LoopStore> {
  const rt = openRuntime(dir);
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 86_400_000;
  const calls: string[] = [];
  let tracedTurns = 0;
  let lastToolResult = '';
  try {
    let batch: PutInput[] = [
      {
        session: LOOP_SESSION,
        kind: 'system',
        body: 'You are the order desk. Look orders up with the orders tool before answering.',
        createdAt: t0,
      },
    ];
    const flush = () => {
      rt.putMany(batch);
      batch = [];
    };
    const turns = LOOP_MESSAGES / 4;
    for (let i = 0; i < turns; i++) {
      const at = t0 + i * 60_000;
      const order = 10_000 + i;
      const traced = i % 50 === 0 || i >= turns - 4;
      const last = i === turns - 1;
      const model = last ? 'gpt-4-turbo' : 'gpt-4o';
      const task = `Reply to the user's latest message: where is order ${order}?`;
      const question: PutInput = {
        session: LOOP_SESSION,
        kind: 'user-message',
        body: `Hello, where is my order ${order}? It was due ${i % 7} days ago.`,
        createdAt: at,
      };
      const toolCall: PutInput = {
        session: LOOP_SESSION,
        kind: 'assistant-message',
        body: `Looking up order ${order}.`,
        toolCalls: [{ id: `call-${i}`, name: 'orders', arguments: JSON.stringify({ order }) }],
        createdAt: at + 1000,
      };
      const carrier = last ? LOOP_RARE_WORD : ['Parcelforce', 'DHL', 'UPS', 'La Poste'][i % 4];
      const result: PutInput = {
        session: LOOP_SESSION,
        kind: 'tool-result',
        body: `Order ${order}: shipped on day ${i % 28} with ${carrier}, tracking ${order * 7}.`,
        toolCallId: `call-${i}`,
        createdAt: at + 2000,
      };
      const answer: PutInput = {
        session: LOOP_SESSION,
        kind: 'assistant-message',
        body: `Your order ${order} shipped with ${carrier}.`,
        createdAt: at + 3000,
      };
      if (!traced) {
        batch.push(question, toolCall, result, answer);
        continue;
      }
      batch.push(question);
      flush();
      // The first call answers with a tool call only (no text).
      const first = await rt.pack({ session: LOOP_SESSION, task, model }, { mode: 'chat' });
      calls.push(first.callId ?? '');
      await rt.recordOutput(first.callId ?? '', '', {
        inputTokens: first.tokens + 40,
        outputTokens: 18,
      });
      const [call, res] = rt.putMany([toolCall, result]).map((r) => r.block.id);
      rt.addEdge(call as BlockId, 'tool-invocation', res as BlockId);
      if (last) lastToolResult = res ?? '';
      const second = await rt.pack({ session: LOOP_SESSION, task, model }, { mode: 'chat' });
      calls.push(second.callId ?? '');
      await rt.recordOutput(
        second.callId ?? '',
        `Your order ${order} shipped with ${carrier}; the tracking number is ${order * 7}.`,
        { inputTokens: second.tokens + 40, outputTokens: 24 },
      );
      tracedTurns++;
      batch.push(answer);
    }
    flush();
    return { dir, calls, tracedTurns, lastToolResult };
  } finally {
    await rt.close();
  }
}
