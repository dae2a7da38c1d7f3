// Web mode: the built renderer and the contract's handlers over HTTP on 127.0.0.1, guarded by a
// random token. `llm386 inspect --web` runs this; so do the e2e tests.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callApi } from '../api/handlers';
import type { InspectorHost } from '../api/handlers-graph';
import { openApi, type OpenApi } from '../api/open-api';
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

/** Opens the store and serves the inspector on it; an opened turn bundle switches it to the bundle's store. */
export async function startInspectServer(options: InspectServerOptions): Promise<InspectServer> {
  const retired: OpenApi[] = [];
  const host: InspectorHost = {
    bundlesDir: options.bundlesDir ?? join(tmpdir(), 'llm386-bundles'),
    // After the import call answered: later calls go to the new store; calls still running on the
    // old one get a moment to finish before it closes.
    openStore: (dir) =>
      setImmediate(() => {
        let next: OpenApi;
        try {
          next = openApi(dir, options.configPath, host);
        } catch (error) {
          console.error(`llm386 inspect: could not open the imported store ${dir}:`, error);
          return;
        }
        const old = api;
        api = next;
        api.warmUp();
        retired.push(old);
        setTimeout(() => old.close(), 2000).unref();
      }),
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
        for (const old of retired) old.close();
      },
    };
  } catch (error) {
    api.close();
    throw error;
  }
}
