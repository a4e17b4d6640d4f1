import type { Outcome, Plan, StatusEvent, TargetState } from '../../../src-shared/model/sync';
import { mergePlans } from '../plan/merge';
import type { Clock, TimerHandle } from '../queue/clock';
import type { Transport } from '../transport/transport';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';

export type SessionLog = (level: 'Normal' | 'Error' | 'Warn' | 'Debug', message: string) => void;

export interface SessionOptions {
  readonly id: string;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly backoff?: BackoffPolicy;
  readonly log?: SessionLog;
  /** Told about every run and its outcome, so the owner can write lsyncd's log lines. */
  readonly onRun?: (plan: Plan, outcome: Outcome) => void;
  /** Told the plans not shipped yet (queued or running) whenever they change: the journal. */
  readonly onUnshipped?: (plans: readonly Plan[]) => void;
  /**
   * Why some changes are held back for a decision while the rest flows (the breaker's hold), or
   * null. The target then settles in awaiting-decision instead of idle, yet keeps running plans.
   */
  readonly holding?: () => string | null;
}

/**
 * One target's serial loop and the only writer of its TargetState. Plans queue while a
 * transfer runs and go out together as exactly one follow-up run; a failed plan is retried
 * with backoff ahead of anything newer, so nothing queued is lost.
 */
export class SyncSession {
  #state: TargetState = { kind: 'starting' };
  #pending: Plan[] = [];
  /** The plan being applied now: not shipped until its outcome is ok. */
  #inFlight: Plan | null = null;
  #running: Promise<void> | null = null;
  #retryTimer: TimerHandle | null = null;
  #attempt = 0;
  #paused = false;
  #stopping = false;
  #lastSyncAt: number | null = null;
  readonly #listeners = new Set<(event: StatusEvent) => void>();
  readonly #idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SessionOptions) {}

  get state(): TargetState {
    return this.#state;
  }

  /** Paused by the user; the state says so once the running transfer ends. */
  get paused(): boolean {
    return this.#paused;
  }

  get id(): string {
    return this.options.id;
  }

