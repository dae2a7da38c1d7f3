// Number, time and size formatting shared by the views.

const integer = new Intl.NumberFormat('en-US');

/** 12,345 */
export function formatInt(n: number): string {
  return integer.format(Math.round(n));
}

/** A score in [0, 1] with three decimals. */
export function formatScore(n: number): string {
  return n.toFixed(3);
}

/** 1.2 KB, 3.4 MB */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** 2026-01-01 12:00:03 (local time). */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The first and last characters of a block id, for tight spaces. */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…${id.slice(-4)}`;
}

/** Percent of a total, one decimal. */
export function percent(part: number, whole: number): string {
  return whole <= 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`;
}
