// Web mode: the built renderer and the contract's handlers over HTTP on 127.0.0.1, guarded by a
// random token. `llm386 inspect --web` runs this; so do the e2e tests.
import { callApi } from '../api/handlers';
import { openApi } from '../api/open-api';
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
}

export interface InspectServer {
  /** The page to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Stops serving and closes the store. */
  close(): Promise<void>;
}

/** Opens the store and serves the inspector on it. */
export async function startInspectServer(options: InspectServerOptions): Promise<InspectServer> {
  const api = openApi(options.storeDir, options.configPath);
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
      },
    };
  } catch (error) {
    api.close();
    throw error;
  }
}
