// The LangGraph demo: a fact told in one process is recalled in the next from the store alone, and
// the fact's block is in the traced prompt of the recalling call; the inspector lists the turns.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bodyText,
  decodeUtf8,
  getTrace,
  openRuntime,
  tracePrompt,
  type Runtime,
} from '../../src-core/index';
import { createApiHandlers } from '../../src-main/api/handlers';
import { buildAgent, runTurn } from './graph';
import { PromptOnlyChatModel } from './offline-model';

const ROOT = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'llm386-langgraph-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One turn in its own process, offline, as `npm run example:langgraph -- --store DIR "message"` runs it. */
function turnInNewProcess(store: string, message: string): { reply: string; callIds: string[] } {
  const out = execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(__dirname, 'main.ts'),
      '--store',
      store,
      '--offline',
      '--json',
      message,
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, OPENAI_API_KEY: '' },
    },
  );
  return JSON.parse(out) as { reply: string; callIds: string[] };
}

function text(rt: Runtime, id: string): string {
  const block = rt.store.get(id);
  return block === undefined ? '' : bodyText(block.body, block.hash, decodeUtf8);
}

describe('the LangGraph agent across a restart', () => {
  it("recalls a fact told in an earlier process, from the fact's block in its traced prompt", async () => {
    const store = join(dir, 'restart');
    const first = turnInNewProcess(store, 'Hi, my name is Ada Lovelace and I live in London.');
    expect(first.reply).toContain('Ada Lovelace');
    const second = turnInNewProcess(store, 'What is my name?');
    expect(second.reply).toBe('Your name is Ada Lovelace.');

    const rt = openRuntime(store);
    try {
      const fact = rt.store
        .list('langgraph')
        .find(
          (r) => r.kind === 'user-message' && text(rt, r.id).includes('my name is Ada Lovelace'),
        );
      expect(fact).toBeDefined();
      const recall = getTrace(rt.store, second.callIds.at(-1) as string);
      expect(recall.plan.selected.map((s) => s.id)).toContain(fact!.id);
      expect(decodeUtf8(tracePrompt(rt.store, recall) ?? new Uint8Array())).toContain(
        'my name is Ada Lovelace',
      );
      expect(recall.output?.text).toBe('Your name is Ada Lovelace.');

      // The inspector's Turns view lists both processes' calls, answered.
      const api = createApiHandlers({ store: rt.store, config: rt.config });
      const turns = await api['turns.list']({ session: 'langgraph' });
      expect(turns.ok).toBe(true);
      const listed = turns.ok ? turns.value.turns : [];
      expect(listed.map((t) => t.callId)).toEqual([...first.callIds, ...second.callIds]);
      expect(listed.every((t) => t.hasOutput)).toBe(true);
    } finally {
      await rt.close();
    }
  }, 180_000);
});

describe('the LangGraph agent in one process', () => {
  it('knows nothing its prompt does not hold: a new session does not know the name', async () => {
    const rt = openRuntime(join(dir, 'restart'));
    try {
      const graph = buildAgent({
        runtime: rt,
        model: new PromptOnlyChatModel({}),
        session: 'someone-else',
        profile: 'gpt-4o-mini',
      });
      expect((await runTurn(graph, 'What is my name?')).reply).toBe("I don't know your name yet.");
    } finally {
      await rt.close();
    }
  });

  it('pairs each tool result with its call in the store, and the next call sees the pair', async () => {
    const rt = openRuntime(join(dir, 'tools'));
    try {
      const graph = buildAgent({
        runtime: rt,
        model: new PromptOnlyChatModel({}),
        session: 'calc',
        profile: 'gpt-4o-mini',
      });
      const turn = await runTurn(graph, 'What is 12 * 7?');
      expect(turn.reply).toBe('12 * 7 = 84');
      expect(turn.callIds).toHaveLength(2);
      const records = rt.store.list('calc');
      expect(records.map((r) => r.kind)).toEqual([
        'system',
        'user-message',
        'assistant-message',
        'tool-result',
        'assistant-message',
      ]);
      const [, , assistant, result] = records;
      expect(assistant?.toolCalls?.[0]?.name).toBe('calculator');
      expect(result?.toolCallId).toBe(assistant?.toolCalls?.[0]?.id);
      expect(rt.store.edges(assistant!.id)).toContainEqual({
        from: assistant!.id,
        kind: 'tool-invocation',
        to: result!.id,
      });
      const answer = getTrace(rt.store, turn.callIds[1] as string);
      expect(answer.plan.selected.map((s) => s.id)).toEqual(
        expect.arrayContaining([assistant!.id, result!.id]),
      );
    } finally {
      await rt.close();
    }
  });
});
