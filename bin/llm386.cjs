#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is bundled by `npm run build:cli` (run automatically on install).
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'llm386.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('llm386: the CLI is not built yet: run `npm run build:cli` in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require(entry).main();
