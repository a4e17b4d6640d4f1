import type { ReconcileAction, SafetyReport } from '../../../src-shared/model/safety';
import type { ChangeBatch, FsEvent, Outcome, Plan, RelPath, StatusEvent, TargetState } from '../../../src-shared/model/sync';
import type { SyncConfig } from '../config/model';
import { compileFilters, type PathFilter } from '../plan/filter';
import { planBatch, runningDeletesAllowed } from '../plan/planner';
import { createBatcher, type Batcher } from '../queue/batcher';
import type { Clock, TimerHandle } from '../queue/clock';
import { DEFAULT_LIMITS } from '../safety/breaker';
import { DEFAULT_WINDOW_MS } from '../safety/delete-window';
import { dailyTrashDir } from '../safety/trash-scripts';
import { SyncSession, type SessionLog } from '../session/session';
import type { BackoffPolicy } from '../session/backoff';
import type { ProcessRunner } from '../transport/process-runner';
import type { TransferEvent, TransferListener } from '../transport/rsync-transfer';
import type { SafeTransport } from '../transport/transport';
import { WatchError } from '../watch/backend';
import { SourceWatcher, type WatcherKind } from '../watch/source-watcher';
import { rootHalt, SafetyGate } from './safety-gate';
import { StalledFiles, type StalledFile } from './stalled-files';
import { Journal } from './journal';
import { PullEcho } from './pull-echo';
import { TargetStore } from './target-store';
import { transportFor, type TransportExtras } from './transport-for';

export type { TransportExtras };

export interface RunnerOptions {
  readonly id: string;
  readonly config: SyncConfig;
  readonly clock: Clock;
  readonly runner: ProcessRunner;
  readonly watcher?: WatcherKind;
  /** Quiet window before a batch ships, so half-written files wait (ms). */
  readonly settleMs?: number;
  readonly backoff?: BackoffPolicy;
  readonly maxListedPaths?: number;
  readonly log?: SessionLog;
  readonly onRun?: (plan: Plan, outcome: Outcome) => void;
  /** Builds the transport; remote targets plug in here. */
  readonly transport?: (config: SyncConfig, extras: TransportExtras) => SafeTransport;
  /**
   * This target's own directory for what outlives the process: the kept entries and the
   * journal of plans not shipped yet (TargetStore.dirFor). Without one, they live in memory.
   */
  readonly stateDir?: string;
  /** How often a source root that went away is looked for again (ms). */
  readonly rootPollMs?: number;
  /** A watch budget below the kernel's inotify limit (beyond it, the tree is polled). */
  readonly watchLimit?: number;
  /** Where SSH control sockets go (default $XDG_RUNTIME_DIR/tidemark or /tmp/tidemark-UID). */
  readonly runtimeDir?: string;
  /** Environment for ssh and rsync over SSH: the app's agent socket (SSH_AUTH_SOCK), say. */
  readonly sshEnv?: Record<string, string>;
  /** The command that takes a decision on this target, for the messages that ask for one. */
  readonly decideHint?: string;
}

/**
 * The quiet window before a batch ships, so that files still being written wait. It never
 * exceeds `delay`: delay = 0 asks for every change at once, as lsyncd ships it.
 */
export const DEFAULT_SETTLE_MS = 20;

/** How long trash directories are kept by default (days). */
export const DEFAULT_TRASH_DAYS = 30;

