// Sizes, counts and times as the screens write them: decimal units as file managers show them
// ("3.4 MB"), counts with the locale's separators, and a time as a short date or a clock time.

const BYTE_UNITS = ['kB', 'MB', 'GB', 'TB'] as const;

/** 0 B, 999 B, 1.2 kB, 34 MB, 1.5 GB: one decimal below 10, none above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 9.95 ? value.toFixed(1) : Math.round(value).toString()} ${BYTE_UNITS[unit]}`;
}

/** "1 file", "12 files", "1,000 entries": a count with its noun. */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

// Made once: toLocaleTimeString builds a formatter on every call, too slow for rows that
// render on every scrolled frame.
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const SECONDS = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** A modification time: the clock time today, else the date and time. */
export function formatTime(ms: number, now: number = Date.now()): string {
  const date = new Date(ms);
  const today = new Date(now);
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  const clock = CLOCK.format(date);
  return sameDay ? clock : `${DAY.format(date)} ${clock}`;
}

/** A log line's time: hours, minutes and seconds. */
export function formatClock(ms: number): string {
  return SECONDS.format(new Date(ms));
}
