// The log screen's pure rules: which lines a level shows, what a search finds, and how new lines
// join the ones shown without passing the cap.
import type { LogLevel, LogLine } from '../../../src-shared/model/app-settings';
import { LOG_LEVELS } from '../../../src-shared/model/app-settings';

/** The most lines the screen keeps (what the core keeps too): older ones fall off the top. */
export const MAX_LINES = 5000;

/** Whether a line shows at a level: the level names the least severe one shown. */
export function levelShows(shown: LogLevel, line: LogLevel): boolean {
  return LOG_LEVELS.indexOf(line) <= LOG_LEVELS.indexOf(shown);
}

export interface LineQuery {
  /** Only this profile's lines; null for every line. */
  readonly profile: string | null;
  readonly level: LogLevel;
}

/** Whether a followed line belongs with the lines the core's tail gave for the same query. */
export function lineMatches(line: LogLine, query: LineQuery): boolean {
  return (query.profile === null || line.profile === query.profile) && levelShows(query.level, line.level);
}

/** The lines a search text finds (case-insensitive, in the text or the profile's name). */
export function searchLines(lines: readonly LogLine[], search: string): readonly LogLine[] {
  const needle = search.trim().toLowerCase();
  if (needle === '') return lines;
  return lines.filter((line) => line.text.toLowerCase().includes(needle) || (line.profile?.toLowerCase().includes(needle) ?? false));
}

/**
 * Lines followed after a tail joined to it: in order, each once (a line can arrive both as an
 * event and in the tail that was read while it arrived), at most `max`, the newest kept.
 */
export function appendLines(lines: readonly LogLine[], more: readonly LogLine[], max: number = MAX_LINES): LogLine[] {
  const lastSeq = lines.at(-1)?.seq ?? -1;
  const fresh = more.filter((line) => line.seq > lastSeq).sort((a, b) => a.seq - b.seq);
  const joined = fresh.length === 0 ? [...lines] : [...lines, ...fresh];
  return joined.length > max ? joined.slice(joined.length - max) : joined;
}

/** How a level reads in the level picker. */
export const LEVEL_WORDS: Record<LogLevel, string> = {
  Error: 'Errors only',
  Warn: 'Warnings and errors',
  Normal: 'Normal',
  Verbose: 'Verbose',
  Debug: 'Debug (everything)',
};
