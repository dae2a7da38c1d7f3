// The one Content-Security-Policy of the app. Main sets it as a response header (Electron session
// and web mode); src-renderer/index.html repeats it in a <meta> for file:// loads, where no header
// exists. window-options.test.ts keeps the two in step.

/** CSP directives, in the order they are serialised. */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  // react-diff-viewer-continued injects <style> elements at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  // react-diff-viewer-continued computes diffs in a blob: worker.
  'worker-src': ["'self'", 'blob:'],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

// Browsers ignore these in a <meta> policy, and Chromium logs a console error for each.
const HEADER_ONLY_DIRECTIVES: ReadonlySet<string> = new Set([
  'frame-ancestors',
  'report-uri',
  'sandbox',
]);

function serialise(directives: ReadonlyArray<readonly [string, readonly string[]]>): string {
  return directives.map(([directive, sources]) => [directive, ...sources].join(' ')).join('; ');
}

/** The policy as one header value: `directive source ...; directive source ...`. */
export const CONTENT_SECURITY_POLICY: string = serialise(Object.entries(CSP_DIRECTIVES));

function forMeta(directives: Readonly<Record<string, readonly string[]>>): string {
  return serialise(
    Object.entries(directives).filter(([directive]) => !HEADER_ONLY_DIRECTIVES.has(directive)),
  );
}

/**
 * The policy for the `<meta http-equiv>` in src-renderer/index.html: the header policy without
 * the directives a meta policy cannot carry (`frame-ancestors`).
 */
export const META_CONTENT_SECURITY_POLICY: string = forMeta(CSP_DIRECTIVES);

// `electron-vite dev` only, never a build: @vitejs/plugin-react injects its React Refresh preamble
// as an inline <script> into the dev server's index.html.
const DEV_SERVER_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  ...CSP_DIRECTIVES,
  'script-src': ["'self'", "'unsafe-inline'"],
};

/** {@link CONTENT_SECURITY_POLICY} for the renderer dev server; main uses it only for `ELECTRON_RENDERER_URL`. */
export const DEV_SERVER_CONTENT_SECURITY_POLICY: string = serialise(
  Object.entries(DEV_SERVER_DIRECTIVES),
);

/** {@link META_CONTENT_SECURITY_POLICY} for the renderer dev server (electron.vite.config.ts swaps it in). */
export const DEV_SERVER_META_CONTENT_SECURITY_POLICY: string = forMeta(DEV_SERVER_DIRECTIVES);
