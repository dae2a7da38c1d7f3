#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by `npm run build:cli` (run automatically on install).
const path = require('node:path');
const fs = require('node:fs');
// `inspect` lives in src-main (src-core may not import it): its own bundle, out/web/inspect.cjs.
const inspect = process.argv[2] === 'inspect';
const entry = path.join(
  __dirname,
  '..',
  'out',
  inspect ? 'web' : 'cli',
  inspect ? 'inspect.cjs' : 'llm386.cjs',
);
if (!fs.existsSync(entry)) {
  process.stderr.write(
    'llm386: the CLI is not built yet: run `npm run build:cli` in ' +
      path.join(__dirname, '..') +
      '\n',
  );
  process.exit(1);
}
if (inspect) require(entry).main(process.argv.slice(3));
else require(entry).main();
