import { parseBlockId } from '../base/index';
import { DEFAULT_MODEL, findProfile, MAX_BUDGET_TOKENS, type Config } from '../config/index';
import { pageChecked, type Plan } from '../pager/index';
import { IndexSet } from '../retrievers/index';
import type { Store } from '../store/index';
import {
  livePolicy,
  recordedPolicy,
  runCall,
  tracedCall,
  type CallRequest,
  type PackMode,
} from '../tracer/index';
import { json, loadConfig, parseVerbArgs, usage, withStore, type Io } from './context';
import type { Verb } from './verb';

const PAGE_OPTIONS = {
  session: { type: 'string' },
  task: { type: 'string', default: '' },
  model: { type: 'string' },
  require: { type: 'string', multiple: true },
  budget: { type: 'string' },
  now: { type: 'string' },
  chat: { type: 'boolean', default: false },
  format: { type: 'string' },
} as const;

interface PageArgs {
  session?: string | undefined;
  task?: string | undefined;
  model?: string | undefined;
  require?: string[] | undefined;
  budget?: string | undefined;
  now?: string | undefined;
  chat?: boolean | undefined;
  format?: string | undefined;
}

/** The rendering `--chat` / `--format` name: the plan is made for it, and `pack` packs it. */
function renderingOf(verb: string, values: PageArgs): PackMode {
  if (values.format !== undefined && values.format !== 'openai' && values.format !== 'anthropic') {
    throw usage(`${verb}: unknown --format "${values.format}": use openai or anthropic`);
  }
  return values.format === 'openai' || values.format === 'anthropic'
    ? values.format
    : values.chat === true
      ? 'chat'
      : 'string';
}

function callRequest(verb: string, values: PageArgs, config: Config): CallRequest {
  if (values.session === undefined) throw usage(`${verb}: --session is required`);
  const model = findProfile(values.model ?? DEFAULT_MODEL, config.profiles);
  let budget: number | undefined;
  if (values.budget !== undefined) {
    budget = Number(values.budget);
    if (!Number.isInteger(budget) || budget <= 0 || budget > MAX_BUDGET_TOKENS) {
      throw usage(
        `${verb}: --budget needs a whole number of tokens from 1 to ${MAX_BUDGET_TOKENS}, got "${values.budget}"`,
      );
    }
  }
  const required = (values.require ?? []).map((id) => parseBlockId(id));
  let now: number | undefined;
  if (values.now !== undefined) {
    now = /^\d+$/.test(values.now) ? Number(values.now) : Date.parse(values.now);
    if (!Number.isFinite(now))
      throw usage(
        `${verb}: --now needs ms since the epoch or an ISO-8601 time, got "${values.now}"`,
      );
  }
  return { session: values.session, task: values.task ?? '', model, budget, required, now };
}

/**
 * A session named on the command line must hold blocks: a mistyped name (`Chat` for `chat`) would
 * otherwise page an empty session and exit 0. The library still pages an empty session (an
 * agent's first call) and says so in the plan's warnings.
 */
export function requireKnownSession(verb: string, store: Store, session: string): void {
  if (store.sessionSize(session) > 0) return;
  const known = store
    .sessions()
    .filter((s) => s.blocks > 0)
    .map((s) => s.session);
  const close = known.find((s) => s.toLowerCase() === session.toLowerCase());
  const list =
    known.length === 0
      ? 'the store has no sessions yet: put or ingest blocks first'
      : `sessions here: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', ...' : ''}`;
  throw usage(
    `${verb}: no blocks in session "${session}"${close === undefined ? '' : ` (did you mean "${close}"?)`}; ${list}`,
  );
}

async function runPage(
  verb: string,
  values: PageArgs,
  store: Store,
  config: Config,
): Promise<Plan> {
  if (values.session !== undefined) requireKnownSession(verb, store, values.session);
  const policy = await livePolicy(recordedPolicy(config), store, config.source);
  const plan = await pageChecked(
    store,
    { ...callRequest(verb, values, config), rendering: renderingOf(verb, values) },
    policy,
  );
  await saveIndexesIfBehind(store);
  return plan;
}

