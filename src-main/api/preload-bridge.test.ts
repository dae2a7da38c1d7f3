// Beside the contract rather than the preload: files under src-main/preload may import only
// electron and types (the lint rule of the sandboxed bundle), and this test needs vitest.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHODS } from './contract';

// The real module needs Electron's contextBridge; record what it exposes instead.
const exposed = new Map<string, unknown>();
const invoked: [string, unknown][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: null };
    },
  },
}));

beforeEach(() => {
  invoked.length = 0;
});

describe('the preload bridge', () => {
  it('exposes one object, window.llm386, and nothing else', async () => {
    await import('../preload/index');
    expect([...exposed.keys()]).toEqual(['llm386']);
  });

  it('has exactly one function per method of the contract, and no ipcRenderer', async () => {
    await import('../preload/index');
    const bridge = exposed.get('llm386') as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the method channel with the one input object', async () => {
    await import('../preload/index');
    const bridge = exposed.get('llm386') as Record<string, (input?: unknown) => Promise<unknown>>;
    await bridge['blocks.get']?.({ id: 'abc' });
    await bridge['store.info']?.();
    expect(invoked).toEqual([
      ['llm386:blocks.get', { id: 'abc' }],
      ['llm386:store.info', {}],
    ]);
  });
});
