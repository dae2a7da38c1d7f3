// The runtime beside the UI's thread: Electron main and web mode's request loop keep only windows,
// IPC, HTTP and validation; two worker threads (./api-worker.ts) open the store and run the
// handlers (lanes: ./api-lanes.ts), so a what-if of seconds at 100k blocks never stalls the
// thread that serves the page, and store.info / store.changes keep answering meanwhile. Each
// worker opens the store itself: an LMDB store opened in one thread is used only in that thread
// (lmdb-js shares one environment per file between threads and counts its opens).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { laneOf, type ApiLane } from './api-lanes';
import type { ApiWorkerData, FromApiWorker, ToApiWorker } from './api-worker-messages';
import { API_INPUTS, API_METHODS, type ApiError, type ApiMethod, type ApiResult } from './contract';
import { invalidInput, isApiMethod, type ApiHandlers } from './handlers';
import { Llm386Error } from '../runtime';
import type { StoreServiceSettings } from './store-service';

/** A result serialised by the worker that made it (UTF-8 JSON): sent on as it is. */
export interface SerializedResult {
  readonly bytes: Uint8Array;
  readonly ok: boolean;
  /** The error's code when `ok` is false. */
  readonly code?: string | undefined;
}

export interface ApiThreadsOptions extends Omit<StoreServiceSettings, 'warmUp'> {
  /** A handler switched the store (bundle import, `stores.open`) and every lane has followed. */
  readonly onSwitched?: ((dir: string) => void) | undefined;
  /** The worker's script; default: beside this bundle, or the source run through tsx (tests). */
  readonly workerScript?: string | undefined;
}

/** The lanes over one open store (or none yet). */
export interface ApiThreads {
  /** Every method: input validated here, then answered by a lane (the IPC transport). */
  readonly handlers: ApiHandlers;
  /** A method by name with its result as UTF-8 JSON (the web transport); unknown names fail as data. */
  call(method: string, input: unknown): Promise<SerializedResult>;
  /**
   * Opens the store in `dir` in every lane. Rejects with the runtime's coded error; with `keep`,
   * the store open before stays, otherwise every call fails with `no-store` saying why.
   */
  open(dir: string, keep?: boolean): Promise<void>;
  /** The open store's folder, once one is open. */
  readonly dir: string | undefined;
  /** Closes the stores and stops the threads. */
  close(): Promise<void>;
}

/**
 * The runtime lane's nice value on Linux: under contention the thread serving the page gets about
 * nine tenths of a core against it (CFS weights 1024 : 110); on an idle machine nothing changes.
 */
const RUNTIME_NICENESS = 10;

/** Starts the two lanes; no store is open until {@link ApiThreads.open}. */
export function startApiThreads(options: ApiThreadsOptions): ApiThreads {
  const { onSwitched, workerScript, ...settings } = options;
  const script = workerScript ?? defaultWorkerScript();
  // The worker sends this before the result of the call that asked: the switch is under way (the
  // lanes have their `open` queued) before the page can make its next call.
  const requestSwitch = (target: string) => {
    open(target, true).then(
      () => onSwitched?.(target),
      (error: unknown) =>
        console.error(`llm386 inspector: could not open the store ${target}:`, error),
    );
  };
  const lanes: Record<ApiLane, Lane> = {
    runtime: new Lane(
      'runtime',
      script,
      { ...settings, warmUp: true, niceness: RUNTIME_NICENESS },
      requestSwitch,
    ),
    quick: new Lane('quick', script, { ...settings, warmUp: false, niceness: 0 }, requestSwitch),
  };
  // The quick lane answers only once it has the runtime lane's store; until then (starting, while
  // a switch runs) the runtime lane answers everything, in order with the switch.
  let quickReady = false;
  let dir: string | undefined;
  let opening = Promise.resolve();

  const laneFor = (method: ApiMethod) => (quickReady ? lanes[laneOf(method)] : lanes.runtime);

  const call = async (method: string, input: unknown): Promise<SerializedResult> => {
    if (!isApiMethod(method))
      return serialize({
        ok: false,
        error: { code: 'unknown-method', message: `unknown API method "${method.slice(0, 80)}"` },
      });
    // Validated at the boundary: a worker sees only input its schema accepts (and checks it again).
    const parsed = API_INPUTS[method].safeParse(input ?? {});
    if (!parsed.success) return serialize({ ok: false, error: invalidInput(method, parsed.error) });
    return laneFor(method).call(method, input);
  };

  const openIn = async (lane: Lane, target: string, keep: boolean): Promise<string> => {
    const reply = await lane.request({ type: 'open', dir: target, keep });
    if (reply?.type !== 'opened') throw new Error(lane.stoppedMessage());
    // The runtime's coded error again (its code crossed as text).
    if (reply.error !== undefined)
      throw new Llm386Error(
        reply.error.code as ConstructorParameters<typeof Llm386Error>[0],
        reply.error.message,
      );
    return reply.dir;
  };

  const open = (target: string, keep = false): Promise<void> => {
    const run = async () => {
      const wasReady = quickReady;
      quickReady = false;
      let opened: string;
      try {
        opened = await openIn(lanes.runtime, resolve(target), keep);
      } catch (error) {
        if (keep) quickReady = wasReady;
        // Without a store the runtime lane answers `no-store` for everything; the quick one lets its store go.
        else void lanes.quick.request({ type: 'open', dir: resolve(target), keep: false });
        throw error;
      }
      dir = opened;
      try {
        await openIn(lanes.quick, opened, keep);
        quickReady = true;
      } catch (error) {
        // The runtime lane has the store and keeps answering everything.
        console.error(
          `llm386 inspector: the quick lane could not open ${opened}; the runtime lane answers every call:`,
          error,
        );
      }
    };
    const result = opening.then(run);
    opening = result.catch(() => undefined);
    return result;
  };

  const handlers = Object.fromEntries(
    API_METHODS.map((method) => [
      method,
      async (input: unknown): Promise<ApiResult<unknown>> => parse(await call(method, input)),
    ]),
  ) as unknown as ApiHandlers;

  return {
    handlers,
    call,
    open,
    get dir() {
      return dir;
    },
    close: async () => {
      await Promise.all([lanes.runtime.stop(), lanes.quick.stop()]);
    },
  };
}

