// At most one update per interval per key for changes that only refine the picture (progress,
// throughput); `now` sends at once (a state transition, which must never be merged away) and
// the next coalesced one then waits a whole interval from it.
import type { Clock, TimerHandle } from '../../core/queue/clock';

export class Coalescer<K> {
  readonly #timers = new Map<K, TimerHandle>();
  readonly #lastAt = new Map<K, number>();

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly send: (key: K) => void,
  ) {}

  /** Sends for `key` now, and drops the coalesced send it had waiting (this one says it all). */
  now(key: K): void {
    this.#cancel(key);
    this.#lastAt.set(key, this.clock.now());
    this.send(key);
  }

  /** Sends for `key` once the interval since its last send is over; more calls meanwhile add nothing. */
  later(key: K): void {
    if (this.#timers.has(key)) return;
    const last = this.#lastAt.get(key);
    const wait = last === undefined ? 0 : Math.max(0, last + this.intervalMs - this.clock.now());
    this.#timers.set(key, this.clock.setTimer(wait, () => {
      this.#timers.delete(key);
      this.now(key);
    }));
  }

  /** Forgets `key`: nothing is sent for it any more. */
  drop(key: K): void {
    this.#cancel(key);
    this.#lastAt.delete(key);
  }

  #cancel(key: K): void {
    const timer = this.#timers.get(key);
    if (timer === undefined) return;
    this.clock.clearTimer(timer);
    this.#timers.delete(key);
  }
}
