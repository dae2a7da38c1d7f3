// `tsx examples/langgraph-agent/main.ts [--store DIR] [--session S] [--budget N] [--json] ["message"]`:
// one turn of the LangGraph agent, or (without a message) the demo: a short conversation with one
// process per turn, so what the agent recalls comes from the store alone. See ./README.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { openRuntime } from '../../src-core/index';
import { buildAgent, runTurn } from './graph';
import { PromptOnlyChatModel } from './offline-model';

/** The demo conversation: each line is a turn in a new process. */
export const DEMO_TURNS = [
  'Hi, my name is Ada Lovelace and I live in London.',
  'What is 12 * 7?',
  'What is my name?',
  'Look up my profile.',
];

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    store: { type: 'string' },
    session: { type: 'string', default: 'langgraph' },
    budget: { type: 'string' },
    offline: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

async function chatModel(): Promise<{ model: BaseChatModel; profile: string }> {
  const key = process.env['OPENAI_API_KEY'];
  if (values.offline || key === undefined || key === '')
    return { model: new PromptOnlyChatModel({}), profile: 'gpt-4o-mini' };
  const { ChatOpenAI } = await import('@langchain/openai');
  const name = process.env['OPENAI_MODEL'] ?? 'gpt-4o-mini';
  return { model: new ChatOpenAI({ model: name }), profile: name };
}

async function oneTurn(store: string, message: string): Promise<void> {
  const runtime = openRuntime(store);
  try {
    const { model, profile } = await chatModel();
    const graph = buildAgent({
      runtime,
      model,
      session: values.session,
      profile,
      budget: values.budget === undefined ? undefined : Number(values.budget),
    });
    const turn = await runTurn(graph, message);
    process.stdout.write(values.json ? `${JSON.stringify(turn)}\n` : `${turn.reply}\n`);
  } finally {
    await runtime.close();
  }
}

function demo(store: string): void {
  process.stderr.write(`store: ${store}\n`);
  for (const message of DEMO_TURNS) {
    process.stdout.write(`> ${message}\n`);
    // A new process per turn: nothing but the store carries over.
    const reply = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        __filename,
        '--store',
        store,
        '--session',
        values.session,
        ...(values.offline ? ['--offline'] : []),
        message,
      ],
      { encoding: 'utf8' },
    );
    process.stdout.write(reply);
  }
  process.stdout.write(
    `\nEvery model call is a traced turn: npx llm386 trace list --store ${store} --session ${values.session}\n`,
  );
  process.stdout.write(
    `Open them in the inspector:     npx llm386 inspect --store ${store} --web\n`,
  );
}

const store = values.store ?? mkdtempSync(join(tmpdir(), 'llm386-langgraph-'));
const message = positionals.join(' ').trim();
if (message === '') demo(store);
else
  void oneTurn(store, message).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
