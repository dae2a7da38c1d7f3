// Runs on `npm install` / `npm ci`: builds the CLI so `npx llm386` works straight away.
import { execFileSync } from 'node:child_process';
execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
