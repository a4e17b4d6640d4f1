// A Clock for tests: time moves only when the test calls advance(), and due timers fire in order
// of their due time (ties in order of creation), each seeing now() equal to its due time.
import type { Clock, TimerHandle } from '../../../src-main/core/queue/clock';

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer due up to the new time, timers set meanwhile included. */
  advance(ms: number): void;
  /** Moves time forward to the absolute time `at` (no-op when already there). */
  advanceTo(at: number): void;
  /** How many timers are armed. */
  armed(): number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, Timer>();

  const nextDue = (until: number): [number, Timer] | undefined => {
    let best: [number, Timer] | undefined;
    for (const entry of timers) {
      const t = entry[1];
      if (t.at > until) continue;
      if (best === undefined || t.at < best[1].at || (t.at === best[1].at && t.seq < best[1].seq)) best = entry;
    }
    return best;
  };

  const advanceTo = (end: number): void => {
    for (let due = nextDue(end); due !== undefined; due = nextDue(end)) {
      const [id, timer] = due;
      timers.delete(id);
      now = Math.max(now, timer.at);
      timer.fn();
    }
    now = Math.max(now, end);
  };

  return {
    now: () => now,
    setTimer(ms: number, fn: () => void): TimerHandle {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), seq: id, fn });
      return id;
    },
    clearTimer(handle: TimerHandle): void {
      if (typeof handle === 'number') timers.delete(handle);
    },
    advance: (ms: number) => advanceTo(now + ms),
    advanceTo,
    armed: () => timers.size,
  };
}
