import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { API_METHODS } from './contract';
import type { ApiHandlers } from './handlers';
import { ipcChannel, registerIpcHandlers, registerStoreDrop, STORE_DROP_CHANNEL } from './ipc';

type Listener = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const registered = new Map<string, Listener>();
  return {
    registered,
    handle(channel: string, listener: Listener) {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, listener);
    },
  };
}

const APP = 'file:///app/out/renderer/index.html';
const eventFrom = (url: string | null) =>
  ({ senderFrame: url === null ? null : { url } }) as unknown as IpcMainInvokeEvent;

function echoHandlers(): ApiHandlers {
  return Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (input: unknown) => ({ ok: true, value: { method: m, input } }),
    ]),
  ) as unknown as ApiHandlers;
}

describe('registerIpcHandlers', () => {
  it('registers one channel per method of the contract, named as the preload invokes them', () => {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc, echoHandlers, (url) => url === APP);
    expect([...ipc.registered.keys()].sort()).toEqual(API_METHODS.map((m) => `llm386:${m}`).sort());
    expect(ipcChannel('blocks.get')).toBe('llm386:blocks.get');
  });

  it('passes calls from the app page to the handler', async () => {
    const ipc = fakeIpcMain();
    registerIpcHandlers(ipc, echoHandlers, (url) => url === APP);
    const result = await ipc.registered.get('llm386:blocks.get')?.(eventFrom(APP), { id: 'x' });
    expect(result).toEqual({ ok: true, value: { method: 'blocks.get', input: { id: 'x' } } });
  });

  it('refuses calls from any other page, or from a frame that is gone, without calling the handler', async () => {
    const ipc = fakeIpcMain();
    let called = false;
    const handlers = () => {
      called = true;
      return echoHandlers();
    };
    registerIpcHandlers(ipc, handlers, (url) => url === APP);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', null]) {
      const result = await ipc.registered.get('llm386:store.info')?.(eventFrom(url), {});
      expect(result).toEqual({
        ok: false,
        error: { code: 'untrusted-sender', message: expect.any(String) },
      });
    }
    expect(called).toBe(false);
  });
});

describe('registerStoreDrop', () => {
  function dropped(url: string | null, path: unknown): string[] {
    const listeners = new Map<string, (event: IpcMainEvent, path: unknown) => void>();
    const paths: string[] = [];
    registerStoreDrop(
      {
        on: (channel: string, fn: (event: IpcMainEvent, path: unknown) => void) =>
          listeners.set(channel, fn),
      } as never,
      (u) => u === APP,
      (p) => paths.push(p),
    );
    listeners.get(STORE_DROP_CHANNEL)?.(eventFrom(url) as unknown as IpcMainEvent, path);
    return paths;
  }

  it('hands main an absolute path dropped on the app page', () => {
    expect(STORE_DROP_CHANNEL).toBe('llm386-drop:store');
    expect(dropped(APP, '/data/store')).toEqual(['/data/store']);
  });

  it('ignores drops from another page or a gone frame, and anything but an absolute path', () => {
    expect(dropped('https://evil.example/', '/data/store')).toEqual([]);
    expect(dropped(null, '/data/store')).toEqual([]);
    for (const path of ['store', '', 42, { path: '/x' }, `/${'x'.repeat(5000)}`])
      expect(dropped(APP, path)).toEqual([]);
  });
});
