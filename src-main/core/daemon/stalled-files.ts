import type { Outcome, Plan, RelPath, Stall } from '../../../src-shared/model/sync';
import type { Clock, TimerHandle } from '../queue/clock';
import { printablePath } from '../report/printable';
import { stallText } from '../safety/no-space';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from '../session/backoff';
import type { SessionLog } from '../session/session';
import { isWithin } from '../watch/byte-path';

export interface StalledFilesOptions {
  readonly clock: Clock;
  readonly backoff?: BackoffPolicy;
  /** How logs name the target ("/srv/mirror/"). */
  readonly description: string;
  readonly log?: SessionLog;
  /** Queues a run of the given paths alone: a stalled file's own retry. */
  readonly retry: (paths: readonly RelPath[]) => void;
}

/** One file set aside, and where its own retry stands. */
export interface StalledFile {
  readonly stall: Stall;
  readonly attempt: number;
  /** When its next retry runs (clock time). */
  readonly nextAt: number;
}

interface Entry extends StalledFile {
  readonly timer: TimerHandle;
}

/**
 * The files a target had no room for. The transfer that found one went on without it (the
 * transport set it aside), so it never holds up the rest of its batch or any later one; here
 * each gets a retry of its own, with the session's backoff (1 s, 2 s, 4 s ... capped). A file
 * leaves the set when a run that covered it comes back without naming it: it fitted, or the
 * source deleted or replaced it meanwhile.
 */
export class StalledFiles {
  readonly #entries = new Map<RelPath, Entry>();

  constructor(private readonly options: StalledFilesOptions) {}

  get files(): readonly StalledFile[] {
    return [...this.#entries.values()].map(({ stall, attempt, nextAt }) => ({ stall, attempt, nextAt }));
  }

  /** Reads the outcome of one run of `plan`: the files it set aside, and the ones that arrived. */
  note(plan: Plan, outcome: Outcome): void {
    if (outcome.kind !== 'ok') return;
    const named = new Map((outcome.stalled ?? []).map((stall) => [stall.path, stall]));
    for (const [path, entry] of this.#entries) {
      if (named.has(path) || !(plan.full || plan.sync.some((listed) => isWithin(path, listed)))) continue;
      this.options.clock.clearTimer(entry.timer);
      this.#entries.delete(path);
      this.options.log?.('Normal', `${this.options.description}: "${printablePath(path)}" is no longer set aside for want of room`);
    }
    for (const stall of named.values()) this.#setAside(stall);
  }

  close(): void {
    for (const entry of this.#entries.values()) this.options.clock.clearTimer(entry.timer);
    this.#entries.clear();
  }

  #setAside(stall: Stall): void {
    const { clock, log, description } = this.options;
    const previous = this.#entries.get(stall.path);
    if (previous) clock.clearTimer(previous.timer);
    const attempt = (previous?.attempt ?? 0) + 1;
    const delay = backoffDelay(attempt, this.options.backoff ?? defaultBackoff);
    const timer = clock.setTimer(delay, () => this.options.retry([stall.path]));
    this.#entries.set(stall.path, { stall, attempt, nextAt: clock.now() + delay, timer });
    log?.('Warn', `${description}: no space left on the target: ${stallText(stall)}; it is set aside and the other changes go on (retry ${attempt} of it in ${Math.round(delay / 1000)} s)`);
  }
}
