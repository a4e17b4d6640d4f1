// Which categories get logged, as lsyncd's `-log` option decides it (lsyncd.c add_logcat /
// check_logcat). Pure: no node:* imports.
//
// Each category has a syslog priority: Error 3, Warn 4, Normal 5, a category named with
// `-log NAME` 5, every other one 99. A line is logged when its priority <= the level.
// The level starts at 5 (Normal, Warn, Error); `-log scarce` sets 4 (Warn and Error only:
// lsyncd hides even its Normal lines then); `-log all` sets 99 (everything).
// Several `-log` options add up, in order, as in lsyncd.

const ERR = 3;
const WARNING = 4;
const NOTICE = 5;
const ALL = 99;

const BUILT_IN: Readonly<Record<string, number>> = { Error: ERR, Warn: WARNING, Normal: NOTICE };

export interface LogFilter {
  readonly level: number;
  /** Categories turned on by name (`-log Delay`). */
  readonly named: ReadonlySet<string>;
}

export type LogFilterResult =
  | { readonly ok: true; readonly filter: LogFilter }
  | { readonly ok: false; readonly error: string };

/** The filter with no `-log` option: Normal, Warn and Error. */
export const DEFAULT_LOG_FILTER: LogFilter = { level: NOTICE, named: new Set() };

/**
 * Parses the values of every `-log` option, in order: `all`, `scarce`, or a category name that
 * starts with a capital letter (lsyncd's rule; it rejects anything else).
 */
export function parseLogOptions(values: readonly string[]): LogFilterResult {
  let level = NOTICE;
  const named = new Set<string>();
  for (const value of values) {
    if (value === 'all') level = ALL;
    else if (value === 'scarce') level = WARNING;
    else if (/^[A-Z]/.test(value)) named.add(value);
    else return { ok: false, error: `'${value}' is not a valid logging category` };
  }
  return { ok: true, filter: { level, named } };
}

function priorityOf(filter: LogFilter, category: string): number {
  return BUILT_IN[category] ?? (filter.named.has(category) ? NOTICE : ALL);
}

/** Whether a line of this category gets written. */
export function isLogged(filter: LogFilter, category: string): boolean {
  return priorityOf(filter, category) <= filter.level;
}

/** Whether the line goes to stderr rather than stdout on the console (priority <= LOG_ERR). */
export function isErrorCategory(category: string): boolean {
  return (BUILT_IN[category] ?? ALL) <= ERR;
}
