// Entry point: `tsx examples/agent/main.ts --store DIR [--session S] ["message"]`. See ./README.md.
import { runCli } from './cli';

void runCli(process.argv.slice(2), {
  stdin: process.stdin,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