/**
 * Saves the retriever indexes when this call had to build them or catch up on many changes
 * (a writer killed during its final save, or blocks written without indexes): otherwise every
 * later call pays the same rebuild again.
 */
async function saveIndexesIfBehind(store: Store): Promise<void> {
  if (!store.readOnly) await IndexSet.of(store).checkpoint();
}

/** The plan as `page --json` prints it. */
export function planJson(plan: Plan) {
  return {
    session: plan.session,
    task: plan.task,
    model: plan.model.name,
    tokenizer: plan.model.tokenizer,
    approximate: !plan.model.tokenizerExact,
    // What `budget.used` counts: the prompt of this rendering, exactly (null: an upper bound on string and chat).
    rendering: plan.rendering ?? null,
    budget: {
      input: plan.budget.input,
      used: plan.budget.used,
      overhead: plan.budget.overhead,
      slack: plan.budget.slack,
    },
    sections: plan.sections.map((s) => ({
      section: s.section,
      allocated: s.allocated,
      used: s.used,
      overhead: s.overhead,
      spillReceived: s.spillReceived,
      ...(s.spillFrom === undefined ? {} : { spillFrom: s.spillFrom }),
      ...(s.charged === undefined ? {} : { charged: s.charged }),
    })),
    selected: plan.selected.map((s) => ({
      id: s.id,
      kind: s.kind,
      section: s.section,
      tokens: s.tokens,
      ...(s.pairTokens === undefined ? {} : { pairTokens: s.pairTokens }),
      score: s.score,
      reason: s.reason,
      retrievers: s.retrievers,
      placement: s.placement,
      ...(s.via === undefined ? {} : { via: s.via }),
    })),
    omitted: plan.omitted.map((o) => ({
      id: o.id,
      kind: o.kind,
      section: o.section,
      reason: o.reason,
      score: o.score,
      tokensNeeded: o.tokensNeeded,
      tokensLeft: o.tokensLeft,
      ...(o.displacedBy === undefined ? {} : { displacedBy: o.displacedBy }),
      retrievers: o.retrievers,
    })),
    retrievers: plan.retrievers,
    // How `score` was made from each candidate's `retrievers[name].contribution`.
    fusion: plan.fusion ?? null,
    timings: plan.timings,
    watermark: plan.watermark,
  };
}

