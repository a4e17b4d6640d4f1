// The log screen's state: the last lines for a profile and level (logs:tail), then every
// logs:line that matches, at most MAX_LINES of them. Lines are taken at once and published at most
// once a frame, so a chatty engine does not re-render the list for each line. The screen starts
// following when it opens and stops when it closes. Created once in App.svelte.
import type { Api } from '../../../src-shared/ipc/contract';
import type { LogLevel, LogLine } from '../../../src-shared/model/app-settings';
import { appendLines, lineMatches, MAX_LINES, type LineQuery } from '../../features/logs/log-lines';

export class LogsState {
  /** Oldest first; raw state, replaced whole (5,000 lines must not become proxies). */
  lines = $state.raw<LogLine[]>([]);
  profile = $state<string | null>(null);
  level = $state<LogLevel>('Normal');
  loaded = $state(false);
  problem = $state<string | null>(null);
  #pending: LogLine[] = [];
  #scheduled = false;
  #stop: (() => void) | null = null;
  /** Bumped by every load, so a slow tail for an old query is dropped. */
  #generation = 0;
  #loading = false;

  constructor(readonly api: Api, private readonly schedule: (publish: () => void) => void = frame) {}

  /** Follows new lines and reads the tail for the query given. */
  start(query: LineQuery): Promise<void> {
    this.#stop ??= this.api.on('logs:line', (line) => this.#take(line));
    return this.setQuery(query);
  }

  stop(): void {
    this.#stop?.();
    this.#stop = null;
  }

  /** Reads the tail again for another profile or level. */
  async setQuery(query: LineQuery): Promise<void> {
    this.profile = query.profile;
    this.level = query.level;
    const generation = ++this.#generation;
    this.#loading = true;
    this.#pending = [];
    try {
      const tail = await this.api.invoke('logs:tail', { lines: MAX_LINES, level: query.level, ...(query.profile !== null ? { profile: query.profile } : {}) });
      if (generation !== this.#generation) return;
      // Lines that arrived while the tail was read join it (each once).
      this.lines = appendLines(tail, this.#pending);
      this.problem = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.problem = `The log could not be read: ${(error as Error).message}`;
    } finally {
      if (generation === this.#generation) {
        this.#loading = false;
        this.#pending = [];
        this.loaded = true;
      }
    }
  }

  dispose(): void {
    this.stop();
  }

  #take(line: LogLine): void {
    if (!lineMatches(line, { profile: this.profile, level: this.level })) return;
    this.#pending.push(line);
    if (this.#loading || this.#scheduled) return;
    this.#scheduled = true;
    this.schedule(() => {
      this.#scheduled = false;
      if (this.#loading) return;
      const pending = this.#pending;
      this.#pending = [];
      this.lines = appendLines(this.lines, pending);
    });
  }
}

function frame(publish: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => publish());
  else setTimeout(publish, 16);
}
