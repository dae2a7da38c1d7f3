// Beside the contract rather than the preload: files under src-main/preload may import only
// electron and types (the lint rule of the sandboxed bundle), and this test needs vitest.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoreDragEvent } from '../preload/index';
import { API_METHODS } from './contract';

// The real module needs Electron's contextBridge; record what it exposes instead.
const exposed = new Map<string, unknown>();
const invoked: [string, unknown][] = [];
const sent: [string, unknown][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      invoked.push([channel, input]);
      return { ok: true, value: null };
    },
    send: (channel: string, input: unknown) => sent.push([channel, input]),
  },
  // A file from the user's disk has a path; one the page made has none.
  webUtils: {
    getPathForFile: (file: { name: string }) => (file.name === 'made' ? '' : `/disk/${file.name}`),
  },
}));
// The window's drag events: the preload listens on its global object.
const listeners = new Map<string, (event: StoreDragEvent) => void>();
vi.stubGlobal('addEventListener', (type: string, fn: (event: StoreDragEvent) => void) =>
  listeners.set(type, fn),
);

beforeEach(() => {
  invoked.length = 0;
  sent.length = 0;
});

/** A drag event carrying files named `names`, made by the user unless `trusted` is false. */
function drag(names: string[], trusted = true, types = ['Files']) {
  const files = names.map((name) => ({ name }) as unknown as File);
  return {
    isTrusted: trusted,
    dataTransfer: { types, files: Object.assign([...files], { length: files.length }) },
    preventDefault: vi.fn(),
  };
}

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

describe('a store folder dropped on the window', () => {
  it('sends main the dropped folder’s path on the drop channel, and lets the drop happen', async () => {
    const { STORE_DROP_CHANNEL } = await import('../preload/index');
    const over = drag(['my-store']);
    listeners.get('dragover')?.(over);
    expect(over.preventDefault).toHaveBeenCalled();
    const drop = drag(['my-store', 'other']);
    listeners.get('drop')?.(drop);
    expect(drop.preventDefault).toHaveBeenCalled();
    expect(sent).toEqual([[STORE_DROP_CHANNEL, '/disk/my-store']]);
  });

  it('sends nothing for a drop the page dispatched, a file the page made, or a drag without files', async () => {
    await import('../preload/index');
    listeners.get('drop')?.(drag(['my-store'], false));
    listeners.get('drop')?.(drag(['made']));
    const text = drag([], true, ['text/plain']);
    listeners.get('dragover')?.(text);
    listeners.get('drop')?.(text);
    expect(text.preventDefault).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });
});
