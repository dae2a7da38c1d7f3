// `npm run bench`: prints a table per benchmark group. Figures, not pass/fail tests.
import { storeBench } from './store.bench';
import { printTable } from './table';

const n = Number(process.env.BENCH_N ?? 100_000);
printTable(`store (${n} blocks)`, storeBench(n));
