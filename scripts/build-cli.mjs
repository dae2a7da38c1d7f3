// Bundles the CLI into one CommonJS file (out/cli/llm386.cjs), and the `inspect` verb and web
// mode's API worker beside it. Dependencies stay external (see node-bundle.mjs).
import { nodeBundle } from './node-bundle.mjs';

await nodeBundle('src-core/cli/main.ts', 'out/cli/llm386.cjs');

// `llm386 inspect` (web mode and the Electron launcher) lives in src-main, which src-core may not
// import: bin/llm386.cjs hands that verb to this separate bundle.
await nodeBundle('src-main/web/inspect.ts', 'out/web/inspect.cjs', {
  external: ['electron'],
  // examples/agent/demo.ts (the demo store) reads import.meta.url, which CommonJS lacks.
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
});

// Web mode's API worker threads (src-main/api/api-threads.ts finds it beside inspect.cjs).
await nodeBundle('src-main/api/api-worker.ts', 'out/web/api-worker.cjs', {
  external: ['electron'],
});
