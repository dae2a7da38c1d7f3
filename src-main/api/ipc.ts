// The one place that registers IPC handlers: one `ipcMain.handle` per method of the contract, on
// the channel the preload bridge invokes, and the channel of a store folder dropped on the window.
// Every call checks its sender (only the app's own page) before the handler validates the input;
// failures resolve as data, never as rejections.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { isAbsolute } from 'node:path';
import type { IpcChannel, StoreDropChannel } from '../preload/index';
import { API_METHODS, type ApiMethod, type ApiResult } from './contract';
import type { ApiHandlers } from './handlers';

/** The channel of a method; its type is the preload's, so the two cannot drift. */
export function ipcChannel(method: ApiMethod): IpcChannel {
  return `llm386:${method}`;
}

/**
 * Registers every method. `handlers` is read on each call, so main can switch stores; `isAppPage`
 * decides whether a frame URL is the inspector's own page.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: () => ApiHandlers,
  isAppPage: (url: string | undefined) => boolean,
): void {
  for (const method of API_METHODS) {
    ipcMain.handle(
      ipcChannel(method),
      (event: IpcMainInvokeEvent, input: unknown): Promise<ApiResult<unknown>> => {
        // senderFrame is null when the frame navigated away or was destroyed before the call arrived.
        if (event.senderFrame === null || !isAppPage(event.senderFrame.url)) {
          return Promise.resolve({
            ok: false,
            error: {
              code: 'untrusted-sender',
              message: `${method}: the call did not come from the inspector page`,
            },
          });
        }
        return handlers()[method](input);
      },
    );
  }
}

/** The drop channel as main listens on it; typed as the preload's, so the two cannot drift. */
export const STORE_DROP_CHANNEL: StoreDropChannel = 'llm386-drop:store';

/** Longest path a drop may name (characters); longer ones are ignored. */
const MAX_DROPPED_PATH = 4096;

/**
 * Listens for a folder the user dropped on the window: the preload sends its path, from
 * `webUtils.getPathForFile` (../preload/index.ts). Only from the app's own page and only an
 * absolute path; anything else is ignored. `onDrop` checks that it is a store before opening it.
 */
export function registerStoreDrop(
  ipcMain: Pick<IpcMain, 'on'>,
  isAppPage: (url: string | undefined) => boolean,
  onDrop: (path: string) => void,
): void {
  ipcMain.on(STORE_DROP_CHANNEL, (event: IpcMainEvent, path: unknown) => {
    if (event.senderFrame === null || !isAppPage(event.senderFrame.url)) return;
    if (typeof path !== 'string' || path.length > MAX_DROPPED_PATH || !isAbsolute(path)) return;
    onDrop(path);
  });
}
