// The one status stream of the app (DESIGN.md "Status flows one way"): every target's
// StatusEvents, plan runs and transfer progress come in here, and out go snapshots of each
// target (TargetStatus) to the tray model, the notification model and the renderer's stores.
// A state transition goes out at once, each in its own snapshot and in order; what only refines
// the picture (progress, throughput) goes out at most once per coalesceMs per target.
import type { RecentChange, TargetError, TargetStatus } from '../../../src-shared/model/status';
import type { Outcome, Plan, StatusEvent, TargetState } from '../../../src-shared/model/sync';
import type { SyncRunner } from '../../core/daemon/sync-runner';
import type { Clock } from '../../core/queue/clock';
import { stallText } from '../../core/safety/no-space';
import type { TransferEvent } from '../../core/transport/rsync-transfer';
import { Coalescer } from './coalesce';
import { ErrorLog } from './error-log';
import { RecentChanges } from './recent-changes';
import { Throughput } from './throughput';
import { TransferView } from './transfer-view';

/** What the service reads of a runner (a SyncRunner is one). */
export type StatusSource = Pick<SyncRunner, 'state' | 'holding' | 'pendingEvents' | 'watchedDirs' | 'watcherKind' | 'onStatus' | 'onRun' | 'onProgress'> & {
  readonly session: Pick<SyncRunner['session'], 'paused' | 'pendingPlans'>;
};

export interface StatusTarget {
  readonly id: string;
  readonly profile: string;
  readonly source: string;
  /** The target as a person reads it: a directory, user@host:dir, or the daemon address. */
  readonly target: string;
  readonly kind: 'local' | 'ssh' | 'rsyncd';
  /** The watcher asked for; the snapshot says the one in use (inotify may turn into poll). */
  readonly watcher: string;
  readonly runner: StatusSource;
}

export type StatusUpdate = { readonly kind: 'target'; readonly status: TargetStatus } | { readonly kind: 'removed'; readonly id: string };

export interface StatusServiceOptions {
  readonly clock: Clock;
  /** The least time between two coalesced snapshots of one target (ms). */
  readonly coalesceMs?: number;
}

export const DEFAULT_COALESCE_MS = 250;

/** How often the watched directories are counted at most, while states change (ms): a count walks them all. */
const WATCHED_COUNT_MS = 1000;

interface Entry {
  readonly target: StatusTarget;
  state: TargetState;
  lastSyncAt: number | null;
  watchedDirs: number;
  watchedAt: number;
  readonly recent: RecentChanges;
  readonly errors: ErrorLog;
  readonly throughput: Throughput;
  readonly transfer: TransferView;
  readonly unsubscribe: readonly (() => void)[];
}

export class StatusService {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<(update: StatusUpdate) => void>();
  readonly #coalescer: Coalescer<string>;