  onStatus(listener: (event: StatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Marks the phases before the first transfer (scanning, a decision awaited) for the status stream. */
  setPhase(state: Extract<TargetState, { kind: 'scanning' | 'awaiting-decision' | 'halted' | 'error' }>): void {
    this.#transition(state);
  }

  /** Queues a plan; once stopping, it is only recorded (journaled) for the next start, never run. */
  enqueue(plan: Plan): void {
    this.#pending.push(plan);
    this.#journal();
    this.#kick();
  }

  /** Drops what is queued for `plans` (a restart after the source root came back). */
  replaceQueue(plans: readonly Plan[]): void {
    this.#pending = [...plans];
    this.#journal();
  }

  pause(): void {
    this.#paused = true;
    this.#cancelRetry();
    if (!this.#running) this.#transition({ kind: 'paused' });
  }

  /** Ends a pause, or retries a halted target (or one awaiting a decision) once the user has acted. */
  resume(): void {
    if (!this.#paused && !this.#stopped()) {
      if (this.#state.kind === 'awaiting-decision' && !this.#running) this.#settle();
      return;
    }
    this.#paused = false;
    if (this.#stopped()) this.#transition({ kind: 'idle', lastSyncAt: this.#lastSyncAt });
    this.#settle();
    this.#kick();
  }

  /** Runs what is queued now, skipping any backoff wait. */
  syncNow(): void {
    this.#cancelRetry();
    this.#kick();
  }

  /**
   * Lets the running transfer finish, drops nothing already queued from the record, then stops.
   * From the call on, synchronously, nothing new runs: no retry falls due, no queued plan starts.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cancelRetry();
    await this.#running;
  }

  /** Resolves when nothing is queued or running (tests, and a clean shutdown). */
  whenIdle(): Promise<void> {
    if (!this.#running && (this.#pending.length === 0 || this.#stopped())) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  get pendingPlans(): readonly Plan[] {
    return this.#pending;
  }

  #kick(): void {
    if (this.#running || this.#paused || this.#stopping || this.#retryTimer !== null || this.#pending.length === 0) return;
    if (this.#stopped()) return;
    this.#running = this.#loop().finally(() => {
      this.#running = null;
      if (this.#pending.length === 0 || this.#stopping || this.#stopped()) this.#releaseIdleWaiters();
      else this.#kick();
    });
  }

  /** A transport's reason without its own "target: " prefix, which the log line already has. */
  #unlabelled(reason: string): string {
    const label = `${this.options.transport.description}: `;
    return reason.startsWith(label) ? reason.slice(label.length) : reason;
  }

  async #loop(): Promise<void> {
    while (this.#pending.length > 0 && !this.#paused && !this.#stopping) {
      const plan = mergePlans(this.#pending);
      this.#pending = [];
      this.#inFlight = plan;
      this.#transition({ kind: 'syncing', paths: plan.full ? -1 : plan.sync.length });
      let outcome: Outcome;
      try {
        outcome = await this.options.transport.apply(plan);
      } catch (error) {
        outcome = { kind: 'retry', reason: `transport failed: ${String(error)}` };
      }
      this.options.onRun?.(plan, outcome);
      this.#inFlight = null;
      if (outcome.kind === 'ok') {
        this.#attempt = 0;
        this.#lastSyncAt = this.options.clock.now();
        this.#journal();
        continue;
      }
      this.#pending.unshift(plan);
      if (outcome.kind === 'decide') {
        this.options.log?.('Error', `${this.options.transport.description}: waiting for a decision: ${this.#unlabelled(outcome.reason)}`);
        this.#transition({ kind: 'awaiting-decision', reason: outcome.reason });
        return;
      }
      if (outcome.kind === 'halt') {
        this.options.log?.('Error', `${this.options.transport.description}: halted: ${this.#unlabelled(outcome.reason)}`);
        this.#transition({ kind: 'halted', reason: outcome.reason });
        return;
      }
      // Stopping (TERM, or a transfer ended by it): the plan stays queued and journaled; no retry.
      if (this.#stopping) return;
      this.#attempt += 1;
      const delay = backoffDelay(this.#attempt, this.options.backoff ?? defaultBackoff);
      const nextAt = this.options.clock.now() + delay;
      this.options.log?.('Normal', `${this.options.transport.description}: retry ${this.#attempt} in ${Math.round(delay / 1000)} s: ${this.#unlabelled(outcome.reason)}`);
      this.#transition({ kind: 'retrying', attempt: this.#attempt, nextAt, reason: outcome.reason });
      this.#retryTimer = this.options.clock.setTimer(delay, () => {
        this.#retryTimer = null;
        this.#kick();
      });
      return;
    }
    this.#settle();
  }

  /** Halted, or awaiting a decision that stops everything: nothing runs until resume(). */
  #stopped(): boolean {
    if (this.#state.kind === 'halted') return true;
    return this.#state.kind === 'awaiting-decision' && !this.#holding();
  }

  #holding(): string | null {
    return this.options.holding?.() ?? null;
  }

  #settle(): void {
    if (this.#stopped() || this.#retryTimer !== null) return;
    const held = this.#holding();
    this.#transition(this.#paused ? { kind: 'paused' } : held ? { kind: 'awaiting-decision', reason: held } : { kind: 'idle', lastSyncAt: this.#lastSyncAt });
  }


  #cancelRetry(): void {
    if (this.#retryTimer === null) return;
    this.options.clock.clearTimer(this.#retryTimer);
    this.#retryTimer = null;
  }

  #journal(): void {
    this.options.onUnshipped?.(this.#inFlight ? [this.#inFlight, ...this.#pending] : this.#pending);
  }

  #releaseIdleWaiters(): void {
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  #transition(to: TargetState): void {
    const from = this.#state;
    if (JSON.stringify(from) === JSON.stringify(to)) return;
    this.#state = to;
    const event: StatusEvent = { target: this.options.id, from, to, at: this.options.clock.now() };
    for (const listener of this.#listeners) listener(event);
  }
}
