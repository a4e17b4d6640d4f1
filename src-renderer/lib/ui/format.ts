// How the screens write sizes, rates, durations and times: short, plain, and the same everywhere.
// Pure functions (the clock is a parameter), so the tables in test/renderer/format.test.ts pin them.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** Bytes in decimal units (as file managers show them): 0 B, 999 B, 1.5 kB, 12 MB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // One decimal while the number is small enough for it to matter.
  const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${text} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A duration for an ETA: 45 s, 3 min 20 s, 1 h 5 min; null (unknown) is an ellipsis in words. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'unknown';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    const rest = whole % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `${hours} h` : `${hours} h ${restMinutes} min`;
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: readonly { limitMs: number; unitMs: number; unit: Intl.RelativeTimeFormatUnit }[] = [
  { limitMs: 60 * 60_000, unitMs: 60_000, unit: 'minute' },
  { limitMs: 24 * 60 * 60_000, unitMs: 60 * 60_000, unit: 'hour' },
  { limitMs: 30 * 24 * 60 * 60_000, unitMs: 24 * 60 * 60_000, unit: 'day' },
];

/**
 * A moment relative to `now`: "just now" under 10 seconds, then seconds, minutes, hours, days.
 * A moment a little in the future (clocks of two processes) reads as just now, never "in 2 s".
 */
export function formatRelative(at: number, now: number): string {
  const ago = now - at;
  if (ago < 10_000) return 'just now';
  if (ago < 60_000) return RELATIVE.format(-Math.floor(ago / 1000), 'second');
  for (const step of STEPS) if (ago < step.limitMs) return RELATIVE.format(-Math.floor(ago / step.unitMs), step.unit);
  return formatAbsolute(at);
}

// Made once: toLocaleString builds a formatter on every call, which profiling showed to be the
// dashboard's costliest function under a stream of events (every row's tooltip).
const ABSOLUTE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const COUNT = new Intl.NumberFormat('en');

/** The full local date and time, for a tooltip or the datetime a person reads. */
export function formatAbsolute(at: number): string {
  return ABSOLUTE.format(at);
}

/** A whole number grouped by thousands: 1,234. */
export function formatCount(count: number): string {
  return COUNT.format(count);
}

/** A count with its noun: 1 file, 2 files, 1,234 changes. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
