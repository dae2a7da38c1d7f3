import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, openRuntime, type Runtime } from '../../src-core/index';
import { Agent, monotonicClock } from './agent';
import { ScriptedModel } from './scripted-model';
import { openAgent, REPO_ROOT, runTsx, scriptedConversation, T0, tempDir } from './test-helpers';

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  const pending = cleanups.reverse();
  cleanups = [];
  for (const c of pending) await c();
});

const MAIN = join(REPO_ROOT, 'examples', 'agent', 'main.ts');

/** Replays every recorded call of a session; returns the call ids that were not identical, with why. */
async function replayAll(
  rt: Runtime,
  session: string,
): Promise<{ calls: number; diverged: string[] }> {
  const records = rt.traces(session);
  const diverged: string[] = [];
  for (const r of records) {
    const report = await rt.replay(r.callId);
    if (!report.identical)
      diverged.push(
        `${r.callId} (${r.task}): ${report.divergence?.stage} ${report.divergence?.detail}`,
      );
  }
  return { calls: records.length, diverged };
}

describe('replay of an agent session', () => {
  it('is identical for every call of a 50-turn session, across a close and reopen', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const clock = fixedClock(T0, 1000);
    const lines = scriptedConversation(50);
    const first = openAgent(t.dir, { clock });
    for (const line of lines.slice(0, 30)) await first.agent.turn('s', line);
    await first.agent.summarize('s', { keepRecent: 10 });
    await first.rt.close();

    const second = openAgent(t.dir, { clock });
    for (const line of lines.slice(30)) await second.agent.turn('s', line);
    await second.rt.close();

    const rt = openRuntime(t.dir, { create: false });
    cleanups.push(() => rt.close());
    const turns = rt.store.list('s', { kinds: ['user-message'] }).length;
    expect(turns).toBe(50);
    const { calls, diverged } = await replayAll(rt, 's');
    expect(calls).toBeGreaterThanOrEqual(50);
    expect(diverged).toEqual([]);
  });

  it('is identical across a second process: turns from a child process and from this one all replay', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const lines = scriptedConversation(50);
    // Turns 1-25 in a child process, through the CLI's stdin mode.
    const child = await runTsx(MAIN, ['--store', t.dir, '--session', 's'], {
      input: `${lines.slice(0, 25).join('\n')}\n`,
    });
    expect(child.stderr).toBe('');
    expect(child.code).toBe(0);
    expect(child.stdout.split('\n').filter((l) => l !== '')).toHaveLength(25);

    // Turns 26-50 here, on the wall clock like the child.
    const rt = openRuntime(t.dir, { create: false });
    const agent = new Agent({ runtime: rt, model: new ScriptedModel(), clock: monotonicClock() });
    for (const line of lines.slice(25)) await agent.turn('s', line);
    expect(rt.store.list('s', { kinds: ['user-message'] })).toHaveLength(50);
    const { calls, diverged } = await replayAll(rt, 's');
    expect(calls).toBeGreaterThanOrEqual(50);
    expect(diverged).toEqual([]);

    // And a third process replays every call from the store alone.
    await rt.close();
    const replayed = await runTsx(MAIN, ['--store', t.dir, '--session', 's', '--replay']);
    expect(replayed.code).toBe(0);
    const verdicts = replayed.stdout.trim().split('\n');
    expect(verdicts).toHaveLength(calls);
    for (const v of verdicts) expect(v).toMatch(/^[0-9a-f]{32} identical$/);
  });
});

describe('the README commands', () => {
  it('run offline in one command and recall a fact from an earlier run', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const store = join(t.dir, 'agent');
    const calc = await runTsx(MAIN, ['--store', store, 'What is 12*7?']);
    expect(calc).toMatchObject({ code: 0, stdout: '12*7 = 84.\n', stderr: '' });
    const told = await runTsx(MAIN, [
      '--store',
      store,
      'My name is Ada Lovelace and I live in London.',
    ]);
    expect(told.stdout).toBe('Nice to meet you, Ada Lovelace! I will remember that.\n');
    const recalled = await runTsx(MAIN, ['--store', store, 'What is my name?']);
    expect(recalled.stdout).toBe('Your name is Ada Lovelace.\n');
  });
});
