import type { TidemarkConfig } from '../core/config/model';
import type { Server } from 'node:net';
import { Daemon, targetName } from '../core/daemon/daemon';
import { defaultRuntimeDir } from '../core/transport/ssh-master';
import { closeControl, controlSocketPath, serveControl } from '../services/control-socket';
import { safetyHandlers } from '../services/safety-handlers';
import { SafetyService } from '../services/safety-service';
import { TargetStore } from '../core/daemon/target-store';
import type { LogFilter } from '../core/report/log-filter';
import { Logger, processConsole } from '../core/report/log-writer';
import { systemClock } from '../core/session/system-clock';
import { ChildProcesses } from '../core/transport/process-runner';
import type { WatcherKind } from '../core/watch/source-watcher';
import type { CliIo } from './run-cli';
import { removePidfile, writePidfile } from './pidfile';

export interface DaemonRun {
  readonly config: TidemarkConfig;
  readonly logFilter: LogFilter;
  readonly foreground: boolean;
  readonly watcher?: WatcherKind;
  /** Re-reads the config on HUP; absent for command-line syncs (they resync as they are). */
  readonly reload?: () => Promise<TidemarkConfig>;
  /** The config file as given, for the commands that messages name (`tidemark check FILE ...`). */
  readonly configFile?: string;
  /** Environment for the ssh and rsync children: the app's key agent for a paired profile. */
  readonly sshEnv?: Record<string, string>;
}

export const EXIT_ON_SIGNAL = 143;

const GC_INTERVAL_MS = 30_000;
let lastCollection = 0;

/**
 * A full garbage collection when a target goes idle, at most every 30 s. The startup scan and
 * sync of a large tree leave tens of MB of garbage that V8 would otherwise keep resident until
 * its memory reducer runs, seconds later. Only when the CLI runs with --expose-gc (its shebang).
 */
function collectAfterBigWork(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  const now = Date.now();
  if (typeof collect !== 'function' || now - lastCollection < GC_INTERVAL_MS) return;
  lastCollection = now;
  setTimeout(collect, 50).unref();
}

/**
 * Runs the daemon until TERM or INT, which start nothing new, give running transfers
 * FADE_GRACE_MS to finish (ending them after that) and exit with 143 as lsyncd does. HUP reopens the logfile, re-reads the config and restarts every sync with a
 * resync; a config that no longer loads is reported and the running one kept.
 */
export async function runDaemon(run: DaemonRun, io: CliIo): Promise<number> {
  let config = run.config;
  const logger = new Logger({
    logfile: config.settings.logfile,
    console: run.foreground ? processConsole : undefined,
    filter: run.logFilter,
    clock: systemClock,
    onWriteError: (error) => io.stderr(`tidemark: ${error.message}\n`),
  });
  try {
    logger.open();
  } catch (error) {
    io.stderr(`tidemark: ${(error as Error).message}\n`);
    return 1;
  }
  const pidfile = config.settings.pidfile;
  if (pidfile) {
    try {
      writePidfile(pidfile);
    } catch (error) {
      io.stderr(`tidemark: ${(error as Error).message}\n`);
      return 1;
    }
  }

  // Every rsync and ssh of the daemon: on TERM/INT none starts any more, and hung ones are ended.
  const children = new ChildProcesses();
  const makeDaemon = (current: TidemarkConfig) => {
    for (const warning of current.warnings ?? []) logger.write('Warn', warning.message);
    const made = new Daemon({ config: current, logger, clock: systemClock, runner: children, children, watcher: run.watcher, stateBase: TargetStore.defaultBase(), configFile: run.configFile, sshEnv: run.sshEnv });
    made.onStatus((event) => {
      if (event.to.kind === 'idle') collectAfterBigWork();
    });
    return made;
  };
  let daemon = makeDaemon(config);
  let reloading: Promise<void> = Promise.resolve();

  // Each target's control socket: `tidemark check --reconcile` (and later the app) decide here.
  const served: { server: Server | null; path: string }[] = [];
  const serveTargets = async (current: TidemarkConfig) => {
    for (const [index, runner] of daemon.runners.entries()) {
      const sync = current.syncs[index]!;
      const path = controlSocketPath(defaultRuntimeDir(), sync.source, targetName(sync));
      try {
        const server = await serveControl(path, safetyHandlers(new SafetyService(() => [runner])));
        if (!server) logger.write('Warn', `${targetName(sync)}: another tidemark already runs this target (its control socket ${path} answers); decisions go to that one`);
        served.push({ server, path });
      } catch (error) {
        logger.write('Warn', `${targetName(sync)}: no control socket (${(error as Error).message}); tidemark check --reconcile cannot reach this daemon, a restart applies its decisions`);
      }
    }
  };
  const unserveTargets = async () => {
    for (const { server, path } of served.splice(0)) await closeControl(server, path);
  };

  const finished = new Promise<number>((resolve) => {
    let fading = false;
    const fade = (signal: 'TERM' | 'INT') => {
      if (fading) return;
      fading = true;
      void reloading.then(async () => {
        await unserveTargets();
        await daemon.stop(signal);
        if (pidfile) removePidfile(pidfile);
        logger.close();
        resolve(EXIT_ON_SIGNAL);
      });
    };
    // `on`, never `once`: execa's signal-exit re-raises a signal that no other listener is
    // left to handle, which would kill the daemon in the middle of its fade.
    process.on('SIGTERM', () => fade('TERM'));
    process.on('SIGINT', () => fade('INT'));
    process.on('SIGHUP', () => {
      reloading = reloading.then(async () => {
        daemon.logReset();
        logger.reopen();
        if (run.reload) {
          try {
            config = await run.reload();
          } catch (error) {
            logger.write('Error', `reload failed, keeping the running config: ${(error as Error).message}`);
          }
        }
        await unserveTargets();
        await daemon.stop();
        daemon = makeDaemon(config);
        await daemon.start();
        await serveTargets(config);
      });
    });
  });

  try {
    await daemon.start();
    await serveTargets(config);
  } catch (error) {
    logger.write('Error', `startup failed: ${(error as Error).message}`);
    io.stderr(`tidemark: startup failed: ${(error as Error).message}\n`);
    await daemon.stop();
    if (pidfile) removePidfile(pidfile);
    return 1;
  }
  return finished;
}
