// Builds the library the package exports (`import { openRuntime } from 'llm386'`): one CommonJS
// bundle of src-core (dist/index.cjs; Node's ESM loader reads its named exports) and its type
// declarations (dist/types). Dependencies stay external: lmdb and usearch are N-API modules.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { nodeBundle } from './node-bundle.mjs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await nodeBundle('src-core/index.ts', 'dist/index.cjs');
// Adapters are entry points of their own ('llm386/ai-sdk'): their framework stays an optional peer,
// and they reach the core through the library above, not a second copy of it.
await nodeBundle('src-core/adapters/ai-sdk.ts', 'dist/ai-sdk.cjs', {
  external: ['ai'],
  plugins: [
    {
      name: 'core-external',
      setup: (b) =>
        b.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: './index.cjs', external: true })),
    },
  ],
});
execFileSync(
  process.execPath,
  [
    new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname,
    '-p',
    'tsconfig.lib.json',
  ],
  { stdio: 'inherit' },
);
