// The preload bridge. It runs sandboxed, so it is bundled to CommonJS on its own and imports only
// `electron` and types: a value import of anything else would emit a require() that cannot load
// here (electron.vite.config.ts fails the build if one appears). It exposes one object on
// `window`, `llm386`, with one function per method of the contract, and never ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { Api, ApiMethod, Same } from '../api/contract';

/**
 * The contract's method names, as a literal list (the preload cannot import the contract's
 * values). This file fails to compile unless it names exactly the contract's methods.
 */
export const PRELOAD_METHODS = [
  'store.info',
  'store.changes',
  'sessions.list',
  'blocks.list',
  'blocks.get',
  'models.list',
  'plan.page',
  'turns.list',
  'turns.get',
  'turns.omitted',
  'turns.prompt',
  'turns.forBlock',
  'turns.calls',
  'turns.search',
  'turns.sessions',
  'compare.turns',
  'compare.prompts',
  'whatif.run',
  'whatif.detail',
  'whatif.replay',
  'graph.around',
  'graph.turn',
  'bundle.export',
  'bundle.import',
  'store.verify',
  'stores.list',
  'stores.open',
  'asof.sessions',
  'asof.blocks',
  'asof.block',
  'asof.graph',
  'asof.between',
] as const satisfies readonly ApiMethod[];
const preloadMatches: Same<(typeof PRELOAD_METHODS)[number], ApiMethod> = true;
void preloadMatches;

/** The IPC channel of each method is this prefix plus the method name. */
export const IPC_CHANNEL_PREFIX = 'llm386:';
/** The IPC channel of a method; src-main/api/ipc.ts registers exactly these. */
export type IpcChannel<M extends string = ApiMethod> = `${typeof IPC_CHANNEL_PREFIX}${M}`;

function channel<M extends ApiMethod>(method: M): IpcChannel<M> {
  return `${IPC_CHANNEL_PREFIX}${method}`;
}

/** window.llm386: one function per method, each taking one object and resolving to a result. */
export function createBridge(invoke: (channel: string, input: unknown) => Promise<unknown>): Api {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const method of PRELOAD_METHODS) {
    // Only the input object crosses; a missing input becomes {} so main's schema sees an object.
    bridge[method] = (input: unknown) => invoke(channel(method), input ?? {});
  }
  return Object.freeze(bridge) as unknown as Api;
}

/**
 * The channel on which a folder dropped on the window goes to main, which checks that it holds a
 * store before opening it (src-main/api/ipc.ts). Not a contract method: the page cannot send it.
 */
export const STORE_DROP_CHANNEL = 'llm386-drop:store';
export type StoreDropChannel = typeof STORE_DROP_CHANNEL;

/** What the preload reads of a drag event (the DOM's DragEvent; this bundle has no DOM types). */
export interface StoreDragEvent {
  readonly isTrusted: boolean;
  readonly dataTransfer: {
    readonly types: readonly string[];
    readonly files: { readonly length: number; readonly [index: number]: File | undefined };
  } | null;
  preventDefault(): void;
}

/** Where drag events arrive: the window. */
export interface StoreDropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: StoreDragEvent) => void): void;
}

/**
 * Sends main the path of the first thing the user drops on the window. `pathOf` is
 * `webUtils.getPathForFile`, which gives a path only for a file or folder from the user's disk
 * ('' for one the page made), and a drop the page dispatched itself is not trusted: the page can
 * never name a path this way. A drop never navigates the window to the dropped file.
 */
export function listenForStoreDrops(
  target: StoreDropTarget,
  pathOf: (file: File) => string,
  send: (path: string) => void,
): void {
  const carriesFiles = (event: StoreDragEvent) =>
    event.dataTransfer?.types.includes('Files') === true;
  target.addEventListener('dragover', (event) => {
    // Without this the drop is refused (the cursor says so).
    if (carriesFiles(event)) event.preventDefault();
  });
  target.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const file = event.dataTransfer?.files[0];
    if (!event.isTrusted || file === undefined) return;
    const path = pathOf(file);
    if (path !== '') send(path);
  });
}

contextBridge.exposeInMainWorld(
  'llm386',
  createBridge((name, input) => ipcRenderer.invoke(name, input)),
);

listenForStoreDrops(
  globalThis as unknown as StoreDropTarget,
  (file) => webUtils.getPathForFile(file),
  (path) => ipcRenderer.send(STORE_DROP_CHANNEL, path),
);
