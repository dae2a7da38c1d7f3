// The messages between main (./api-threads.ts) and an API worker thread (./api-worker.ts).
import type { ApiError } from './contract';
import type { StoreServiceSettings } from './store-service';

/** What main passes as the worker's `workerData`. */
export interface ApiWorkerData extends StoreServiceSettings {
  /**
   * The thread's nice value on Linux (0: as main). The runtime lane runs below main and the page,
   * so on a busy machine a long what-if leaves them the CPU. Elsewhere a nice value is the whole
   * process's, and this is ignored.
   */
  readonly niceness: number;
}

/** Main to worker. */
export type ToApiWorker =
  | { readonly type: 'call'; readonly id: number; readonly method: string; readonly input: unknown }
  | { readonly type: 'open'; readonly id: number; readonly dir: string; readonly keep: boolean }
  | { readonly type: 'close'; readonly id: number };

/** Worker to main. */
export type FromApiWorker =
  /**
   * A call's result as UTF-8 JSON, made in the worker and transferred (not copied): main sends the
   * bytes on as they are (web) or parses them (IPC).
   */
  | {
      readonly type: 'result';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly ok: boolean;
      readonly code?: string | undefined;
    }
  | {
      readonly type: 'opened';
      readonly id: number;
      readonly dir: string;
      readonly error?: ApiError | undefined;
    }
  | { readonly type: 'closed'; readonly id: number }
  /** A handler asked to switch stores (bundle import, `stores.open`); sent before its result. */
  | { readonly type: 'switch'; readonly dir: string };