function printPlan(plan: Plan, io: Io): void {
  const approx = plan.model.tokenizerExact ? '' : ' (approximate counts)';
  const what =
    plan.rendering === undefined
      ? 'charged (fits string and chat)'
      : `in the ${plan.rendering} prompt`;
  io.out(
    `${plan.budget.used} of ${plan.budget.input} tokens ${what} on ${plan.model.name}${approx}; slack ${plan.budget.slack}; ${plan.selected.length} selected, ${plan.omitted.length} omitted\n\n`,
  );
  io.out(
    `${'section'.padEnd(12)}${'allocated'.padStart(10)}${'spill'.padStart(7)}${'charged'.padStart(9)}${'blocks'.padStart(8)}${'header'.padStart(8)}  spill from\n`,
  );
  for (const s of plan.sections) {
    const from = Object.entries(s.spillFrom ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const charged = s.charged === undefined ? '-' : String(s.charged);
    io.out(
      `${s.section.padEnd(12)}${String(s.allocated).padStart(10)}${String(s.spillReceived).padStart(7)}${charged.padStart(9)}${String(s.used).padStart(8)}${String(s.overhead).padStart(8)}  ${from}\n`,
    );
  }
  io.out(
    '(charged: tokens taken from its allocation and spill, with tool partners and dependencies that render elsewhere; blocks: tokens of the blocks rendered in it; header: its header, only when it has blocks; task: the task and message framing)\n',
  );
  if (plan.fusion !== undefined)
    io.out(`\nscore = ${plan.fusion.formula}; plus ${plan.fusion.priorityWeight} x priority\n`);
  io.out('\nselected\n');
  io.out(
    '  (tok: what the block adds to the prompt, with its label or message framing; pair: with its tool partners)\n',
  );
  for (const s of plan.selected) {
    const pair = s.pairTokens === undefined ? '' : `  pair ${s.pairTokens}`;
    io.out(
      `  ${s.id}  ${s.section.padEnd(10)} ${String(s.tokens).padStart(6)} tok  ${s.score.toFixed(3)}  ${s.reason}${pair}\n`,
    );
  }
  const reasons = new Map<string, number>();
  for (const o of plan.omitted) reasons.set(o.reason, (reasons.get(o.reason) ?? 0) + 1);
  io.out(
    `\nomitted: ${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ') || 'none'} (use --json for every decision)\n`,
  );
}

export const pageVerb: Verb = {
  name: 'page',
  summary: 'compute the working set for a call: what is taken, what is left, and why',
  usage:
    'llm386 page --session S [--task TEXT] [--model M] [--require ID]... [--budget N] [--now TIME] [--chat] [--format openai|anthropic] [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('page', args, PAGE_OPTIONS);
    const config = loadConfig(values, io.env);
    const plan = await withStore(values, io, (store) => runPage('page', values, store, config));
    if (values.json) io.out(json(planJson(plan)));
    else printPlan(plan, io);
  },
};

export const packVerb: Verb = {
  name: 'pack',
  summary:
    'page and render the prompt (string, chat messages, or a provider request); --trace records it',
  usage:
    'llm386 pack --session S [--task TEXT] [--model M] [--require ID]... [--budget N] [--now TIME] [--chat] [--format openai|anthropic] [--trace] [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('pack', args, {
      ...PAGE_OPTIONS,
      trace: { type: 'boolean', default: false },
    });
    const mode = renderingOf('pack', values);
    const config = loadConfig(values, io.env);
    const request = { ...callRequest('pack', values, config), mode };
    const policy = recordedPolicy(config);
    const out = await withStore(values, io, async (store) => {
      requireKnownSession('pack', store, request.session);
      if (!values.trace) {
        const result = await runCall(store, request, policy, { configSource: config.source });
        await saveIndexesIfBehind(store);
        return result;
      }
      const traced = await tracedCall(store, request, policy, { configSource: config.source });
      await traced.recorded;
      await saveIndexesIfBehind(store);
      return traced;
    });
    const approx = out.plan.model.tokenizerExact ? '' : ' (approximate)';
    const traced = out.callId === undefined ? {} : { callId: out.callId };
    if (out.prompt !== undefined) {
      if (values.json)
        io.out(
          json({
            prompt: out.prompt.prompt,
            tokens: out.tokens,
            promptHash: out.promptHash,
            ...traced,
          }),
        );
      else io.out(out.prompt.prompt);
      io.err(
        `${out.tokens} tokens${approx} of ${out.plan.budget.input}; prompt sha256 ${out.promptHash}${out.callId === undefined ? '' : `; trace ${out.callId}`}\n`,
      );
      return;
    }
    const chat = out.chat;
    if (chat === undefined) return;
    if (values.json) {
      const body =
        out.request === undefined ? { messages: chat.messages } : { request: out.request };
      io.out(
        json({
          ...body,
          cacheBoundary: chat.cacheBoundary,
          tokens: out.tokens,
          promptHash: out.promptHash,
          ...traced,
        }),
      );
    } else {
      io.out(json(out.request ?? chat.messages));
    }
    io.err(
      `${out.tokens} tokens${approx} of ${out.plan.budget.input} in ${chat.messages.length} messages; cache boundary ${chat.cacheBoundary ?? 'none'}; sha256 ${out.promptHash}${out.callId === undefined ? '' : `; trace ${out.callId}`}\n`,
    );
  },
};
