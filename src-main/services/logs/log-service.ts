// The app's log: every engine's lines (through Logger's tap) and the app's own, kept in memory
// for the logs screen (the last N, filtered by profile and level) and followed as `logs:line`
// events. The files on disk are the engines' own logfiles ($XDG_STATE_HOME/tidemark/logs).
import type { LogCategory } from '../../core/report/log-format';
import { LOG_LEVELS, type LogLevel, type LogLine } from '../../../src-shared/model/app-settings';

/** lsyncd's categories as the levels a person filters by. */
export function levelOf(category: LogCategory): LogLevel {
  switch (category) {
    case 'Error':
    case 'Warn':
    case 'Normal':
    case 'Debug':
      return category;
    default:
      return 'Verbose'; // Exec, Delay, Inotify, Statusfile: what lsyncd shows with -log all
  }
}

export interface LogQuery {
  /** At most this many lines, the newest (default 500). */
  readonly lines?: number;
  readonly profile?: string;
  /** The least severe level shown: 'Warn' shows Error and Warn. */
  readonly level?: LogLevel;
  /** Only lines after this sequence number (a follower catching up). */
  readonly after?: number;
}

export class LogService {
  readonly #lines: LogLine[] = [];
  readonly #listeners = new Set<(line: LogLine) => void>();
  #seq = 0;

  constructor(private readonly capacity = 5000) {}

  /** Records a line; listeners hear it at once. */
  add(at: number, level: LogLevel, profile: string | null, text: string): LogLine {
    const line: LogLine = { seq: ++this.#seq, at, level, profile, text };
    this.#lines.push(line);
    // Trim in chunks, so a busy engine does not shift the array on every line.
    if (this.#lines.length > this.capacity * 1.25) this.#lines.splice(0, this.#lines.length - this.capacity);
    for (const listener of this.#listeners) listener(line);
    return line;
  }

  /** A Logger tap for one profile's engine. */
  tapFor(profile: string): (at: number, category: LogCategory, message: string) => void {
    return (at, category, message) => void this.add(at, levelOf(category), profile, message);
  }

  tail(query: LogQuery = {}): LogLine[] {
    const limit = query.lines ?? 500;
    const shown = LOG_LEVELS.indexOf(query.level ?? 'Debug');
    const out: LogLine[] = [];
    for (let i = this.#lines.length - 1; i >= 0 && out.length < limit; i--) {
      const line = this.#lines[i]!;
      if (query.after !== undefined && line.seq <= query.after) break;
      if (this.#lines.length - i > this.capacity) break;
      if (query.profile !== undefined && line.profile !== query.profile) continue;
      if (LOG_LEVELS.indexOf(line.level) > shown) continue;
      out.push(line);
    }
    return out.reverse();
  }

  subscribe(listener: (line: LogLine) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