  constructor(options: StatusServiceOptions) {
    this.#clock = options.clock;
    this.#coalescer = new Coalescer(options.clock, options.coalesceMs ?? DEFAULT_COALESCE_MS, (id) => {
      const entry = this.#entries.get(id);
      if (entry) this.#emit({ kind: 'target', status: this.#snapshot(entry) });
    });
  }

  /** Follows a target: its transitions, its plan runs and its transfers' progress. Sends its first snapshot. */
  attach(target: StatusTarget): void {
    if (this.#entries.has(target.id)) throw new Error(`status: target ${target.id} is attached already`);
    const { runner } = target;
    const state = runner.state;
    const entry: Entry = {
      target,
      state,
      lastSyncAt: state.kind === 'idle' ? state.lastSyncAt : null,
      watchedDirs: 0,
      watchedAt: Number.NEGATIVE_INFINITY,
      recent: new RecentChanges(),
      errors: new ErrorLog(),
      throughput: new Throughput(),
      transfer: new TransferView(),
      unsubscribe: [
        runner.onStatus((event) => this.#onStatus(entry, event)),
        runner.onRun((plan, outcome) => this.#onRun(entry, plan, outcome)),
        runner.onProgress((run, event) => this.#onProgress(entry, run, event)),
      ],
    };
    this.#entries.set(target.id, entry);
    this.#countWatched(entry, true);
    this.#coalescer.now(target.id);
  }

  /** Stops following a target; subscribers hear that it is gone. */
  detach(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    for (const unsubscribe of entry.unsubscribe) unsubscribe();
    this.#entries.delete(id);
    this.#coalescer.drop(id);
    this.#emit({ kind: 'removed', id });
  }

  list(): TargetStatus[] {
    return [...this.#entries.values()].map((entry) => this.#snapshot(entry));
  }

  get(id: string): TargetStatus | undefined {
    const entry = this.#entries.get(id);
    return entry ? this.#snapshot(entry) : undefined;
  }

  subscribe(listener: (update: StatusUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** An error from outside the runner (the engine could not start it, say). */
  error(id: string, message: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.errors.add(message, this.#clock.now());
    this.#coalescer.now(id);
  }

  #onStatus(entry: Entry, event: StatusEvent): void {
    const to = event.to;
    entry.state = to;
    if (to.kind === 'idle' && to.lastSyncAt !== null) entry.lastSyncAt = to.lastSyncAt;
    if (to.kind === 'error' || to.kind === 'halted' || to.kind === 'retrying') entry.errors.add(to.reason, event.at);
    if (to.kind !== 'syncing') entry.transfer.clear();
    this.#countWatched(entry, event.from.kind === 'scanning');
    // Synchronously, inside the session's transition: the snapshot carries this very state.
    this.#coalescer.now(entry.target.id);
  }

  #onRun(entry: Entry, plan: Plan, outcome: Outcome): void {
    const now = this.#clock.now();
    entry.recent.finish(plan, outcome, now);
    entry.transfer.clear();
    if (outcome.kind === 'ok') for (const stall of outcome.stalled ?? []) entry.errors.add(`set aside for want of room: ${stallText(stall)}`, now);
    this.#coalescer.later(entry.target.id);
  }

  #onProgress(entry: Entry, run: number, event: TransferEvent): void {
    const now = this.#clock.now();
    if (event.kind === 'end') {
      entry.throughput.add(entry.transfer.end(run), now);
    } else {
      entry.throughput.add(entry.transfer.event(run, event), now);
      if (event.kind === 'item') entry.recent.item(event.flags, event.path, now);
    }
    this.#coalescer.later(entry.target.id);
  }

  /** Counts the watched directories again, at most once a second unless `force`. */
  #countWatched(entry: Entry, force: boolean): void {
    const now = this.#clock.now();
    if (!force && now - entry.watchedAt < WATCHED_COUNT_MS) return;
    entry.watchedAt = now;
    entry.watchedDirs = entry.target.runner.watchedDirs().length;
  }

  #snapshot(entry: Entry): TargetStatus {
    const { target } = entry;
    const runner = target.runner;
    let pending = runner.pendingEvents;
    for (const plan of runner.session.pendingPlans) pending += plan.sync.length;
    return {
      id: target.id,
      profile: target.profile,
      source: target.source,
      target: target.target,
      kind: target.kind,
      state: { ...entry.state },
      paused: runner.session.paused,
      holding: runner.holding,
      pending,
      transfer: entry.transfer.view(),
      throughput: entry.throughput.samples(this.#clock.now()),
      lastSyncAt: entry.lastSyncAt,
      recent: entry.recent.view().slice() as RecentChange[],
      errors: entry.errors.view().slice() as TargetError[],
      watchedDirs: entry.watchedDirs,
      watcher: runner.watcherKind,
    };
  }

  #emit(update: StatusUpdate): void {
    for (const listener of this.#listeners) {
      try {
        listener(update);
      } catch {
        // A broken subscriber must not break the session whose transition is being told.
      }
    }
  }
}
