// The validated configuration every face runs: lsyncd Lua configs and the CLI's lsyncd-style
// options both become a TidemarkConfig before anything starts.

export type SyncKind = 'rsync' | 'rsyncssh' | 'direct';

/** lsyncd's four delete modes: true, false, 'startup' (only the startup sync), 'running' (only live). */
export type DeleteMode = boolean | 'startup' | 'running';

/** Where a definition came from, so that every later error can name file:line. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

export type TargetSpec =
  | { readonly kind: 'local'; readonly dir: string }
  /** `host` is passed to ssh as written (it may be an ssh_config alias, or user@host). */
  | { readonly kind: 'ssh'; readonly host: string; readonly dir: string }
  /** An rsync daemon's module (rsync://host[:port]/module/dir or host::module/dir): see rsyncd-address.ts. */
  | RsyncdTarget;

/** A directory in an rsync daemon's module, reached over the daemon protocol (no shell there). */
export interface RsyncdTarget {
  readonly kind: 'rsyncd';
  /** The address as the config wrote it, without trailing slashes: what rsync gets, and how logs name it. */
  readonly address: string;
  readonly host: string;
  readonly user?: string;
  /** rsync://host:PORT only; the daemon's default (873) otherwise. */
  readonly port?: number;
  readonly module: string;
  /** Inside the module, without leading or trailing slashes ('' is the module's root). */
  readonly dir: string;
}

/** The `rsync = {}` table. */
export interface RsyncTable {
  readonly binary: string;
  /** Boolean options by lsyncd's name (archive, compress, perms, ...), as set in the config. */
  readonly flags: Readonly<Record<string, boolean>>;
  /** Valued options by lsyncd's name (bwlimit, rsh, rsync_path, temp_dir, ...). */
  readonly values: Readonly<Record<string, string | number>>;
  readonly extra: readonly string[];
}

/** The `ssh = {}` table. */
export interface SshTable {
  readonly binary: string;
  readonly port?: number;
  readonly identityFile?: string;
  /** Each becomes `-o key=value`. */
  readonly options: Readonly<Record<string, string>>;
  readonly extra: readonly string[];
}

/** One rsync filter rule; exclude lists become '-' rules. First match wins, as in rsync. */
export interface FilterRule {
  readonly action: '+' | '-';
  readonly pattern: string;
}

export interface SyncConfig {
  readonly kind: SyncKind;
  /** Absolute path of the source root, without a trailing slash. */
  readonly source: string;
  readonly target: TargetSpec;
  /** Seconds (lsyncd's unit). */
  readonly delay: number;
  readonly maxDelays: number;
  readonly maxProcesses: number;
  readonly delete: DeleteMode;
  readonly init: boolean;
  /** exclude, excludeFrom, filter and filterFrom resolved into one ordered rule list. */
  readonly filters: readonly FilterRule[];
  readonly rsync: RsyncTable;
  readonly ssh: SshTable;
  readonly origin: Origin;
  /** How the source is watched (Tidemark's own key); inotify when absent. */
  readonly watcher?: WatcherChoice;
  /**
   * Tidemark's own safety keys (absent = the safe defaults in core/safety/defaults.ts).
   * `reconcile`: what a startup does with files that exist only on the target or are newer
   * there: 'ask' (stop that target, awaiting a decision), or decide without asking.
   * 'delete' is lsyncd's behaviour exactly, with no check at all.
   */
  readonly reconcile?: ReconcilePolicy;
  /** The mass-delete breaker: a window deleting more entries than this holds (false: no limit). */
  readonly maxDeletes?: number | false;
  /** ... or more than this percentage of the tree as the window opened (false: no limit). */
  readonly maxDeletePercent?: number | false;
  /** The breaker's window closes after this many seconds without a delete (60; 0: each batch alone). */
  readonly maxDeleteWindow?: number;
  /** Keep every delete and overwrite of running sync in a dated trash on the target. */
  readonly trash?: boolean;
  /** Days a trash directory is kept (default 30). */
  readonly trashDays?: number;
}

import type { ReconcileAction } from '../../../src-shared/model/safety';
export type { ReconcileAction };
export type ReconcilePolicy = 'ask' | ReconcileAction;

/** inotify (one watch per directory), chokidar, or polling for sources that give no events. */
export type WatcherChoice = 'inotify' | 'chokidar' | 'poll';

export type InotifyMode = 'CloseWrite' | 'Modify' | 'CloseWrite or Modify';

export interface Settings {
  readonly logfile?: string;
  readonly statusFile?: string;
  /** Seconds between status file rewrites. */
  readonly statusInterval: number;
  readonly nodaemon: boolean;
  readonly pidfile?: string;
  readonly insist: boolean;
  readonly inotifyMode: InotifyMode;
  readonly maxProcesses?: number;
  readonly maxDelays?: number;
  readonly logfacility?: string;
  readonly logident?: string;
}

export interface TidemarkConfig {
  readonly settings: Settings;
  readonly syncs: readonly SyncConfig[];
  /** Values lsyncd accepts but that are likely not what was meant (logged as warnings); absent when none. */
  readonly warnings?: readonly ConfigWarning[];
}

/** A value accepted with lsyncd's meaning that deserves a second look: `file:line: detail` in `message`. */
export interface ConfigWarning {
  readonly origin: Origin;
  readonly detail: string;
  readonly message: string;
}

/** A config problem, always pointing at the line to fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly origin: Origin,
    readonly detail: string,
  ) {
    super(`${origin.file}:${origin.line}: ${detail}`);
  }
}
