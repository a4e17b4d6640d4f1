// Key lists shared by the lsyncd loader (core/config) and the profile schema the IPC contract
// carries. Pure data: importable by main, preload and renderer.

/** rsync = {} keys that are flags (each becomes `--name`, underscores as dashes). */
export const RSYNC_FLAGS: readonly string[] = [
  'acls', 'append', 'append_verify', 'archive', 'backup', 'checksum', 'compress', 'copy_dirlinks',
  'copy_links', 'cvs_exclude', 'dry_run', 'executability', 'existing', 'group', 'hard_links',
  'ignore_times', 'inplace', 'ipv4', 'ipv6', 'keep_dirlinks', 'links', 'one_file_system',
  'omit_dir_times', 'omit_link_times', 'owner', 'perms', 'protect_args', 'prune_empty_dirs', 'quiet',
  'sparse', 'times', 'update', 'verbose', 'whole_file', 'xattrs',
];

/** rsync = {} keys that carry a value (each becomes `--name=value`, underscores as dashes). */
export const RSYNC_VALUES: readonly string[] = [
  'backup_dir', 'bwlimit', 'chmod', 'chown', 'groupmap', 'password_file', 'rsh', 'rsync_path',
  'suffix', 'temp_dir', 'timeout', 'usermap',
];

export const INOTIFY_MODES = ['CloseWrite', 'Modify', 'CloseWrite or Modify'] as const;

/** What a target does with entries at risk at startup: ask, or one decision taken without asking. */
export const RECONCILE_POLICIES = ['ask', 'pull', 'keep', 'trash', 'delete'] as const;
export type ReconcilePolicy = (typeof RECONCILE_POLICIES)[number];
