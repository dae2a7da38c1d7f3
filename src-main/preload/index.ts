// The preload bridge. It runs sandboxed, so it is bundled to CommonJS on its own and imports only
// `electron` and types: a value import of anything else would emit a require() that cannot load
// here (electron.vite.config.ts fails the build if one appears). It exposes one object on
// `window`, `llm386`, with one function per method of the contract, and never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
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

contextBridge.exposeInMainWorld(
  'llm386',
  createBridge((name, input) => ipcRenderer.invoke(name, input)),
);
