import type { Outcome, Plan, StatusEvent } from '../../../src-shared/model/sync';
import type { SyncConfig, TidemarkConfig } from '../config/model';
import type { Clock } from '../queue/clock';
import {
  ctime, fullResync, hupResetting, listCalling, listFinished, listRetrying, moving, signalFading, startupBanner,
  startupFailed, startupFinished, startupRetrying, startupSync,
} from '../report/log-format';
import type { Logger } from '../report/log-writer';
import { stateText, type SyncStatusInfo } from '../report/status-format';
import { stallText } from '../safety/no-space';
import { StatusWriter } from '../report/status-writer';
import type { ProcessRunner } from '../transport/process-runner';
import type { SafeTransport } from '../transport/transport';
import type { WatcherKind } from '../watch/source-watcher';
import { SyncRunner, type TransportExtras } from './sync-runner';
import { TargetStore } from './target-store';

export interface DaemonOptions {
  readonly config: TidemarkConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly runner: ProcessRunner;
  readonly watcher?: WatcherKind;
  readonly settleMs?: number;
  readonly transport?: (config: SyncConfig, extras: TransportExtras) => SafeTransport;
  /** Where targets keep their kept entries and journals (TargetStore.defaultBase()); memory when absent. */
  readonly stateBase?: string;
  /** The config file as given on the command line (messages name the command that decides). */
  readonly configFile?: string;
  /**
   * The children of `runner`, when the daemon may end them: on TERM/INT none starts any more,
   * and those still running FADE_GRACE_MS later are ended (ChildProcesses).
   */
  readonly children?: { refuseNew(): void; endAll(): number };
  /** Environment for every ssh and rsync child over SSH: the app's agent (SSH_AUTH_SOCK). */
  readonly sshEnv?: Record<string, string>;
  /** The id of the Nth sync (from 0) in the status stream: `Sync${N+1}` as lsyncd counts, unless given. */
  readonly targetId?: (index: number) => string;
  /** The command that messages name for a decision (default: tidemark check CONFIG --reconcile ...). */
  readonly decideHint?: string;
}

/** How long running transfers get to finish after TERM/INT before they are ended (ms). */
export const FADE_GRACE_MS = 2000;

/**
 * Every sync{} of one config, side by side: each has its own watcher, queue and session, so a
 * slow or failing target never holds up another. Writes lsyncd's log lines and status file.
 */
export class Daemon {
  readonly runners: SyncRunner[];
  readonly #statusWriter: StatusWriter | null;
  readonly #listeners = new Set<(event: StatusEvent) => void>();