/** One sync{}: watcher -> batcher -> planner -> session -> transport, each with its own state. */
export class SyncRunner {
  readonly session: SyncSession;
  readonly #filter: PathFilter;
  #watcher: SourceWatcher;
  #watcherKind: WatcherKind;
  readonly #batcher: Batcher;
  readonly #transport: SafeTransport;
  readonly #gate: SafetyGate;
  readonly #store: TargetStore;
  #rootPoll: TimerHandle | null = null;
  readonly #journal: Journal;
  /** The entries recent pulls brought back, whose rsync temporary files are their echo. */
  readonly #pullEcho = new PullEcho();
  /** Files the target had no room for, each retried on its own while the rest ships. */
  readonly #stalled: StalledFiles;
  /** The trash directory of the day last used; a new day prunes the old ones. */
  #trashDay: string | null = null;
  #stopped = false;
  #eventCount = 0;
  /** A switch to polling in progress, which stop() and settled() wait for. */
  #switching: Promise<void> = Promise.resolve();
  readonly #runListeners = new Set<(plan: Plan, outcome: Outcome) => void>();
  /** Only while one is here do the transfers print progress (the CLI daemon has none). */
  readonly #progressListeners = new Set<TransferListener>();
  readonly #emitProgress: TransferListener = (run: number, event: TransferEvent) => {
    for (const listener of this.#progressListeners) listener(run, event);
  };

  constructor(private readonly options: RunnerOptions) {
    const { config, clock } = options;
    this.#filter = compileFilters(config.filters);
    this.#store = new TargetStore(options.stateDir ?? null);
    this.#journal = new Journal(this.#store, clock);
    const trashDir = config.trash ? () => this.#trashDir() : () => null;
    // The day's trash, or the breaker's window while a batch deletes (the gate knows which).
    const progress = () => (this.#progressListeners.size > 0 ? this.#emitProgress : null);
    const extras: TransportExtras = { keepRules: () => this.#store.rulesFile(), quickCopy: config.trash !== true, backupDir: () => this.#gate.backupDir(), progress };
    this.#transport = options.transport?.(config, extras) ?? transportFor(options.id, config, options, extras);
    this.#gate = new SafetyGate({
      source: config.source,
      transport: this.#transport,
      store: this.#store,
      policy: config.reconcile ?? 'ask',
      limits: { maxDeletes: config.maxDeletes ?? DEFAULT_LIMITS.maxDeletes, maxDeletePercent: config.maxDeletePercent ?? DEFAULT_LIMITS.maxDeletePercent },
      windowMs: (config.maxDeleteWindow ?? DEFAULT_WINDOW_MS / 1000) * 1000,
      decideHint: options.decideHint,
      treeSize: () => this.#watcher.entryCount,
      now: () => clock.now(),
      log: options.log,
      trashDir,
    });
    const stalledRetry = (sync: readonly RelPath[]) => this.session.enqueue({ moves: [], sync, deletes: [], allowDelete: runningDeletesAllowed(config.delete), full: false });
    this.#stalled = new StalledFiles({ clock, backoff: options.backoff, description: this.#transport.description, log: options.log, retry: stalledRetry });
    this.session = new SyncSession({
      id: options.id,
      transport: this.#gate,
      clock,
      backoff: options.backoff,
      log: options.log,
      onRun: (plan, outcome) => {
        this.#stalled.note(plan, outcome);
        options.onRun?.(plan, outcome);
        for (const listener of this.#runListeners) listener(plan, outcome);
      },
      onUnshipped: (plans) => this.#journal.plans(plans),
      holding: () => this.#gate.holding,
    });
    this.#batcher = createBatcher(
      { delayMs: config.delay * 1000, maxDelays: config.maxDelays, settleMs: Math.min(config.delay * 1000, options.settleMs ?? DEFAULT_SETTLE_MS) },
      clock,
      (batch) => this.#onBatch(batch),
    );
    this.#watcherKind = options.watcher ?? config.watcher ?? 'inotify';
    this.#watcher = this.#makeWatcher(this.#watcherKind);
  }

