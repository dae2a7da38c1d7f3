// One CommonJS bundle for Node, as every build script makes them: dependencies stay external
// (lmdb and usearch are N-API modules that must load from node_modules).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** The package's runtime dependencies: external in every bundle. */
export const DEPENDENCIES = Object.keys(pkg.dependencies ?? {});

/** Bundles `entry` to `outfile` (CommonJS, node20, linked source map); `extra` adds esbuild options. */
export function nodeBundle(entry, outfile, extra = {}) {
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    ...extra,
    external: [...DEPENDENCIES, ...(extra.external ?? [])],
  });
}
