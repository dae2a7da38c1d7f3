// Web mode: the built renderer and the contract's handlers over HTTP on 127.0.0.1, guarded by a
// random token. `llm386 inspect --web` runs this; so do the e2e tests.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { callApi } from '../api/handlers';
import type { InspectorHost } from '../api/handlers-graph';
import { openApi, type OpenApi } from '../api/open-api';
import { storeChoices } from '../api/store-choices';
import { startStaticServer } from './static-server';

export interface InspectServerOptions {
  /** The store directory; it must hold a store. */
  readonly storeDir: string;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** Port on 127.0.0.1; default a free one. */
  readonly port?: number | undefined;
  readonly token?: string | undefined;
  /** A TOML config (profiles, retrievers, fractions), as for every other verb. */
  readonly configPath?: string | undefined;
  /** Where opened turn bundles become stores; default a folder under the system temp folder. */
  readonly bundlesDir?: string | undefined;
}

export interface InspectServer {
  /** The page to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Stops serving and closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store and serves the inspector on it. An opened turn bundle switches it to the bundle's
 * store, and `stores.open` switches between the stores it knows (./store-choices.ts): the one it
 * started on and the stores made from bundles.
 */
export async function startInspectServer(options: InspectServerOptions): Promise<InspectServer> {
  // Stores switched away from, closed a moment later (calls still running on them finish first).
  const retired = new Map<OpenApi, NodeJS.Timeout>();
  const bundlesDir = options.bundlesDir ?? join(tmpdir(), 'llm386-bundles');
  // After the call that asked has answered: later calls go to the new store.
  const switchTo = (dir: string) =>
    setImmediate(() => {
      const path = resolve(dir);
      if (resolve(api.store.dir) === path) return;
      // Going back within the grace period: take the open one back rather than open the folder twice.
      let next = [...retired.keys()].find((old) => resolve(old.store.dir) === path);
      if (next !== undefined) {
        clearTimeout(retired.get(next));
        retired.delete(next);
      } else {
        try {
          next = openApi(path, options.configPath, host);
        } catch (error) {
          console.error(`llm386 inspect: could not open the store ${path}:`, error);
          return;
        }
      }
      const old = api;
      api = next;
      api.warmUp();
      retired.set(
        old,
        setTimeout(() => {
          retired.delete(old);
          old.close();
        }, 2000).unref(),
      );
    });
  const host: InspectorHost = {
    bundlesDir,
    openStore: switchTo,
    stores: storeChoices({ bundlesDir, known: () => [{ dir: options.storeDir, origin: 'opened' }], currentDir: () => api.store.dir, switchTo }),
  };
  let api = openApi(options.storeDir, options.configPath, host);
  try {
    const server = await startStaticServer({
      root: options.rendererDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.token === undefined ? {} : { token: options.token }),
      api: (method, input) => callApi(api.handlers, method, input),
    });
    api.warmUp();
    return {
      url: server.url,
      port: server.port,
      token: server.token,
      close: async () => {
        await server.close();
        api.close();
        for (const [old, timer] of retired) {
          clearTimeout(timer);
          old.close();
        }
        retired.clear();
      },
    };
  } catch (error) {
    api.close();
    throw error;
  }
}