  #makeWatcher(kind: WatcherKind): SourceWatcher {
    const { config, clock, log } = this.options;
    return new SourceWatcher({
      root: config.source,
      watcher: kind,
      isExcludedDir: (path) => this.#filter.isExcluded(path, true),
      now: () => clock.now(),
      onEvents: (events) => this.#onEvents(events),
      onError: (error) => this.#onWatchError(error),
      onScanProgress: (scanned) => {
        this.session.setPhase({ kind: 'scanning', scanned });
        log?.('Normal', `scanning ${config.source}/: ${scanned} entries so far`);
      },
      watchLimit: this.options.watchLimit,
    });
  }

  get transport(): SafeTransport {
    return this.#transport;
  }

  /** The report a decision is awaited on (state awaiting-decision), if any. */
  get report(): SafetyReport | null {
    return this.session.state.kind === 'awaiting-decision' || this.#gate.holding ? this.#gate.report : null;
  }

  /** Why deletions are held back for a decision while everything else flows, or null. */
  get holding(): string | null {
    return this.#gate.holding;
  }

  /** The entries kept on the target by a decision (never sent, never deleted). */
  get kept(): readonly RelPath[] {
    return this.#store.kept;
  }

  /**
   * Takes a decision on the awaited report (every entry at risk, or the named ones) and goes
   * on: the held plan runs again through the checks, so entries still undecided ask again.
   */
  async decide(action: ReconcileAction, paths?: readonly RelPath[]): Promise<Outcome> {
    const report = this.report;
    if (!report) throw new Error(`${this.#transport.description}: no decision is awaited (the target is ${this.state.kind})`);
    // A Set: a selection of 50,000 of 100,000 entries must not cost 5 billion comparisons.
    const inReport = paths ? new Set(report.entries.map((entry) => entry.path)) : null;
    const unknown = paths?.filter((path) => !inReport!.has(path)) ?? [];
    if (unknown.length > 0) throw new Error(`not in the report of ${this.#transport.description}: ${unknown.slice(0, 5).join(', ')}`);
    if (action === 'pull') this.#pullEcho.begin(paths ?? report.entries.map((entry) => entry.path));
    try {
      const outcome = await this.#gate.decide(action, report, paths);
      if (outcome.kind === 'ok') this.session.resume();
      return outcome;
    } finally {
      if (action === 'pull') this.#pullEcho.end(this.options.clock.now());
    }
  }

  /** Lets kept entries sync again ('all', or the named ones and what is below them). */
  release(paths: readonly RelPath[] | 'all'): number {
    const released = this.#store.release(paths);
    if (released > 0) this.session.enqueue(fullPlan(runningDeletesAllowed(this.options.config.delete)));
    return released;
  }

  /**
   * Ends a pause, or goes on after a halt. After the source root went away, or was replaced,
   * the tree is watched afresh and mirrored by a checked full sync, never from the old queue.
   */
  resume(): void {
    if (this.#gate.rootTrouble) {
      this.#restartAfterRoot();
      return;
    }
    this.session.resume();
  }

  get state(): TargetState {
    return this.session.state;
  }

  /** The files set aside for want of room on the target, with their own retries. */
  get stalled(): readonly StalledFile[] {
    return this.#stalled.files;
  }

  onStatus(listener: (event: StatusEvent) => void): () => void {
    return this.session.onStatus(listener);
  }

  /** Told every plan run and its outcome, after the constructor's onRun. */
  onRun(listener: (plan: Plan, outcome: Outcome) => void): () => void {
    this.#runListeners.add(listener);
    return () => this.#runListeners.delete(listener);
  }

  /** Told the progress of every transfer that sends (rsync's lines, and the quick copies), by run. */
  onProgress(listener: TransferListener): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  /** The watcher in use now: inotify turns into poll past the inotify limit. */
  get watcherKind(): WatcherKind {
    return this.#watcherKind;
  }

  /** Watches first, then queues the startup sync, so nothing that changes during it is missed. */
  async start(): Promise<void> {
    this.session.setPhase({ kind: 'scanning', scanned: 0 });
    const { entries, dirs } = await this.#startWatcher();
    this.options.log?.('Normal', `watching ${dirs} directories (${entries} entries) in ${this.options.config.source}/ with ${this.#watcher.backendName}`);
    this.#gate.adoptRoot();
    this.#watchForRoot();
    const journal = this.#store.journal;
    this.#gate.expectJournal();
    if (journal.length > 0) {
      // A run that ended without shipping these (a crash, kill -9): they go first, so that its
      // renames are renames again and its deletes are known as the user's own.
      this.options.log?.('Normal', `${this.#transport.description}: resuming ${journal.length} unshipped batch(es) from the journal`);
      for (const plan of journal) this.session.enqueue(plan);
    }
    const events = this.#store.journalEvents;
    if (events.length > 0) {
      this.options.log?.('Normal', `${this.#transport.description}: replaying ${events.length} unbatched event(s) from the journal`);
      this.#onEvents([...events]);
      this.#batcher.flush();
    }
    if (this.options.config.init) {
      const deleteMode = this.options.config.delete;
      this.session.enqueue(fullPlan(deleteMode === true || deleteMode === 'startup'));
    } else {
      this.session.syncNow();
    }
  }

  watchedDirs(): string[] {
    return this.#watcher.watchedDirs().map((dir) => (dir === '' ? `${this.options.config.source}/` : `${this.options.config.source}/${dir}/`));
  }

  get pendingEvents(): number {
    return this.#batcher.pending();
  }

  get eventCount(): number {
    return this.#eventCount;
  }

  /** Ships what is batched now and skips any backoff wait. */
  syncNow(): void {
    this.#batcher.flush();
    this.session.syncNow();
  }

  /** Resolves when every change seen so far has been shipped (or is waiting on a retry). */
  async settled(): Promise<void> {
    await this.#switching;
    await this.#watcher.idle();
    this.#batcher.flush();
    await this.session.whenIdle();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelRootPoll();
    this.#stalled.close();
    // Before any await: a retry falling due while the watcher closes must find the session stopping.
    const sessionStopped = this.session.stop();
    await this.#switching;
    await this.#watcher.close();
    this.#batcher.flush(); // the last batch is journaled by the stopping session, not run
    await sessionStopped;
    this.#journal.close();
    await this.#transport.close();
  }

  #onEvents(seen: FsEvent[]): void {
    // A pull's temporary files in the source are its own echo (pull-echo.ts), not changes to ship.
    const events = this.#pullEcho.filter(seen, this.options.clock.now());
    if (events.length === 0) return;
    this.#eventCount += events.length;
    const created = events.filter((event) => event.kind === 'create');
    if (created.length > 0) this.#gate.breaker.noteCreated(created.map((event) => event.path), this.options.clock.now());
    this.#journal.record(events);
    this.#batcher.push(events);
  }

  #onBatch(batch: ChangeBatch): void {
    this.#journal.batched();
    const plan = planBatch(batch, {
      deleteMode: this.options.config.delete,
      filter: this.#filter,
      maxListedPaths: this.options.maxListedPaths ?? 50_000,
    });
    if (plan.full || plan.sync.length > 0 || plan.moves.length > 0) this.session.enqueue(plan);
  }

  /** Starts the watcher; a tree beyond the inotify limit is polled instead, never half-watched. */
  async #startWatcher(): Promise<{ entries: number; dirs: number }> {
    try {
      return await this.#watcher.start();
    } catch (error) {
      if (!(error instanceof WatchError) || error.code !== 'watch-limit' || this.#watcherKind === 'poll') throw error;
      this.#warnPolling(error);
      await this.#watcher.close();
      this.#watcherKind = 'poll';
      this.#watcher = this.#makeWatcher('poll');
      return this.#watcher.start();
    }
  }

  #onWatchError(error: WatchError): void {
    if (error.code === 'watch-limit' && this.#watcherKind !== 'poll') {
      // A directory could not be watched: switch the whole tree to polling, and resync it,
      // since whatever happened in that directory meanwhile was not seen.
      this.#warnPolling(error);
      this.#watcherKind = 'poll';
      const old = this.#watcher;
      this.#watcher = this.#makeWatcher('poll');
      this.#switching = old.close().then(() => this.#watcher.start()).then(
        () => this.session.enqueue(fullPlan(runningDeletesAllowed(this.options.config.delete))),
        (failure: unknown) => this.#onWatchError(new WatchError(`cannot poll: ${String(failure)}`, 'backend')),
      );
      return;
    }
    if (error.code === 'watch-limit') return; // already polling
    this.options.log?.('Error', `${this.options.config.source}: ${error.message}`);
    this.session.setPhase({ kind: 'error', reason: error.message });
  }

  /**
   * Looks at the source root every rootPollMs: one that went away while the target was idle
   * halts it at once (so the state says why, before any batch); one that is back as the same
   * directory resumes it. A replaced root waits for resume().
   */
  #watchForRoot(): void {
    if (this.#rootPoll !== null || this.#stopped) return;
    this.#rootPoll = this.options.clock.setTimer(this.options.rootPollMs ?? 1000, () => {
      this.#rootPoll = null;
      if (this.#stopped) return;
      const verdict = this.#gate.judgeRoot();
      const state = this.session.state;
      if (this.#gate.rootTrouble && state.kind === 'halted') {
        if (verdict.kind === 'same') {
          this.options.log?.('Normal', `${this.options.config.source}: the source root is back; resyncing`);
          this.#restartAfterRoot();
          return;
        }
        if (verdict.kind === 'replaced' || verdict.kind === 'device-changed') {
          const reason = rootHalt(verdict);
          if (state.reason !== reason) this.session.setPhase({ kind: 'halted', reason });
        }
      } else if (!this.#gate.rootTrouble && verdict.kind !== 'same' && state.kind === 'idle') {
        this.#gate.noteRootTrouble(verdict);
        this.options.log?.('Error', `${this.#transport.description}: halted: ${rootHalt(verdict)}`);
        this.session.setPhase({ kind: 'halted', reason: rootHalt(verdict) });
      }
      if (this.session.state.kind === 'idle') void this.#gate.closeWindowIfDue();
      this.#watchForRoot();
    });
  }

  #cancelRootPoll(): void {
    if (this.#rootPoll === null) return;
    this.options.clock.clearTimer(this.#rootPoll);
    this.#rootPoll = null;
  }

  /** Watches the root as it is now, and mirrors it by a checked full sync instead of the queue. */
  #restartAfterRoot(): void {
    this.#cancelRootPoll();
    const old = this.#watcher;
    this.#watcher = this.#makeWatcher(this.#watcherKind);
    this.#switching = this.#switching
      .then(() => old.close())
      .then(() => this.#startWatcher())
      .then(
        () => {
          this.#gate.adoptRoot();
          this.#watchForRoot();
          this.session.replaceQueue([fullPlan(this.options.config.delete === true || this.options.config.delete === 'startup')]);
          this.session.resume();
        },
        (failure: unknown) => {
          this.options.log?.('Error', `${this.options.config.source}: cannot watch the source root again: ${String(failure)}`);
          this.#watchForRoot();
        },
      );
  }

  /** Today's trash directory; the first use of each day prunes the ones past trashDays. */
  #trashDir(): string {
    const dir = dailyTrashDir(this.options.clock.now());
    if (dir !== this.#trashDay) {
      this.#trashDay = dir;
      const days = this.options.config.trashDays ?? DEFAULT_TRASH_DAYS;
      void this.#transport.pruneTrash(this.options.clock.now() - days * 86_400_000).then((outcome) => {
        if (outcome.kind !== 'ok') this.options.log?.('Warn', `${this.#transport.description}: ${outcome.reason}`);
      });
    }
    return dir;
  }

  #warnPolling(error: WatchError): void {
    this.options.log?.('Warn', `${this.options.config.source}: ${error.message} Polling the tree every few seconds instead, until then.`);
  }
}

function fullPlan(allowDelete: boolean): Plan {
  return { moves: [], sync: [], deletes: [], allowDelete, full: true };
}
