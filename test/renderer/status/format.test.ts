// The dashboard's formatters: sizes, rates, durations and relative times, table by table.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, formatRelative, plural } from '../../../src-renderer/lib/ui/format';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('formatBytes', () => {
  const cases: { description: string; bytes: number; expected: string }[] = [
    { description: 'nothing', bytes: 0, expected: '0 B' },
    { description: 'bytes stay whole', bytes: 999, expected: '999 B' },
    { description: 'a kilobyte drops its .0', bytes: 1000, expected: '1 kB' },
    { description: 'one decimal under ten', bytes: 1500, expected: '1.5 kB' },
    { description: 'whole from ten on', bytes: 12_345_678, expected: '12 MB' },
    { description: 'gigabytes', bytes: 3_200_000_000, expected: '3.2 GB' },
    { description: 'beyond the last unit stays in it', bytes: 5e15, expected: '5000 TB' },
    { description: 'a negative count is no size', bytes: -1, expected: '–' },
    { description: 'NaN is no size', bytes: Number.NaN, expected: '–' },
  ];
  for (const { description, bytes, expected } of cases) it(description, () => expect(formatBytes(bytes)).toBe(expected));

  it('a rate is bytes per second', () => expect(formatRate(2_500_000)).toBe('2.5 MB/s'));
});

describe('formatDuration', () => {
  const cases: { description: string; seconds: number | null; expected: string }[] = [
    { description: 'unknown', seconds: null, expected: 'unknown' },
    { description: 'infinite is unknown', seconds: Number.POSITIVE_INFINITY, expected: 'unknown' },
    { description: 'seconds, rounded', seconds: 44.6, expected: '45 s' },
    { description: 'whole minutes', seconds: 120, expected: '2 min' },
    { description: 'minutes and seconds', seconds: 200, expected: '3 min 20 s' },
    { description: 'whole hours', seconds: 7200, expected: '2 h' },
    { description: 'hours and minutes (seconds dropped)', seconds: 3930, expected: '1 h 5 min' },
  ];
  for (const { description, seconds, expected } of cases) it(description, () => expect(formatDuration(seconds)).toBe(expected));
});

describe('formatRelative', () => {
  const cases: { description: string; agoMs: number; expected: string | RegExp }[] = [
    { description: 'a moment ago is just now', agoMs: 3000, expected: 'just now' },
    { description: 'a little in the future (another clock) is just now', agoMs: -2000, expected: 'just now' },
    { description: 'seconds', agoMs: 42_000, expected: '42 seconds ago' },
    { description: 'one minute says so in words', agoMs: 61_000, expected: '1 minute ago' },
    { description: 'minutes', agoMs: 59 * 60_000, expected: '59 minutes ago' },
    { description: 'hours', agoMs: 3 * 3600_000 + 5000, expected: '3 hours ago' },
    { description: 'one day is yesterday', agoMs: 25 * 3600_000, expected: 'yesterday' },
    { description: 'days', agoMs: 6 * 86_400_000, expected: '6 days ago' },
    { description: 'past a month, the date itself', agoMs: 40 * 86_400_000, expected: /2024/ },
  ];
  for (const { description, agoMs, expected } of cases) {
    it(description, () => {
      const text = formatRelative(NOW - agoMs, NOW);
      if (typeof expected === 'string') expect(text).toBe(expected);
      else expect(text).toMatch(expected);
    });
  }
});

describe('plural', () => {
  const cases: { description: string; count: number; one: string; many?: string; expected: string }[] = [
    { description: 'one', count: 1, one: 'file', expected: '1 file' },
    { description: 'none is plural', count: 0, one: 'file', expected: '0 files' },
    { description: 'an irregular plural, grouped', count: 1234, one: 'directory', many: 'directories', expected: '1,234 directories' },
  ];
  for (const { description, count, one, many, expected } of cases) it(description, () => expect(plural(count, one, many)).toBe(expected));
});
