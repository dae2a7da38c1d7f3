// The preload bridge. It runs sandboxed, so it is bundled to CommonJS on its own and imports only
// `electron` and types: a value import of anything else would emit a require() that cannot load
// here (electron.vite.config.ts fails the build if one appears). It exposes one object on
// `window` and never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';

/** A failure crossing the process boundary, as data. */
export interface BridgeError {
  readonly code: string;
  readonly message: string;
}

/** Every bridge call resolves to this; it never rejects for an expected failure. */
export type BridgeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: BridgeError };

/** What the renderer finds at `window.llm386`. Placeholder until the typed IPC contract lands. */
export interface Llm386Bridge {
  /** The app's version, as main reports it. */
  version(): Promise<BridgeResult<string>>;
}

// Same channel name as in src-main/index.ts.
const VERSION_CHANNEL = 'app.version';

const bridge: Llm386Bridge = {
  version: () => ipcRenderer.invoke(VERSION_CHANNEL) as Promise<BridgeResult<string>>,
};

contextBridge.exposeInMainWorld('llm386', bridge);
