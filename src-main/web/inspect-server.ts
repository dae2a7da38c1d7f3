// Web mode: the built renderer and the contract's handlers over HTTP on 127.0.0.1, guarded by a
// random token. `llm386 inspect --web` runs this; so do the e2e tests.
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startApiThreads } from '../api/api-threads';
import { rememberStore } from '../recent-stores';
import { startStaticServer } from './static-server';

export interface InspectServerOptions {
  /** The store directory; it must hold a store. */
  readonly storeDir: string;
  /** More stores the page may switch to (`llm386 inspect --store A --store B`), opened when picked. */
  readonly otherStores?: readonly string[] | undefined;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** Port on 127.0.0.1; default a free one. */
  readonly port?: number | undefined;
  readonly token?: string | undefined;
  /** A TOML config (profiles, retrievers, fractions), as for every other verb. */
  readonly configPath?: string | undefined;
  /** Where opened turn bundles become stores; default a folder under the system temp folder. */
  readonly bundlesDir?: string | undefined;
  /**
   * The recent stores' list (../recent-stores.ts): offered in the store menu, and each store this
   * server opens goes first in it. Without it, no recent stores.
   */
  readonly recentStoresFile?: string | undefined;
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
 * store, and `stores.open` switches between the stores it knows (../api/handlers/store-choices.ts): the ones
 * it was started with, recent ones and the stores made from bundles; never a folder the page names.
 * The store and its handlers live in worker threads (../api/api-threads.ts): this thread reads
 * requests, checks them and sends the answers.
 */
export async function startInspectServer(options: InspectServerOptions): Promise<InspectServer> {
  const { recentStoresFile } = options;
  const remember = (dir: string) => {
    if (recentStoresFile !== undefined) rememberStore(recentStoresFile, resolve(dir));
  };
  const threads = startApiThreads({
    configPath: options.configPath,
    bundlesDir: options.bundlesDir ?? join(tmpdir(), 'llm386-bundles'),
    known: [options.storeDir, ...(options.otherStores ?? [])].map((dir) => ({
      dir: resolve(dir),
      origin: 'opened' as const,
    })),
    recentStoresFile,
    onSwitched: remember,
  });
  try {
    await threads.open(options.storeDir);
    remember(options.storeDir);
    const server = await startStaticServer({
      root: options.rendererDir,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.token === undefined ? {} : { token: options.token }),
      api: (method, input) => threads.call(method, input),
    });
    return {
      url: server.url,
      port: server.port,
      token: server.token,
      close: async () => {
        await server.close();
        await threads.close();
      },
    };
  } catch (error) {
    await threads.close();
    throw error;
  }
}
