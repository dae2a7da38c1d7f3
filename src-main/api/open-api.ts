// Opens a store for the inspector and builds the handlers over it: shared by Electron main and
// web mode, so both serve the same contract over the same runtime.
import { resolve } from 'node:path';
import { API_METHODS } from './contract';
import { createApiHandlers, type ApiHandlers } from './handlers';
import type { InspectorHost } from './handlers/handler-context';
import {
  DEFAULT_CONFIG,
  DEFAULT_MODEL,
  findProfile,
  loadConfigFile,
  warmTokenizer,
  Store,
  type Config,
} from '../runtime';

/** An open store with its handlers. */
export interface OpenApi {
  readonly store: Store;
  readonly config: Config;
  readonly handlers: ApiHandlers;
  /**
   * Fills the default model's tokenizer table ahead of need, once the page's first calls have been
   * answered and none came for a moment, in slices of ~15 ms that leave the thread free for calls.
   * Started at once, its 0.3-0.9 s held up the page's first requests; left to the first turn or
   * what-if, that call paid for it.
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
export function openApi(
  storeDir: string,
  configPath?: string | undefined,
  host?: InspectorHost | undefined,
): OpenApi {
  const config =
    configPath === undefined || configPath === '' ? DEFAULT_CONFIG : loadConfigFile(configPath);
  // Read-write: page calls cache token counts and retriever indexes in the store, as the CLI does.
  const store = Store.open(resolve(storeDir));
  let closed = false;
  let lastCall: number | undefined;
  let cancelWarmUp = (): void => undefined;
  const handlers = createApiHandlers({ store, config, host });
  const tracked = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      (input: unknown) => {
        lastCall = Date.now();
        return handlers[method](input);
      },
    ]),
  ) as unknown as ApiHandlers;
  return {
    store,
    config,
    handlers: tracked,
    warmUp: () => {
      cancelWarmUp();
      cancelWarmUp = whenQuiet(
        () => lastCall,
        () => {
          if (!closed) void warmTokenizer(findProfile(DEFAULT_MODEL, config.profiles).tokenizer);
        },
      );
    },
    close: () => {
      closed = true;
      cancelWarmUp();
      store.close();
    },
  };
}

/** When {@link whenQuiet} runs its task. */
export interface QuietOptions {
  /** How long no call must have come, after at least one did. */
  readonly quietMs?: number;
  /** Runs anyway this long after the start, calls or not (a UI that never asked anything). */
  readonly maxWaitMs?: number;
  /** How often to look. */
  readonly pollMs?: number;
  readonly now?: () => number;
}

/**
 * Runs `task` once, when at least one call has been seen (`lastCall()` defined) and none for
 * `quietMs`, or at the latest after `maxWaitMs`. Returns a function that cancels it. The timers
 * never keep the process alive.
 */
export function whenQuiet(
  lastCall: () => number | undefined,
  task: () => void,
  options: QuietOptions = {},
): () => void {
  const { quietMs = 400, maxWaitMs = 8000, pollMs = 100, now = Date.now } = options;
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  const look = (): void => {
    const last = lastCall();
    const t = now();
    if ((last !== undefined && t - last >= quietMs) || t - started >= maxWaitMs) {
      timer = undefined;
      task();
      return;
    }
    timer = setTimeout(look, pollMs);
    timer.unref();
  };
  timer = setTimeout(look, pollMs);
  timer.unref();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
}
