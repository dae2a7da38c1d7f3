// Shared fixtures of the agent's tests: temp stores, a scripted conversation, and running the CLI
// in a child process exactly as the README does.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixedClock, openRuntime, type Clock, type Runtime } from '../../src-core/index';
import { Agent } from './agent';
import type { Model } from './model';
import { ScriptedModel } from './scripted-model';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A fixed start time for reproducible stores (2027-01-15). */
export const T0 = 1_800_000_000_000;

/** A temp directory and its removal. */
export function tempDir(prefix = 'llm386-agent-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a runtime over `dir` and an agent on it (scripted model unless given). */
export function openAgent(
  dir: string,
  options: { clock?: Clock; model?: Model; budget?: number } = {},
): { rt: Runtime; agent: Agent } {
  const rt = openRuntime(dir);
  const agent = new Agent({
    runtime: rt,
    model: options.model ?? new ScriptedModel(),
    clock: options.clock ?? fixedClock(T0, 1000),
    budget: options.budget,
  });
  return { rt, agent };
}

const LINES = [
  'Hi, my name is Ada Lovelace.',
  'What is 12*7?',
  'I live in London.',
  'Look up the profile for bo',
  'What is my name?',
  'What is (3 + 4) * 12 - 5?',
  'I work as an engineer.',
  'Where do I live?',
  'my favorite color is green',
  'What is 2^10 and 1000 / 8?',
  'What do you know about me?',
  'Look up my profile',
  'Thanks!',
  'What is 17 % 5?',
  'What is my favorite color?',
  'I moved to Paris now.',
  'Where do I live?',
  'What do I do?',
  'What is 1.5 * 4?',
  'Look up the profile for cy',
];

/** A deterministic conversation of `n` user messages mixing facts, recall, arithmetic and lookups. */
export function scriptedConversation(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const line = LINES[i % LINES.length] as string;
    // Later rounds vary the arithmetic so messages are not all repeats.
    return i >= LINES.length && /\d/.test(line) && line.startsWith('What is')
      ? `What is ${i} * ${i + 3}?`
      : line;
  });
}

/** The environment of a child agent: no API keys, so it always runs offline. */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LLM386_AGENT_PROVIDER: 'scripted', ...extra };
  delete env.OPENAI_API_KEY;
  delete env.ANTHROPIC_API_KEY;
  return env;
}

/** Runs `tsx <script> ...args` from the repository root, feeding `input` to stdin. */
export function runTsx(
  script: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [script, ...args], {
      cwd: REPO_ROOT,
      env: options.env ?? offlineEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