  constructor(private readonly options: DaemonOptions) {
    const { config, logger } = options;
    this.runners = config.syncs.map((sync, index) => {
      const started = { done: false };
      const runner = new SyncRunner({
        id: options.targetId?.(index) ?? `Sync${index + 1}`,
        config: sync,
        clock: options.clock,
        runner: options.runner,
        watcher: options.watcher,
        settleMs: options.settleMs,
        transport: options.transport,
        sshEnv: options.sshEnv,
        stateDir: options.stateBase ? TargetStore.dirFor(options.stateBase, sync.source, targetName(sync)) : undefined,
        log: (level, message) => logger.write(level, message),
        decideHint: options.decideHint ?? `tidemark check ${shellWord(options.configFile ?? 'CONFIG')} --reconcile pull|keep|trash|delete [--path PATH]...`,
        onRun: (plan, outcome) => this.#logRun(sync, plan, outcome, started),
      });
      runner.onStatus((event) => {
        for (const listener of this.#listeners) listener(event);
        this.#statusWriter?.changed();
      });
      return runner;
    });
    this.#statusWriter = config.settings.statusFile
      ? new StatusWriter({
          path: config.settings.statusFile,
          intervalSeconds: config.settings.statusInterval,
          onError: (error) => logger.write('Error', error.message),
        })
      : null;
  }

  onStatus(listener: (event: StatusEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.options.logger.log(startupBanner());
    await Promise.all(this.runners.map((runner) => runner.start()));
    await this.#statusWriter?.start(() => this.statusInfo());
  }

  /**
   * TERM/INT: nothing new starts (no retry, no child), running transfers get FADE_GRACE_MS to
   * finish and are ended after that, then everything closes. Without a signal (HUP's restart),
   * running transfers finish however long they take.
   */
  async stop(signal?: 'TERM' | 'INT'): Promise<void> {
    if (signal) {
      this.options.logger.log(signalFading(signal));
      this.options.children?.refuseNew();
    }
    const stopped = Promise.all(this.runners.map((runner) => runner.stop()));
    const grace = signal ? this.options.clock.setTimer(FADE_GRACE_MS, () => this.#endTransfers()) : null;
    await stopped;
    if (grace !== null) this.options.clock.clearTimer(grace);
    await this.#statusWriter?.writeNow();
    this.#statusWriter?.stop();
  }

  /** The grace is over: ends the children still running, and closes the transports (an SSH master still connecting). */
  #endTransfers(): void {
    const ended = this.options.children?.endAll() ?? 0;
    if (ended > 0) this.options.logger.write('Normal', `ending ${ended} transfer(s) still running ${FADE_GRACE_MS / 1000} s after the signal`);
    for (const runner of this.runners) void runner.transport.close();
  }

  logReset(): void {
    this.options.logger.log(hupResetting());
  }

  statusInfo(): SyncStatusInfo[] {
    return this.runners.map((runner, index) => {
      const sync = this.options.config.syncs[index]!;
      return {
        source: sync.source,
        delays: [],
        excludes: sync.filters.filter((rule) => rule.action === '-').map((rule) => rule.pattern),
        filters: sync.filters.some((rule) => rule.action === '+') ? sync.filters : undefined,
        watchedDirs: runner.watchedDirs(),
        state: runner.state.kind === 'awaiting-decision' || runner.state.kind === 'halted' ? stateText(runner.state) : runner.holding ? `${stateText(runner.state)}; awaiting a decision: ${runner.holding}` : runner.state.kind,
        stalled: runner.stalled.map(({ stall, attempt, nextAt }) => `${stallText(stall)}; set aside, retry ${attempt} at ${ctime(new Date(nextAt))}`),
      };
    });
  }

  #logRun(sync: SyncConfig, plan: Plan, outcome: Outcome, started: { done: boolean }): void {
    const logger = this.options.logger;
    if (outcome.kind === 'decide') return; // the session logs what waits for a decision, and why
    const code = outcome.kind === 'ok' ? 0 : outcome.kind === 'retry' ? (outcome.code ?? -1) : -1;
    if (!started.done && plan.full) {
      logger.log(startupSync(sync, sync.filters));
      if (outcome.kind === 'ok') started.done = true;
      logger.log(outcome.kind === 'ok' ? startupFinished(sync, 0) : outcome.kind === 'retry' ? startupRetrying(sync, code) : startupFailed(sync, code));
      return;
    }
    if (plan.full) logger.log(fullResync(sync, 'events were lost or too many to list'));
    for (const move of plan.moves) if (logger.enabled('Normal')) logger.log(moving(move.from, move.to));
    if (plan.sync.length > 0 && logger.enabled('Normal')) logger.log(listCalling(plan.sync));
    if (outcome.kind === 'ok') logger.log(listFinished(sync.kind, 0));
    else if (outcome.kind === 'retry') logger.log(listRetrying(sync.kind, code));
    else logger.write('Error', `${sync.source}: ${outcome.reason}`);
  }
}

/** A word as a shell reads it back (quoted when it needs to be), for commands shown to a person. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A target as its state directory is named: the directory, host:directory, or the daemon address. */
export function targetName(sync: SyncConfig): string {
  if (sync.target.kind === 'rsyncd') return sync.target.address;
  return sync.target.kind === 'local' ? sync.target.dir : `${sync.target.host}:${sync.target.dir}`;
}
