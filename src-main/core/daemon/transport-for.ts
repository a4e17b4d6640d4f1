import type { SyncConfig } from '../config/model';
import type { SessionLog } from '../session/session';
import { LocalTransport } from '../transport/local-transport';
import type { ProcessRunner } from '../transport/process-runner';
import { RsyncdTransport } from '../transport/rsyncd-transport';
import { SshTransport } from '../transport/ssh-transport';
import type { TransferListener } from '../transport/rsync-transfer';
import type { SafeTransport } from '../transport/transport';

/** What any transport gets from the safety layer: the kept entries' rules, the trash, no in-place copies under a trash. */
export interface TransportExtras {
  readonly keepRules: () => string | null;
  readonly quickCopy: boolean;
  /** The day's trash directory on the target (`trash = true`), or null. */
  readonly backupDir: () => string | null;
  /** Who listens to the progress of the transfers now, if anyone (the status stream). */
  readonly progress?: () => TransferListener | null;
}

export interface TransportSettings {
  readonly runner: ProcessRunner;
  /** Where SSH control sockets go. */
  readonly runtimeDir?: string;
  /** Environment for ssh and rsync over SSH (the app's SSH_AUTH_SOCK). */
  readonly sshEnv?: Record<string, string>;
  readonly log?: SessionLog;
}

/** The transport a sync{} describes: a local directory, a directory over SSH, or one in an rsync daemon's module. */
export function transportFor(id: string, config: SyncConfig, options: TransportSettings, extras: TransportExtras): SafeTransport {
  const { source, rsync, filters } = config;
  if (config.target.kind === 'local') return new LocalTransport({ source, targetDir: config.target.dir, rsync, filters, runner: options.runner, ...extras });
  if (config.target.kind === 'rsyncd') {
    return new RsyncdTransport({ source, target: config.target, rsync, filters, runner: options.runner, log: options.log, keepRules: extras.keepRules, backupDir: extras.backupDir, progress: extras.progress });
  }
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
    keepRules: extras.keepRules,
    backupDir: extras.backupDir,
    progress: extras.progress,
  });
}

