// Batching: FsEvents in, one ChangeBatch out whenever the pending batch is due. lsyncd's `delay`
// and `maxDelays`, plus a settle window (lsyncd ships files still being written: LSYNCD.md bug 8)
// and a max-wait bound so that a file rewritten forever still ships.
//
// Invariants:
// - A batch is in the making exactly when the accumulator is not empty; then `firstAt` is the
//   arrival of its oldest event and `lastAt` that of its newest. Events that collapse to nothing
//   end the batch in the making, so the next event starts a fresh one with a fresh age.
// - Ages are taken from the injected clock at arrival (push), not from the events' own `at`, so
//   a late delivery from the watcher cannot make a batch look older than it is.
// - An empty batch is never emitted. After a batch is emitted the next one starts fresh: the
//   state is reset before `onBatch` runs, so `onBatch` may push again.
// - At most one timer is armed, and only while a batch is in the making.
import type { ChangeBatch, FsEvent } from '../../../src-shared/model/sync';
import { createAccumulator, type Accumulator } from './accumulator';
import type { Clock, TimerHandle } from './clock';

export const DEFAULT_SETTLE_MS = 250;
export const DEFAULT_MAX_WAIT_MS = 1000;

export interface BatcherOptions {
  /** lsyncd's `delay`, in ms: a batch waits until its oldest event is this old. */
  readonly delayMs: number;
  /** lsyncd's `maxDelays`: fire at once when this many collapsed paths are pending. */
  readonly maxDelays: number;
  /** Quiet window: never fire while the newest event is younger than this (default 250 ms). */
  readonly settleMs?: number;
  /**
   * Fire anyway once the oldest event is older than max(delayMs, settleMs) + maxWaitMs, settled
   * or not (default 1000 ms: with the default settle, delayMs + 1000 ms).
   */
  readonly maxWaitMs?: number;
}

export interface Batcher {
  push(events: readonly FsEvent[]): void;
  /** Emits the pending batch now, if there is one ('sync now', shutdown). Disarms the timer. */
  flush(): void;
  /** Collapsed paths pending (changed paths plus resync subtrees). */
  pending(): number;
}

/**
 * A batch fires when (its oldest event is >= delayMs old AND its newest >= settleMs old), or when
 * pending() reaches maxDelays (checked after every event), or when its oldest event is >= the
 * max-wait bound old.
 */
export function createBatcher(options: BatcherOptions, clock: Clock, onBatch: (batch: ChangeBatch) => void): Batcher {
  return new TimedBatcher(options, clock, onBatch);
}

class TimedBatcher implements Batcher {
  readonly #delayMs: number;
  readonly #settleMs: number;
  readonly #maxDelays: number;
  readonly #boundMs: number;
  #acc: Accumulator = createAccumulator();
  #firstAt: number | null = null;
  #lastAt = 0;
  #timer: { readonly handle: TimerHandle } | null = null;
  readonly #clock: Clock;
  readonly #onBatch: (batch: ChangeBatch) => void;

  constructor(options: BatcherOptions, clock: Clock, onBatch: (batch: ChangeBatch) => void) {
    this.#clock = clock;
    this.#onBatch = onBatch;
    this.#delayMs = Math.max(0, options.delayMs);
    this.#settleMs = Math.max(0, options.settleMs ?? DEFAULT_SETTLE_MS);
    this.#maxDelays = Math.max(1, options.maxDelays);
    this.#boundMs = Math.max(this.#delayMs, this.#settleMs) + Math.max(0, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  }

  push(events: readonly FsEvent[]): void {
    for (const event of events) {
      const now = this.#clock.now();
      this.#firstAt ??= now;
      this.#lastAt = now;
      this.#acc.apply(event);
      if (this.#acc.isEmpty()) this.#reset();
      else if (this.#acc.size() >= this.#maxDelays) this.#fire();
    }
    this.#schedule();
  }

  flush(): void {
    this.#fire();
  }

  pending(): number {
    return this.#acc.size();
  }

  /** When the batch in the making is due, or null when there is none. */
  #dueAt(): number | null {
    if (this.#firstAt === null) return null;
    const settled = Math.max(this.#firstAt + this.#delayMs, this.#lastAt + this.#settleMs);
    return Math.min(settled, this.#firstAt + this.#boundMs);
  }

  /** Fires a due batch, or re-arms the single timer for the next due time. */
  #schedule(): void {
    this.#disarm();
    const due = this.#dueAt();
    if (due === null) return;
    const wait = due - this.#clock.now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.#timer = {
      handle: this.#clock.setTimer(wait, () => {
        this.#timer = null;
        this.#schedule();
      }),
    };
  }

  #fire(): void {
    const acc = this.#acc;
    const firstAt = this.#firstAt;
    this.#reset();
    if (firstAt === null || acc.isEmpty()) return;
    this.#onBatch(acc.toBatch(firstAt, this.#clock.now()));
  }

  #reset(): void {
    this.#disarm();
    this.#acc = createAccumulator();
    this.#firstAt = null;
  }

  #disarm(): void {
    if (this.#timer === null) return;
    this.#clock.clearTimer(this.#timer.handle);
    this.#timer = null;
  }
}
