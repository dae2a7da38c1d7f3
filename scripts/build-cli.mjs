// Bundles the CLI into one CommonJS file (out/cli/llm386.cjs). Dependencies stay external:
// lmdb and usearch are N-API modules that must load from node_modules.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  entryPoints: ['src-core/cli/main.ts'],
  outfile: 'out/cli/llm386.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});

// `llm386 inspect` (web mode and the Electron launcher) lives in src-main, which src-core may not
// import: bin/llm386.cjs hands that verb to this separate bundle.
await build({
  entryPoints: ['src-main/web/inspect.ts'],
  outfile: 'out/web/inspect.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: [...Object.keys(pkg.dependencies ?? {}), 'electron'],
  // examples/agent/demo.ts (the demo store) reads import.meta.url, which CommonJS lacks.
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
  logLevel: 'warning',
});

// Web mode's API worker threads (src-main/api/api-threads.ts finds it beside inspect.cjs).
await build({
  entryPoints: ['src-main/api/api-worker.ts'],
  outfile: 'out/web/api-worker.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: [...Object.keys(pkg.dependencies ?? {}), 'electron'],
  logLevel: 'warning',
});
