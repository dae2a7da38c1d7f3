import type { BrowserWindowConstructorOptions } from 'electron';

/** What the main window needs to know from its caller. */
export interface WindowOptionsInput {
  /** Absolute path of the built preload bundle (`out/preload/index.js`). */
  readonly preloadPath: string;
}

/**
 * Options for the inspector's main window. Pure, so the security settings are unit-tested without
 * Electron: an isolated, sandboxed renderer with no Node integration that reaches main only
 * through the preload bridge.
 */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'LLM386 Inspector',
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    // Shown on `ready-to-show` so the first paint is the page, not a blank frame.
    show: false,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A store folder dropped on the window goes to main (the preload sends its path), never
      // navigates the window to it.
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
