// Time, injected: the queue never reads the wall clock or calls setTimeout itself, so batching
// tests advance a fake clock (test/unit/queue/fake-clock.ts) instead of sleeping.

/** Opaque: whatever `setTimer` returned, handed back to `clearTimer`. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences are used. */
  now(): number;
  /** Calls `fn` once, `ms` from now. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  /** Cancels a timer that has not fired; a no-op for one that has. */
  clearTimer(handle: TimerHandle): void;
}
