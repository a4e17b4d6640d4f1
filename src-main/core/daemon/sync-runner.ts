import type { ChangeBatch, FsEvent, Outcome, Plan, StatusEvent, TargetState } from '../../../src-shared/model/sync';
import type { SyncConfig } from '../config/model';
import { compileFilters, type PathFilter } from '../plan/filter';
import { planBatch, runningDeletesAllowed } from '../plan/planner';
import { createBatcher, type Batcher } from '../queue/batcher';
import type { Clock } from '../queue/clock';
import { SyncSession, type SessionLog } from '../session/session';
import type { BackoffPolicy } from '../session/backoff';
import { LocalTransport } from '../transport/local-transport';
import { SshTransport } from '../transport/ssh-transport';
import type { ProcessRunner } from '../transport/process-runner';
import type { Transport } from '../transport/transport';
import { WatchError } from '../watch/backend';
import { SourceWatcher, type WatcherKind } from '../watch/source-watcher';

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
  readonly transport?: (config: SyncConfig) => Transport;
  /** A watch budget below the kernel's inotify limit (beyond it, the tree is polled). */
  readonly watchLimit?: number;
  /** Where SSH control sockets go (default $XDG_RUNTIME_DIR/tidemark or /tmp/tidemark-UID). */
  readonly runtimeDir?: string;
  /** Environment for ssh and rsync over SSH: the app's agent socket (SSH_AUTH_SOCK), say. */
  readonly sshEnv?: Record<string, string>;
}

/**
 * The quiet window before a batch ships, so that files still being written wait. It never
 * exceeds `delay`: delay = 0 asks for every change at once, as lsyncd ships it.
 */
export const DEFAULT_SETTLE_MS = 20;

/** One sync{}: watcher -> batcher -> planner -> session -> transport, each with its own state. */
export class SyncRunner {
  readonly session: SyncSession;
  readonly #filter: PathFilter;
  #watcher: SourceWatcher;
  #watcherKind: WatcherKind;
  readonly #batcher: Batcher;
  readonly #transport: Transport;
  #eventCount = 0;
  /** A switch to polling in progress, which stop() and settled() wait for. */
  #switching: Promise<void> = Promise.resolve();

  constructor(private readonly options: RunnerOptions) {
    const { config, clock } = options;
    this.#filter = compileFilters(config.filters);
    this.#transport = options.transport?.(config) ?? transportFor(options.id, config, options);
    this.session = new SyncSession({ id: options.id, transport: this.#transport, clock, backoff: options.backoff, log: options.log, onRun: options.onRun });
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

  get transport(): Transport {
    return this.#transport;
  }

  get state(): TargetState {
    return this.session.state;
  }

  onStatus(listener: (event: StatusEvent) => void): () => void {
    return this.session.onStatus(listener);
  }

  /** Watches first, then queues the startup sync, so nothing that changes during it is missed. */
  async start(): Promise<void> {
    this.session.setPhase({ kind: 'scanning', scanned: 0 });
    const { entries, dirs } = await this.#startWatcher();
    this.options.log?.('Normal', `watching ${dirs} directories (${entries} entries) in ${this.options.config.source}/ with ${this.#watcher.backendName}`);
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
    await this.#switching;
    await this.#watcher.close();
    this.#batcher.flush();
    await this.session.stop();
    await this.#transport.close();
  }

  #onEvents(events: FsEvent[]): void {
    this.#eventCount += events.length;
    this.#batcher.push(events);
  }

  #onBatch(batch: ChangeBatch): void {
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

  #warnPolling(error: WatchError): void {
    this.options.log?.('Warn', `${this.options.config.source}: ${error.message} Polling the tree every few seconds instead, until then.`);
  }
}

function fullPlan(allowDelete: boolean): Plan {
  return { moves: [], sync: [], deletes: [], allowDelete, full: true };
}

/** The transport a sync{} describes: a local directory, or a directory over SSH. */
function transportFor(id: string, config: SyncConfig, options: RunnerOptions): Transport {
  const { source, rsync, filters } = config;
  if (config.target.kind === 'local') return new LocalTransport({ source, targetDir: config.target.dir, rsync, filters, runner: options.runner });
  return new SshTransport({
    id,
    source,
    host: config.target.host,
    targetDir: config.target.dir,
    rsync,
    ssh: config.ssh,
    filters,
    runner: options.runner,
    runtimeDir: options.runtimeDir,
    env: options.sshEnv,
    log: options.log,
  });
}

