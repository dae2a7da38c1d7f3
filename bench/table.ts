/** One row of the benchmark table. */
export interface Row {
  readonly bench: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean | undefined;
}

/** Prints rows as an aligned text table on stdout. */
export function printTable(title: string, rows: readonly Row[]): void {
  const head = ['benchmark', 'result', 'target', ''];
  const body = rows.map((r) => [
    r.bench,
    r.value,
    r.target,
    r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

/** The q-quantile of numbers (0..1). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
