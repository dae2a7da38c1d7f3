// Opens a store for the inspector and builds the handlers over it: shared by Electron main and
// web mode, so both serve the same contract over the same runtime.
import { resolve } from 'node:path';
import { API_METHODS, type ApiMethod } from './contract';
import { createApiHandlers, type ApiHandlers } from './handlers';
import type { InspectorHost } from './handlers-graph';
import { DEFAULT_CONFIG, DEFAULT_MODEL, findProfile, getTokenizer, loadConfigFile, Store, type Config } from './runtime';

/** An open store with its handlers. */
export interface OpenApi {
  readonly store: Store;
  readonly config: Config;
  readonly handlers: ApiHandlers;
  /**
   * Loads the default model's tokenizer ahead of need: once the Turns list, a turn or a page call
   * has been opened (a prompt or a what-if is then a click away) and the UI has gone quiet.
   * Loading takes 1-3 s of the one thread that also answers the UI and about 150 MB, once per
   * process: done at start it held up the page's first requests, and a user who only browses
   * blocks never needs it.
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
  let lastCall: number | undefined;
  let warmWanted = false;
  let warmScheduled = false;
  let cancelWarmUp = (): void => undefined;
  const warm = (): void => {
    warmScheduled = true;
    cancelWarmUp = whenQuiet(() => lastCall, () => {
      if (!closed) getTokenizer(findProfile(DEFAULT_MODEL, config.profiles).tokenizer);
    });
  };
  const handlers = createApiHandlers({ store, config, host });
  const tracked = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      (input: unknown) => {
        lastCall = Date.now();
        if (warmWanted && !warmScheduled && NEEDS_TOKENIZER_SOON.has(method)) warm();
        return handlers[method](input);
      },
    ]),
  ) as unknown as ApiHandlers;
  return {
    store,
    config,
    handlers: tracked,
    warmUp: () => {
      warmWanted = true;
    },
    close: () => {
      closed = true;
      cancelWarmUp();
      store.close();
    },
  };
}

/**
 * Methods after which a call that tokenizes is at most a click or two away: a turn's prompt and a
 * comparison re-render prompts, what-if, replay and page calls pack. The Turns list counts, so the
 * tokenizer loads while the user reads it, not when a turn is opened. Browsing blocks, sessions
 * and search never loads it (about 150 MB for o200k_base).
 */
const NEEDS_TOKENIZER_SOON: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['turns.list', 'turns.get', 'plan.page', 'whatif.run', 'whatif.replay', 'compare.turns', 'bundle.import']);

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
export function whenQuiet(lastCall: () => number | undefined, task: () => void, options: QuietOptions = {}): () => void {
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
