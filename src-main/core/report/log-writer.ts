// Writes lsyncd-format log lines to the logfile and, when running in the foreground (nodaemon),
// to the console. I/O lives here; the layout is log-format.ts, the `-log` filter log-filter.ts.
//
// As lsyncd does: every line goes to the logfile (append) with a ctime stamp and, in the
// foreground, to the console with an HH:MM:SS stamp, Error lines on stderr and the rest on
// stdout. lsyncd reopens the logfile for every line; Tidemark keeps it open and reopens it on
// demand (`reopen()` on HUP, after logrotate moved the file away).
// Files are created 0644 (before the umask), as lsyncd's fopen(..., "a") creates them, so that
// monitoring agents running as other users can read them.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { LogEntry, LogCategory } from './log-format';
import { formatConsoleLine, formatLogLine } from './log-format';
import type { LogFilter } from './log-filter';
import { DEFAULT_LOG_FILTER, isErrorCategory, isLogged } from './log-filter';

/** The few file operations the logger needs; the default uses node:fs synchronously. */
export interface LogFiles {
  /** Opens for appending, creating with `mode`; returns a handle. */
  open(path: string, mode: number): number;
  write(handle: number, text: string): void;
  close(handle: number): void;
}

export const nodeLogFiles: LogFiles = {
  open: (path, mode) => openSync(path, 'a', mode),
  write: (handle, text) => {
    writeSync(handle, text);
  },
  close: (handle) => closeSync(handle),
};

/** Where foreground lines go; each call gets one complete line, newline included. */
export interface ConsoleSink {
  out(text: string): void;
  err(text: string): void;
}

export const processConsole: ConsoleSink = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export interface LoggerOptions {
  readonly logfile?: string;
  /** Set when running in the foreground (nodaemon). */
  readonly console?: ConsoleSink;
  readonly filter?: LogFilter;
  readonly clock: { now(): number };
  readonly files?: LogFiles;
  /** Defaults to 0o644. */
  readonly fileMode?: number;
  /** Told once per failure streak when the logfile cannot be opened or written; logging goes on. */
  readonly onWriteError?: (error: LogfileError) => void;
  /** Sees every line the filter lets through (the app's log service keeps the recent ones). */
  readonly tap?: (at: number, category: LogCategory, message: string) => void;
}

/** The logfile could not be opened or written. */
export class LogfileError extends Error {
  override name = 'LogfileError';
  constructor(
    readonly path: string,
    override readonly cause: unknown,
    readonly action: 'open' | 'write' = 'open',
  ) {
    super(`Cannot ${action} logfile [${path}]! ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export class Logger {
  readonly #options: LoggerOptions;
  readonly #files: LogFiles;
  readonly #filter: LogFilter;
  #handle: number | null = null;
  /** Set after a failure was reported, so a full disk reports once, not once per line. */
  #failing = false;

  constructor(options: LoggerOptions) {
    this.#options = options;
    this.#files = options.files ?? nodeLogFiles;
    this.#filter = options.filter ?? DEFAULT_LOG_FILTER;
  }

  /** Opens the logfile now, so that startup fails early as lsyncd's does. Throws LogfileError. */
  open(): void {
    if (this.#options.logfile !== undefined) this.#ensureOpen(this.#options.logfile);
  }

  #ensureOpen(path: string): number {
    if (this.#handle !== null) return this.#handle;
    try {
      this.#handle = this.#files.open(path, this.#options.fileMode ?? 0o644);
      return this.#handle;
    } catch (cause) {
      throw new LogfileError(path, cause);
    }
  }

  /** Closes and reopens the logfile: after logrotate moved it, lines go to a fresh file. */
  reopen(): void {
    this.close();
    this.open();
  }

  close(): void {
    if (this.#handle === null) return;
    const handle = this.#handle;
    this.#handle = null;
    try {
      this.#files.close(handle);
    } catch {
      // Closing a handle whose file is gone cannot be helped; the next open starts afresh.
    }
  }

  /** Whether lines of this category are written at all (spare building costly messages). */
  enabled(category: LogCategory): boolean {
    return isLogged(this.#filter, category);
  }

  /** Logs a built entry (see the builders in log-format.ts). Never throws. */
  log(entry: LogEntry): void {
    this.write(entry.category, entry.message);
  }

  /** Logs one message in a category. Never throws. */
  write(category: LogCategory, message: string): void {
    if (!this.enabled(category)) return;
    const at = new Date(this.#options.clock.now());
    this.#options.tap?.(at.getTime(), category, message);
    const sink = this.#options.console;
    if (sink) {
      const line = `${formatConsoleLine(at, category, message)}\n`;
      if (isErrorCategory(category)) sink.err(line);
      else sink.out(line);
    }
    const path = this.#options.logfile;
    if (path !== undefined) this.#append(path, `${formatLogLine(at, category, message)}\n`);
  }

  #append(path: string, text: string): void {
    try {
      const handle = this.#ensureOpen(path);
      try {
        this.#files.write(handle, text);
      } catch (cause) {
        throw new LogfileError(path, cause, 'write');
      }
      this.#failing = false;
    } catch (cause) {
      this.close(); // the next line tries a fresh open
      if (this.#failing) return;
      this.#failing = true;
      this.#options.onWriteError?.(cause instanceof LogfileError ? cause : new LogfileError(path, cause, 'write'));
    }
  }
}
