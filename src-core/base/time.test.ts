import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './time';

describe('parseTimestamp', () => {
  it('reads ISO 8601 dates and date-times, without an offset as UTC', () => {
    expect(parseTimestamp('2024-05-30')).toBe(Date.UTC(2024, 4, 30));
    expect(parseTimestamp('2024-05-30T23:40:00Z')).toBe(Date.UTC(2024, 4, 30, 23, 40));
    expect(parseTimestamp('2024-05-30T23:40')).toBe(Date.UTC(2024, 4, 30, 23, 40));
    expect(parseTimestamp('2024-05-30 23:40:05.5+02:00')).toBe(
      Date.UTC(2024, 4, 30, 21, 40, 5, 500),
    );
  });

  it('reads Unix seconds below 1e11 and milliseconds from there on, as numbers or digit strings', () => {
    expect(parseTimestamp(1_700_000_000)).toBe(1_700_000_000_000);
    expect(parseTimestamp('1700000000')).toBe(1_700_000_000_000);
    expect(parseTimestamp(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(parseTimestamp(0)).toBe(0);
  });

  it('refuses anything else', () => {
    for (const bad of [
      'last week',
      '2024-13-01',
      '',
      '-5',
      -5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1e20,
      null,
      {},
      true,
      '2024/05/30',
    ]) {
      expect(parseTimestamp(bad), String(bad)).toBeUndefined();
    }
  });
});
