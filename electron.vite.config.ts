// Three bundles: main (Node, dependencies external), preload (sandboxed: one CommonJS file that
// requires nothing but `electron`) and the React renderer.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import {
  DEV_SERVER_META_CONTENT_SECURITY_POLICY,
  META_CONTENT_SECURITY_POLICY,
} from './src-main/csp';

const root = __dirname;
const preloadDir = resolve(root, 'src-main/preload');

/**
 * Fails the preload build when it would pull in anything but `electron` and its own files. A
 * sandboxed preload cannot `require()` other modules, and the bundler would otherwise emit such a
 * require silently (see ../shared/toolchain.md). Type-only imports are erased before this runs.
 */
function preloadImportsOnlyElectron(): Plugin {
  return {
    name: 'llm386:preload-imports-only-electron',
    enforce: 'pre',
    resolveId(source, importer) {
      // Entry points, `electron` and bundler-internal virtual modules (\0...) are fine.
      if (importer === undefined || source === 'electron' || source.startsWith('\0')) return null;
      if (!source.startsWith('.')) {
        this.error(
          `The preload may import only 'electron' and types, but ${importer} imports '${source}'.`,
        );
      }
      const target = resolve(importer, '..', source);
      if (target !== preloadDir && !target.startsWith(preloadDir + '/')) {
        this.error(
          `The preload may import only its own files, 'electron' and types, but ${importer} imports '${source}'.`,
        );
      }
      return null;
    },
  };
}

/**
 * In `electron-vite dev` only, lets the <meta> CSP allow the inline React Refresh preamble that
 * @vitejs/plugin-react injects. Builds keep the strict policy.
 */
function devServerCsp(): Plugin {
  return {
    name: 'llm386:dev-server-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      if (!html.includes(META_CONTENT_SECURITY_POLICY)) {
        throw new Error(
          'src-renderer/index.html does not carry META_CONTENT_SECURITY_POLICY from src-main/csp.ts.',
        );
      }
      return html.replace(META_CONTENT_SECURITY_POLICY, DEV_SERVER_META_CONTENT_SECURITY_POLICY);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Dependencies (lmdb, usearch, ...) stay external: N-API modules must load from node_modules.
      externalizeDeps: true,
      // The API worker threads (src-main/api/api-threads.ts) load out/main/api-worker.js.
      lib: {
        entry: {
          index: resolve(root, 'src-main/index.ts'),
          'api-worker': resolve(root, 'src-main/api/api-worker.ts'),
        },
        formats: ['cjs'],
      },
    },
  },
  preload: {
    plugins: [preloadImportsOnlyElectron()],
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src-main/preload/index.ts'), formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [devServerCsp(), react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves bundles unminified by default; the renderer's 2.4 MB of JS (also served
      // over HTTP in web mode) parses and compiles faster minified.
      minify: true,
      rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});
