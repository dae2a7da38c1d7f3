/**
 * A progress bar on stderr. On a terminal it redraws one line; otherwise it prints a plain line
 * at most every 250 ms (and at the end), so logs stay readable and every printed count is durable.
 */
export class Progress {
  private lastPrint = 0;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly isTty: boolean,
  ) {}

  update(done: number): void {
    const now = Date.now();
    const final = done >= this.total;
    if (!final && now - this.lastPrint < (this.isTty ? 80 : 250)) return;
    this.lastPrint = now;
    const pct = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
    const rate = Math.round(done / Math.max((now - this.started) / 1000, 0.001));
    if (this.isTty) {
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      this.write(
        `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct}% ${done}/${this.total} (${rate}/s)${final ? '\n' : ''}`,
      );
    } else {
      this.write(`${this.label}: ${done}/${this.total} committed (${pct}%, ${rate}/s)\n`);
    }
  }
}
