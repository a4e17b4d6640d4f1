// Keeps lsyncd's status file current. The layout is status-format.ts; this is the timing and I/O.
//
// lsyncd rewrites the file only when something happens, at most every statusInterval seconds,
// so an idle daemon leaves a stale report behind (LSYNCD.md #14). Tidemark rewrites it every
// statusInterval seconds whether or not anything happened, at once on writeNow(), and on
// changed() at once unless it wrote less than an interval ago.
// Each write goes to a temporary file in the same directory, then renames over the status file,
// so a reader never sees half a report. Files are created 0644 (before the umask), as lsyncd's.

import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '../queue/clock';
import type { SyncStatusInfo } from './status-format';
import { formatStatusReport } from './status-format';

export interface StatusFiles {
  /** Creates or truncates `path` with `mode` and writes `text`. */
  writeFile(path: string, text: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeStatusFiles: StatusFiles = {
  writeFile: (path, text, mode) => writeFile(path, text, { mode }),
  rename: (from, to) => rename(from, to),
  unlink: (path) => unlink(path),
};

/** The real clock, whose timers never keep the process alive by themselves. */
export const systemStatusClock: Clock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface StatusWriterOptions {
  readonly path: string;
  /** settings.statusInterval, in seconds; below 1 s the refresh runs every second. */
  readonly intervalSeconds: number;
  /** Timestamps in the report come from `now()`, so it must be wall-clock time. */
  readonly clock?: Clock;
  readonly files?: StatusFiles;
  /** Defaults to 0o644. */
  readonly fileMode?: number;
  /** Told about each failed write; the writer keeps going and tries again next interval. */
  readonly onError?: (error: StatusFileError) => void;
}

export class StatusFileError extends Error {
  override name = 'StatusFileError';
  constructor(
    readonly path: string,
    override readonly cause: unknown,
  ) {
    super(`Cannot write status file [${path}]: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export class StatusWriter {
  readonly #options: StatusWriterOptions;
  readonly #clock: Clock;
  readonly #files: StatusFiles;
  readonly #tempPath: string;
  #getInfo: (() => readonly SyncStatusInfo[]) | null = null;
  #timer: unknown = null;
  #inFlight: Promise<void> | null = null;
  /** When the last write started, for changed()'s throttle. */
  #lastWriteAt: number | null = null;
  /** A writeNow() arrived during a write: one more write follows, with fresh data. */
  #again = false;

  constructor(options: StatusWriterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemStatusClock;
    this.#files = options.files ?? nodeStatusFiles;
    // Same directory, so the rename is atomic; the pid keeps two daemons from sharing a temp file.
    this.#tempPath = join(dirname(options.path), `.${basename(options.path)}.${process.pid}.tmp`);
  }

  get running(): boolean {
    return this.#getInfo !== null;
  }

  /** Writes a first report now, then one every interval until stop(). */
  start(getInfo: () => readonly SyncStatusInfo[]): Promise<void> {
    this.#getInfo = getInfo;
    return this.writeNow();
  }

  /**
   * Writes a report now and restarts the interval from here. Calls during a write coalesce into
   * one follow-up write; the promise settles when the report on disk is at least this fresh.
   * Never rejects: failures go to onError.
   */
  writeNow(): Promise<void> {
    if (this.#getInfo === null) return Promise.resolve();
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = this.#writeLoop().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /**
   * Something in the report changed: write now unless a write started less than an interval ago
   * (lsyncd's throttle: statusInterval is the minimum time between two writes). The periodic
   * refresh then shows the change within one interval.
   */
  changed(): void {
    if (this.#getInfo === null || this.#inFlight) return;
    const last = this.#lastWriteAt;
    if (last === null || this.#clock.now() - last >= this.#intervalMs()) void this.writeNow();
  }

  /** Stops the refresh and waits for a write under way. The last report stays on disk. */
  async stop(): Promise<void> {
    this.#getInfo = null;
    this.#cancelTimer();
    await this.#inFlight;
  }

  async #writeLoop(): Promise<void> {
    this.#cancelTimer();
    do {
      this.#again = false;
      await this.#writeOnce();
    } while (this.#again && this.#getInfo !== null);
    this.#schedule();
  }

  async #writeOnce(): Promise<void> {
    const getInfo = this.#getInfo;
    if (getInfo === null) return;
    this.#lastWriteAt = this.#clock.now();
    try {
      const text = formatStatusReport(new Date(this.#clock.now()), getInfo());
      await this.#files.writeFile(this.#tempPath, text, this.#options.fileMode ?? 0o644);
      await this.#files.rename(this.#tempPath, this.#options.path);
    } catch (cause) {
      await this.#files.unlink(this.#tempPath).catch(() => undefined);
      this.#options.onError?.(new StatusFileError(this.#options.path, cause));
    }
  }

  #schedule(): void {
    this.#cancelTimer();
    if (this.#getInfo === null) return;
    this.#timer = this.#clock.setTimer(this.#intervalMs(), () => {
      this.#timer = null;
      void this.writeNow();
    });
  }

  #intervalMs(): number {
    return Math.max(1, this.#options.intervalSeconds) * 1000;
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    this.#clock.clearTimer(this.#timer);
    this.#timer = null;
  }
}
