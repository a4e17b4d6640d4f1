import type { FsEvent } from '../../../src-shared/model/sync';
import type { Clock, TimerHandle } from '../queue/clock';
import type { TargetStore } from './target-store';

/** How often, at most, the events of the `delay` window are written to the journal (ms). */
export const JOURNAL_FLUSH_MS = 100;
/** Beyond this many unbatched events the journal records a resync instead of the list. */
export const MAX_JOURNALED_EVENTS = 10_000;

/**
 * The events of the batch in the making (lsyncd's `delay` window, 15 s by default), kept in
 * the target's journal so that a kill -9 inside the window loses none of them. Written at most
 * every JOURNAL_FLUSH_MS, not per event: a burst costs one write.
 */
export class EventJournal {
  #unbatched: FsEvent[] = [];
  #flush: TimerHandle | null = null;

  constructor(
    private readonly store: TargetStore,
    private readonly clock: Clock,
  ) {}

  record(events: readonly FsEvent[]): void {
    if (this.#unbatched.length <= MAX_JOURNALED_EVENTS) this.#unbatched.push(...events);
    if (this.#unbatched.length === 0 || this.#flush !== null) return;
    this.#flush = this.clock.setTimer(JOURNAL_FLUSH_MS, () => {
      this.#flush = null;
      if (this.#unbatched.length > 0) this.store.writeEvents(this.#journaled());
    });
  }

  /** The batch was made: its plan is journaled from now on, the events no longer. */
  batched(): void {
    this.#unbatched = [];
    if (this.store.journalEvents.length > 0) this.store.writeEvents([]);
  }

  stop(): void {
    if (this.#flush !== null) this.clock.clearTimer(this.#flush);
    this.#flush = null;
  }

  /** Too many to list: one overflow event stands for them, so the restart resyncs (checked). */
  #journaled(): FsEvent[] {
    if (this.#unbatched.length <= MAX_JOURNALED_EVENTS) return this.#unbatched;
    return [{ kind: 'overflow', path: '', reason: 'too many unbatched events to journal', at: this.clock.now() }];
  }
}
