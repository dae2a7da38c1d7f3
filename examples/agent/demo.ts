// Builds the inspector's embedded demo store by running the scripted agent: `tsx examples/agent/demo.ts DIR`.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DEFAULT_CONFIG,
  fixedClock,
  openRuntime,
  Runtime,
  STORE_FILE,
  type Clock,
  type Config,
} from '../../src-core/index';
import { Agent } from './agent';
import { DEMO_SESSIONS, DOCUMENTS, SHARED_FACTS } from './demo-script';
import { ScriptedModel } from './scripted-model';

/** The demo's start time: Monday 2026-01-12 09:00 UTC. */
export const DEMO_START = Date.UTC(2026, 0, 12, 9, 0, 0);
/** Simulated time per step (ms): a turn takes about a minute, so recency scores spread out. */
export const DEMO_STEP_MS = 15_000;
/** The session whose blocks every call of the demo can see. */
export const DEMO_GLOBAL_SESSION = 'global';

/** The config the demo's calls run under: the defaults, plus the `global` session in every pool. */
export const DEMO_CONFIG: Config = {
  ...DEFAULT_CONFIG,
  pager: { ...DEFAULT_CONFIG.pager, globalSessions: [DEMO_GLOBAL_SESSION] },
  source: 'examples/agent/demo.ts',
};

/** Options of {@link buildDemoStore}. */
export interface DemoOptions {
  /** The clock of every step; default fixed at {@link DEMO_START}, advancing {@link DEMO_STEP_MS} per reading. */
  readonly clock?: Clock | undefined;
}

/** What the demo built. */
export interface DemoStats {
  readonly sessions: readonly { readonly session: string; readonly blocks: number }[];
  readonly blocks: number;
  readonly traces: number;
}

/**
 * Builds the inspector's demo store in `dir` (which must not hold a store yet) by playing
 * {@link DEMO_SESSIONS} with the scripted agent: a `global` session of shared facts (one pinned),
 * documents as `document-chunk` blocks, three conversations with tool calls, stated facts
 * (`supports`/`contradicts` edges to the shared ones), summaries `derived-from` older messages,
 * and a trace for every model call, some under small budgets so blocks are left out for budget
 * reasons. Block bodies, edges and plans are the same on every run; ids and call ids are not
 * (trace call ids are random).
 */
export async function buildDemoStore(dir: string, options: DemoOptions = {}): Promise<DemoStats> {
  if (existsSync(resolve(dir, STORE_FILE)) || (existsSync(dir) && readdirSync(dir).length > 0)) {
    throw new Error(`${dir} is not empty: the demo store is built in a new or empty directory`);
  }
  const clock = options.clock ?? fixedClock(DEMO_START, DEMO_STEP_MS);
  const rt = openRuntime(dir, { config: DEMO_CONFIG, clock });
  try {
    // Input the agent did not produce (imports, documents) is put directly, before any call.
    for (const fact of SHARED_FACTS) {
      rt.put({
        session: DEMO_GLOBAL_SESSION,
        kind: 'fact',
        body: fact.body,
        source: fact.source,
        labels: fact.labels,
        priority: fact.priority,
        createdAt: clock.now(),
      });
    }
    for (const doc of DOCUMENTS) {
      const at = clock.now();
      rt.putMany(
        doc.paragraphs.map((body, i) => ({
          session: 'research',
          kind: 'document-chunk',
          body,
          source: `doc:${doc.name}#${i + 1}`,
          createdAt: at,
        })),
      );
    }
    for (const script of DEMO_SESSIONS) {
      // A session's own policy: a second Runtime over the same store (traces record the policy, so replay needs no config).
      const runtime =
        script.spill === false
          ? new Runtime(rt.store, { ...DEMO_CONFIG, pager: { ...DEMO_CONFIG.pager, spill: false } })
          : rt;
      const agent = new Agent({
        runtime,
        model: new ScriptedModel({ profile: script.profile, mode: script.mode }),
        clock,
      });
      for (const [i, turn] of script.turns.entries()) {
        await agent.turn(script.session, turn.say, { budget: turn.budget });
        if (script.summarizeAfter?.includes(i + 1) === true)
          await agent.summarize(script.session, { keepRecent: 4, maxMessages: 16 });
      }
    }
    const sessions = rt.store.sessions();
    const traces = sessions.reduce((n, s) => n + rt.traces(s.session).length, 0);
    return { sessions, blocks: rt.store.blockCount(), traces };
  } finally {
    await rt.close();
  }
}

async function main(args: readonly string[]): Promise<number> {
  const dir = args[0];
  if (dir === undefined || args.length > 1 || dir.startsWith('-')) {
    process.stderr.write(
      'usage: tsx examples/agent/demo.ts DIR\n\nBuilds the inspector demo store in DIR (a new or empty directory).\n',
    );
    return 2;
  }
  const started = performance.now();
  try {
    const stats = await buildDemoStore(dir);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `demo store in ${dir}: ${stats.blocks} blocks, ${stats.traces} traces in ${ms} ms\n`,
    );
    for (const s of stats.sessions)
      process.stdout.write(`  ${s.session.padEnd(12)} ${s.blocks} blocks\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 1;
  }
}

// Run only as a script, never when imported (the inspector imports buildDemoStore).
const entry = process.argv[1];
if (
  entry !== undefined &&
  /(^|[\\/])demo\.ts$/.test(entry) &&
  resolve(entry) === fileURLToPath(import.meta.url)
) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
