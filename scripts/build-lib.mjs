// Builds the library the package exports (`import { openRuntime } from 'llm386'`): one CommonJS
// bundle of src-core (dist/index.cjs; Node's ESM loader reads its named exports) and its type
// declarations (dist/types). Dependencies stay external: lmdb and usearch are N-API modules.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src-core/index.ts'],
  outfile: 'dist/index.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: Object.keys(pkg.dependencies ?? {}),
  logLevel: 'warning',
});
// Adapters are entry points of their own ('llm386/ai-sdk'): their framework stays an optional peer,
// and they reach the core through the library above, not a second copy of it.
await build({
  entryPoints: ['src-core/adapters/ai-sdk.ts'],
  outfile: 'dist/ai-sdk.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  external: [...Object.keys(pkg.dependencies ?? {}), 'ai'],
  plugins: [{ name: 'core-external', setup: (b) => b.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: './index.cjs', external: true })) }],
  logLevel: 'warning',
});
execFileSync(process.execPath, [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });
