// lsyncd 2.2.3's defaults, as policy tables. Checked against default-rsync.lua,
// default-rsyncssh.lua, default-direct.lua and lsyncd.lua of the 2.2.3 release.

import type { DeleteMode, RsyncTable, Settings, SshTable, SyncKind } from './model';

export interface SyncDefaults {
  readonly delay: number;
  readonly maxDelays: number;
  readonly maxProcesses: number;
  /** lsyncd sets `delete = true` on all three layers; Tidemark's safety checks guard it. */
  readonly delete: DeleteMode;
  readonly init: boolean;
}

export const SYNC_DEFAULTS: Readonly<Record<SyncKind, SyncDefaults>> = {
  rsync: { delay: 15, maxDelays: 1000, maxProcesses: 1, delete: true, init: true },
  rsyncssh: { delay: 15, maxDelays: 1000, maxProcesses: 1, delete: true, init: true },
  direct: { delay: 1, maxDelays: 1000, maxProcesses: 1, delete: true, init: true },
};

/** Binaries come from PATH (lsyncd hard-codes /usr/bin/rsync and /usr/bin/ssh). */
export const DEFAULT_RSYNC: RsyncTable = { binary: 'rsync', flags: {}, values: {}, extra: [] };
export const DEFAULT_SSH: SshTable = { binary: 'ssh', options: {}, extra: [] };

export const DEFAULT_SETTINGS: Settings = {
  statusInterval: 10,
  nodaemon: false,
  insist: false,
  inotifyMode: 'CloseWrite',
};

export { RSYNC_FLAGS, RSYNC_VALUES } from '../../../src-shared/model/config-keys';
import { INOTIFY_MODES as SHARED_INOTIFY_MODES, RSYNC_FLAGS, RSYNC_VALUES } from '../../../src-shared/model/config-keys';

export const RSYNC_KEYS: readonly string[] = [...RSYNC_FLAGS, ...RSYNC_VALUES, 'binary', '_extra'];
export const SSH_KEYS: readonly string[] = ['binary', 'port', 'identityFile', 'options', '_extra'];

export const SETTINGS_KEYS: readonly string[] = [
  'logfile', 'statusFile', 'statusInterval', 'nodaemon', 'pidfile', 'insist', 'inotifyMode',
  'maxProcesses', 'maxDelays', 'logfacility', 'logident',
];

export const INOTIFY_MODES: readonly string[] = SHARED_INOTIFY_MODES;

const EXIT_CODES = 'custom exit-code tables; Tidemark classifies rsync and ssh exit codes itself';
const LSYNCD_2_3 = 'an lsyncd 2.3 feature; Tidemark follows lsyncd 2.2.3';

/** Keys lsyncd knows that Tidemark refuses, with the reason shown to the user. */
export const UNSUPPORTED_SYNC_KEYS: Readonly<Record<string, string>> = {
  exitcodes: EXIT_CODES,
  rsyncExitCodes: EXIT_CODES,
  sshExitCodes: EXIT_CODES,
  crontab: LSYNCD_2_3,
  full: LSYNCD_2_3,
  onFull: LSYNCD_2_3,
  tunnel: LSYNCD_2_3,
  batchSizeLimit: LSYNCD_2_3,
};

export const UNSUPPORTED_RSYNC_KEYS: Readonly<Record<string, string>> = {
  copy_unsafe_links: LSYNCD_2_3,
  delete_excluded: LSYNCD_2_3,
  _computed: 'an lsyncd-internal parameter',
};

export const UNSUPPORTED_SETTINGS_KEYS: Readonly<Record<string, string>> = {
  onepass: LSYNCD_2_3,
};

/**
 * Keys of lsyncd's custom actions (layers 1 to 3), refused by custom-actions.ts: the event
 * handlers first (the key a message names), then the hooks a layer-1 action comes with.
 * `init` counts only as a function (init = false is the ordinary "skip the startup sync").
 */
export const ACTION_KEYS: readonly string[] = ['onStartup', 'onCreate', 'onModify', 'onAttrib', 'onDelete', 'onMove', 'action', 'init'];
export const ACTION_HOOK_KEYS: readonly string[] = ['prepare', 'collect', 'checkgauge'];
