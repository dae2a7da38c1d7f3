// Opens a store for the inspector and builds the handlers over it: shared by Electron main and
// web mode, so both serve the same contract over the same runtime.
import { resolve } from 'node:path';
import { createApiHandlers, type ApiHandlers } from './handlers';
import type { InspectorHost } from './handlers-graph';
import { DEFAULT_CONFIG, DEFAULT_MODEL, findProfile, getTokenizer, loadConfigFile, Store, type Config } from './runtime';

/** An open store with its handlers. */
export interface OpenApi {
  readonly store: Store;
  readonly config: Config;
  readonly handlers: ApiHandlers;
  /**
   * Loads the default model's tokenizer soon, off the current call stack. Loading takes 1-3 s of
   * one thread, once per process; done while the page loads, the first block or page call does
   * not pay for it.
   */
  warmUp(): void;
  /** Closes the store; the handlers must not be called afterwards. */
  close(): void;
}

/**
 * Opens the store in `storeDir` (which must exist: the inspector never creates one) with the
 * config at `configPath`, if any. Throws the runtime's coded errors (`store-not-found`,
 * `config-invalid`, ...) for the caller to report.
 */
export function openApi(storeDir: string, configPath?: string | undefined, host?: InspectorHost | undefined): OpenApi {
  const config = configPath === undefined || configPath === '' ? DEFAULT_CONFIG : loadConfigFile(configPath);
  // Read-write: page calls cache token counts and retriever indexes in the store, as the CLI does.
  const store = Store.open(resolve(storeDir));
  let closed = false;
  return {
    store,
    config,
    handlers: createApiHandlers({ store, config, host }),
    warmUp: () => {
      const timer = setTimeout(() => {
        if (!closed) getTokenizer(findProfile(DEFAULT_MODEL, config.profiles).tokenizer);
      }, 50);
      timer.unref();
    },
    close: () => {
      closed = true;
      store.close();
    },
  };
}
