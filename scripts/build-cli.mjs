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
  define: { __LLM386_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
