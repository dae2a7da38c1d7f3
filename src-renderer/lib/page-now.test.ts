import { describe, expect, it } from 'vitest';
import { localInputValue, newestBlockTime, nowSource, nowToSend, parseNow } from './page-now';

const JAN = new Date(2026, 0, 12, 10, 9, 45).getTime();

describe('parseNow', () => {
  it('defaults to the store’s newest block', () => {
    expect(parseNow(undefined)).toEqual({ kind: 'newest' });
    expect(parseNow('')).toEqual({ kind: 'newest' });
  });

  it('reads clock and a local date and time', () => {
    expect(parseNow('clock')).toEqual({ kind: 'clock' });
    expect(parseNow('2026-01-12T10:09:45')).toEqual({
      kind: 'at',
      at: JAN,
      text: '2026-01-12T10:09:45',
    });
    expect(parseNow('2026-01-12T10:09')).toMatchObject({ kind: 'at', at: JAN - 45_000 });
  });

  it('falls back to the default for what it cannot read', () => {
    expect(parseNow('yesterday')).toEqual({ kind: 'newest' });
    expect(parseNow('2026-13-45T99:99')).toEqual({ kind: 'newest' });
    expect(parseNow('1768212600000')).toEqual({ kind: 'newest' });
  });

  it('round-trips a time through a datetime-local value', () => {
    expect(parseNow(localInputValue(JAN))).toMatchObject({ kind: 'at', at: JAN });
  });
});

describe('newestBlockTime', () => {
  it('is the latest lastAt over the sessions, ignoring empty ones', () => {
    expect(newestBlockTime([{ lastAt: 5 }, { lastAt: null }, { lastAt: 9 }, { lastAt: 7 }])).toBe(
      9,
    );
    expect(newestBlockTime([{ lastAt: null }])).toBeUndefined();
    expect(newestBlockTime([])).toBeUndefined();
  });
});

describe('nowToSend and nowSource', () => {
  it('sends the newest block time by default and says so', () => {
    expect(nowToSend({ kind: 'newest' }, JAN)).toBe(JAN);
    expect(nowSource({ kind: 'newest' }, JAN)).toBe('the store’s newest block');
  });

  it('sends nothing for the clock (the server’s time) and for an empty store', () => {
    expect(nowToSend({ kind: 'clock' }, JAN)).toBeUndefined();
    expect(nowToSend({ kind: 'newest' }, undefined)).toBeUndefined();
    expect(nowSource({ kind: 'newest' }, undefined)).toContain('the current time');
  });

  it('sends a time set as it is', () => {
    expect(nowToSend({ kind: 'at', at: 42, text: 'x' }, JAN)).toBe(42);
    expect(nowSource({ kind: 'at', at: 42, text: 'x' }, JAN)).toBe('the time set');
  });
});
