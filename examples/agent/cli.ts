// The agent's command line: one turn per invocation, or a conversation over stdin.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openRuntime, type Runtime } from '../../src-core/index';
import { Agent, type TurnResult } from './agent';
import { selectModel } from './select-model';

/** Where the CLI reads and writes; injected so tests can run it in-process. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean | undefined };
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The usage text. */
export const USAGE = `usage: tsx examples/agent/main.ts --store DIR [--session S] [options] ["message"]

With a message: runs one turn and prints the reply. Without: reads one message per line from stdin
(type /exit or end the input to stop). All memory is in the store: run it again later and it remembers.

options:
  --store DIR        the LLM386 store holding the agent's memory (created if missing; or LLM386_AGENT_STORE)
  --session S        the conversation (default "chat")
  --provider P       scripted | openai | anthropic (default: openai with OPENAI_API_KEY, anthropic with
                     ANTHROPIC_API_KEY, else the offline scripted model)
  --model M          model profile and API model name (default gpt-4o-mini / claude-haiku-4-5)
  --base-url URL     the provider endpoint (default OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the public API)
  --config FILE      an llm386 TOML config (extra model profiles, retrievers, section budgets)
  --budget N         input token budget per call (default: the model's)
  --replay           replay every recorded call of the session instead of talking: one line per call,
                     "<call id> identical" or where it diverged (exit code 1 if any diverged)
  -v, --verbose      print each traced call and tool run to stderr
  -h, --help         this text
`;

const OPTIONS = {
  store: { type: 'string' },
  session: { type: 'string', default: 'chat' },
  provider: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  config: { type: 'string' },
  budget: { type: 'string' },
  replay: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {}

function describeTurn(rt: Runtime, turn: TurnResult, session: string): string {
  const lines: string[] = [];
  const records = new Map(rt.traces(session).map((r) => [r.callId, r]));
  for (const id of turn.callIds) {
    const r = records.get(id);
    if (r === undefined) continue;
    const facts = r.plan.selected.filter((s) => s.kind === 'fact').length;
    lines.push(
      `  call ${id}: ${r.plan.selected.length} blocks selected (${facts} facts), ${r.plan.omitted.length} omitted, ${r.tokens}/${r.plan.budget.input} tokens`,
    );
  }
  for (const run of turn.toolRuns)
    lines.push(`  tool ${run.call.name}(${run.call.arguments}) -> ${run.result}`);
  if (turn.factIds.length > 0) lines.push(`  remembered ${turn.factIds.length} fact(s)`);
  return lines.map((l) => `${l}\n`).join('');
}

async function replaySession(rt: Runtime, session: string, io: CliIo): Promise<number> {
  let diverged = 0;
  for (const record of rt.traces(session)) {
    const report = await rt.replay(record.callId);
    if (report.identical) {
      io.out(`${record.callId} identical\n`);
    } else {
      diverged++;
      io.out(
        `${record.callId} diverged at ${report.divergence?.stage ?? '?'}: ${report.divergence?.detail ?? ''}\n`,
      );
    }
  }
  return diverged === 0 ? 0 : 1;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: OPTIONS,
      allowPositionals: true,
    }));
  } catch (error) {
    io.err(`agent: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  let rt: Runtime | undefined;
  try {
    const store = values.store ?? io.env.LLM386_AGENT_STORE;
    if (store === undefined || store === '')
      throw new UsageError('--store DIR is required (or set LLM386_AGENT_STORE)');
    let budget: number | undefined;
    if (values.budget !== undefined) {
      budget = Number(values.budget);
      if (!Number.isInteger(budget) || budget <= 0)
        throw new UsageError(
          `--budget needs a positive whole number of tokens, got "${values.budget}"`,
        );
    }
    if (values.replay) {
      rt = openRuntime(store, { config: values.config, create: false });
      return await replaySession(rt, values.session, io);
    }
    const model = selectModel({
      provider: values.provider,
      model: values.model,
      baseURL: values['base-url'],
      env: io.env,
    });
    rt = openRuntime(store, {
      config: values.config,
      countTokensWith: [model.mode === 'anthropic' ? 'cl100k_base' : 'o200k_base'],
    });
    const agent = new Agent({ runtime: rt, model, budget });
    const session = values.session;
    const say = async (message: string) => {
      const turn = await agent.turn(session, message);
      io.out(`${turn.reply}\n`);
      for (const w of turn.warnings) io.err(`agent: warning: ${w}\n`);
      if (values.verbose) io.err(describeTurn(rt as Runtime, turn, session));
    };
    if (positionals.length > 0) {
      await say(positionals.join(' '));
      return 0;
    }
    const interactive = io.stdin.isTTY === true;
    if (interactive)
      io.err(
        `LLM386 agent (${model.label}), session "${session}", memory in ${store}. /exit to quit.\n`,
      );
    const lines = createInterface({ input: io.stdin, terminal: false });
    if (interactive) io.err('you> ');
    for await (const line of lines) {
      const message = line.trim();
      if (message === '/exit' || message === '/quit') break;
      if (message !== '') await say(message);
      if (interactive) io.err('you> ');
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`agent: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`agent: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await rt?.close();
  }
}
