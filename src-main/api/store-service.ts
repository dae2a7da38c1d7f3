// What an API worker thread runs: the open store with its handlers, switching stores when main
// says so, and the stores switched away from, closed a moment later (calls still running on them
// finish first). The store is opened, used and closed in this one thread.
import { resolve } from 'node:path';
import { readRecentStores } from '../recent-stores';
import type { ApiError, ApiResult } from './contract';
import type { StoreOrigin } from './contract/contract-stores';
import { callApi, noStoreHandlers, toApiError } from './handlers';
import type { InspectorHost } from './handlers/handler-context';
import { openApi, type OpenApi } from './open-api';
import { storeChoices } from './handlers/store-choices';

/** A store the page may switch to besides the bundles' (the one opened first, recent ones). */
export interface KnownStore {
  readonly dir: string;
  readonly origin: StoreOrigin;
}

/** How main sets up the worker's stores (structured-clonable: it crosses to the worker). */
export interface StoreServiceSettings {
  readonly configPath?: string | undefined;
  /** Where opened turn bundles become stores. */
  readonly bundlesDir: string;
  readonly known: readonly KnownStore[];
  /** File > Open Recent's list (desktop): offered after `known`, read on each `stores.list`. */
  readonly recentStoresFile?: string | undefined;
  /** Fills the default tokenizer once the page is quiet (the lane that pages). */
  readonly warmUp: boolean;
}

/** How long a store switched away from stays open for the calls still running on it. */
const RETIRE_MS = 2000;

export class StoreService {
  private api: OpenApi | undefined;
  private noStore = 'No store is open yet.';
  private readonly retired = new Map<OpenApi, NodeJS.Timeout>();
  private readonly host: InspectorHost;

  /** `requestSwitch` asks main to switch every lane to `dir` (a bundle import, `stores.open`). */
  constructor(
    private readonly settings: StoreServiceSettings,
    requestSwitch: (dir: string) => void,
  ) {
    const { bundlesDir, recentStoresFile } = settings;
    const known = () => [
      ...settings.known,
      ...(recentStoresFile === undefined
        ? []
        : readRecentStores(recentStoresFile).map((dir) => ({ dir, origin: 'recent' as const }))),
    ];
    this.host = {
      bundlesDir,
      openStore: requestSwitch,
      stores: storeChoices({
        bundlesDir,
        known,
        currentDir: () => this.api?.store.dir,
        switchTo: requestSwitch,
      }),
    };
  }

  /** The open store's folder, if any. */
  get dir(): string | undefined {
    return this.api?.store.dir;
  }

  /**
   * Opens the store in `dir` and answers calls on it from now on; the previous store retires. On
   * failure, `keep` keeps the previous store; otherwise every call fails with `no-store` saying why.
   */
  open(dir: string, keep: boolean): ApiError | undefined {
    const path = resolve(dir);
    if (this.api !== undefined && resolve(this.api.store.dir) === path) return undefined;
    // Going back within the grace period: take the open one back rather than open the folder twice.
    let next = [...this.retired.keys()].find((old) => resolve(old.store.dir) === path);
    if (next !== undefined) {
      clearTimeout(this.retired.get(next));
      this.retired.delete(next);
    } else {
      try {
        next = openApi(path, this.settings.configPath, this.host);
      } catch (error) {
        const failure = toApiError('store.open', error);
        if (!keep) {
          this.retire();
          this.noStore = `Could not open the store ${dir}: ${failure.message}`;
        }
        return failure;
      }
    }
    this.retire();
    this.api = next;
    if (this.settings.warmUp) next.warmUp();
    return undefined;
  }

  /** Calls a method on the open store (or fails with `no-store`). */
  call(method: string, input: unknown): Promise<ApiResult<unknown>> {
    return callApi(this.api?.handlers ?? noStoreHandlers(this.noStore), method, input);
  }

  /** Closes every store, the retiring ones included. */
  close(): void {
    this.api?.close();
    this.api = undefined;
    for (const [old, timer] of this.retired) {
      clearTimeout(timer);
      old.close();
    }
    this.retired.clear();
  }

  private retire(): void {
    const old = this.api;
    if (old === undefined) return;
    this.api = undefined;
    this.retired.set(
      old,
      setTimeout(() => {
        this.retired.delete(old);
        old.close();
      }, RETIRE_MS).unref(),
    );
  }
}
