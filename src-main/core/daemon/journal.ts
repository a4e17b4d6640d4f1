import type { FsEvent, Plan } from '../../../src-shared/model/sync';
import type { Clock, TimerHandle } from '../queue/clock';
import type { TargetStore } from './target-store';

/** How often, at most, the journal is written (ms). */
export const JOURNAL_FLUSH_MS = 100;
/** Beyond this many unbatched events the journal records a resync instead of the list. */
export const MAX_JOURNALED_EVENTS = 10_000;

/**
 * What a target has not shipped yet, kept in its TargetStore so that a kill -9 loses none of
 * it: the plans queued or running, and the events of the batch in the making (lsyncd's `delay`
 * window, 15 s by default). Written at most every JOURNAL_FLUSH_MS, not per batch or event: a
 * burst of thousands of batches costs a few writes. A journal a little behind is safe both
 * ways: a plan shipped but still listed runs again harmlessly (renames find their origin gone
 * and fall back to a transfer of what is already there), and the last 100 ms before a crash are
 * covered by the checked full sync of the restart.
 */
export class Journal {
  #plans: readonly Plan[] = [];
  #unbatched: FsEvent[] = [];
  #flush: TimerHandle | null = null;
  #closed = false;

  constructor(
    private readonly store: TargetStore,
    private readonly clock: Clock,
  ) {}

  /** The session's plans not shipped yet (queued, and the one running). */
  plans(plans: readonly Plan[]): void {
    this.#plans = [...plans];
    this.#changed();
  }

  record(events: readonly FsEvent[]): void {
    if (this.#unbatched.length <= MAX_JOURNALED_EVENTS) this.#unbatched.push(...events);
    if (events.length > 0) this.#changed();
  }

  /** The batch was made: its plan is journaled from now on, the events no longer. */
  batched(): void {
    if (this.#unbatched.length === 0) return;
    this.#unbatched = [];
    this.#changed();
  }

  /** Writes what is pending now, and every change at once from here on (the daemon is stopping). */
  close(): void {
    this.#closed = true;
    if (this.#flush === null) return;
    this.clock.clearTimer(this.#flush);
    this.#flush = null;
    this.#write();
  }

  #changed(): void {
    if (this.#closed) {
      this.#write();
      return;
    }
    this.#flush ??= this.clock.setTimer(JOURNAL_FLUSH_MS, () => {
      this.#flush = null;
      this.#write();
    });
  }

  #write(): void {
    this.store.writeAll(this.#plans, this.#journaledEvents());
  }

  /** Too many to list: one overflow event stands for them, so the restart resyncs (checked). */
  #journaledEvents(): FsEvent[] {
    if (this.#unbatched.length <= MAX_JOURNALED_EVENTS) return this.#unbatched;
    return [{ kind: 'overflow', path: '', reason: 'too many unbatched events to journal', at: this.clock.now() }];
  }
}
