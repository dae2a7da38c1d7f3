// `npm run bench`: prints a table per benchmark group. Figures, not pass/fail tests.
// BENCH_N sets the store benchmark size (default 100k); BENCH_SIZES the page sizes (default 1k,10k,100k).
import { pageBench } from './page.bench';
import { storeBench } from './store.bench';
import { printTable } from './table';

const n = Number(process.env.BENCH_N ?? 100_000);
const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const only = process.env.BENCH_ONLY;

async function main(): Promise<void> {
  if (only === undefined || only === 'store') printTable(`store (${n} blocks)`, storeBench(n));
  if (only === undefined || only === 'page') {
    for (const size of sizes) {
      const { rows, stages } = await pageBench(size, Number(process.env.BENCH_RUNS ?? 30));
      printTable(`page + pack (${size} blocks)`, rows);
      printTable(`stage medians (${size} blocks)`, stages);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