/** One worker thread and its calls waiting for an answer. */
class Lane {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (reply: FromApiWorker | undefined) => void>();
  private nextId = 1;
  private stopped: string | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly name: ApiLane,
    script: string,
    data: ApiWorkerData,
    onSwitch: (dir: string) => void,
  ) {
    this.worker = startWorker(script, data);
    // Main's work (a window, a server) keeps the process alive, never these threads.
    this.worker.unref();
    this.worker.on('message', (message: FromApiWorker) => {
      if (message.type === 'switch') {
        onSwitch(message.dir);
        return;
      }
      const resolveReply = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      resolveReply?.(message);
    });
    this.worker.on('error', (error) => {
      console.error(`llm386 inspector: the ${name} thread failed:`, error);
      this.fail(
        `the inspector's ${name} thread failed (${error.message.split('\n')[0] ?? ''}): restart the inspector`,
      );
    });
    this.exited = new Promise((resolveExit) => {
      this.worker.on('exit', (code) => {
        this.fail(
          `the inspector's ${name} thread stopped (exit code ${code}): restart the inspector`,
        );
        resolveExit();
      });
    });
  }

  stoppedMessage(): string {
    return this.stopped ?? `the inspector's ${this.name} thread did not answer`;
  }

  /** Sends a message; resolves to its reply, or undefined once the thread has stopped. */
  request(message: DistributiveOmit<ToApiWorker, 'id'>): Promise<FromApiWorker | undefined> {
    if (this.stopped !== undefined) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolveReply) => {
      this.waiting.set(id, resolveReply);
      this.worker.postMessage({ ...message, id } as ToApiWorker);
    });
  }

  async call(method: string, input: unknown): Promise<SerializedResult> {
    const reply = await this.request({ type: 'call', method, input });
    if (reply?.type === 'result') return reply;
    return serialize({
      ok: false,
      error: { code: 'internal', message: `${method}: ${this.stoppedMessage()}` },
    });
  }

  /** Closes the thread's stores, then ends it. */
  async stop(): Promise<void> {
    if (this.stopped === undefined) {
      const closed = this.request({ type: 'close' });
      // A thread stuck in a long call is not waited for more than a few seconds.
      await Promise.race([closed, delay(5000)]);
    }
    this.fail('the inspector has closed');
    // The thread ends by itself once its store has closed: lmdb-js may finish a close later, and the
    // store's open lock is released only then (a terminated thread would leave it held).
    await Promise.race([this.exited, delay(2000)]);
    await this.worker.terminate();
  }

  private fail(message: string): void {
    this.stopped ??= message;
    for (const resolveReply of this.waiting.values()) resolveReply(undefined);
    this.waiting.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref());
}

function serialize(result: { readonly ok: false; readonly error: ApiError }): SerializedResult {
  return {
    bytes: new TextEncoder().encode(JSON.stringify(result)),
    ok: false,
    code: result.error.code,
  };
}

function parse(result: SerializedResult): ApiResult<unknown> {
  return JSON.parse(new TextDecoder().decode(result.bytes)) as ApiResult<unknown>;
}

/**
 * The worker's script: built beside this code (out/web/api-worker.cjs for web mode,
 * out/main/api-worker.js for Electron), or the source when this code runs from src-main (tests, tsx).
 */
export function defaultWorkerScript(): string {
  for (const name of ['api-worker.cjs', 'api-worker.js', 'api-worker.ts']) {
    const path = join(__dirname, name);
    if (existsSync(path)) return path;
  }
  return join(__dirname, '..', 'api', 'api-worker.ts');
}

function startWorker(script: string, data: ApiWorkerData): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData: data });
  // From sources (vitest, tsx): register tsx's CommonJS loader in the thread, then load the entry.
  const tsx = createRequire(script).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, {
    eval: true,
    workerData: data,
  });
}
