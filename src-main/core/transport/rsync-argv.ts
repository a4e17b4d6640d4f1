// lsyncd's `rsync = {}` table as rsync command-line arguments, and filter rules as `--filter`
// arguments. Each result is an argv array for execa: no shell, no quoting. Pure: no node:*.
//
// Defaults differ from lsyncd on purpose (LSYNCD.md): lsyncd's table defaults to links, times
// and protect_args only (`-lts`), so permissions are lost on the target. Tidemark adds perms:
// with a table that sets nothing the result is --links --times --perms --protect-args.
// `preservePerms: false` gives lsyncd's `-lts` exactly (compatibility mode).
//
// As in lsyncd, the table inherits these defaults: a flag the table does not mention keeps its
// default; `archive = true` implies links, perms, times, group, owner, devices and specials
// (emitted as --archive); a flag set to false turns off whatever the default or archive
// implied, emitted as --no-X after every positive flag so that it wins.
// Long option names throughout, so that the command line reads in logs.

import type { RelPath } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncTable } from '../config/model';

interface FlagSpec {
  readonly option: string;
  /** rsync accepts `--no-X` for it (checked against rsync 3.2+; 3.5.0 verified). */
  readonly negatable: boolean;
  /** Implied by --archive (rsync's -a = -rlptgoD). */
  readonly inArchive?: boolean;
}

/**
 * Every boolean key of lsyncd's rsync table (2.2.3, plus 2.3's copy_unsafe_links), in the order
 * the arguments come out: Tidemark's four defaults first, then the rest alphabetically.
 */
export const RSYNC_FLAGS: Readonly<Record<string, FlagSpec>> = {
  links: { option: '--links', negatable: true, inArchive: true },
  times: { option: '--times', negatable: true, inArchive: true },
  perms: { option: '--perms', negatable: true, inArchive: true },
  protect_args: { option: '--protect-args', negatable: true },
  acls: { option: '--acls', negatable: true },
  append: { option: '--append', negatable: true },
  append_verify: { option: '--append-verify', negatable: false },
  /** Handled first: emitted as the leading --archive, never negated (rsync has no --no-archive). */
  archive: { option: '--archive', negatable: false },
  backup: { option: '--backup', negatable: true },
  checksum: { option: '--checksum', negatable: true },
  compress: { option: '--compress', negatable: true },
  copy_dirlinks: { option: '--copy-dirlinks', negatable: false },
  copy_links: { option: '--copy-links', negatable: false },
  copy_unsafe_links: { option: '--copy-unsafe-links', negatable: false },
  cvs_exclude: { option: '--cvs-exclude', negatable: false },
  devices: { option: '--devices', negatable: true, inArchive: true },
  dry_run: { option: '--dry-run', negatable: false },
  executability: { option: '--executability', negatable: false },
  existing: { option: '--existing', negatable: false },
  group: { option: '--group', negatable: true, inArchive: true },
  hard_links: { option: '--hard-links', negatable: true },
  ignore_times: { option: '--ignore-times', negatable: false },
  inplace: { option: '--inplace', negatable: true },
  ipv4: { option: '--ipv4', negatable: false },
  ipv6: { option: '--ipv6', negatable: false },
  keep_dirlinks: { option: '--keep-dirlinks', negatable: false },
  one_file_system: { option: '--one-file-system', negatable: true },
  omit_dir_times: { option: '--omit-dir-times', negatable: true },
  omit_link_times: { option: '--omit-link-times', negatable: true },
  owner: { option: '--owner', negatable: true, inArchive: true },
  prune_empty_dirs: { option: '--prune-empty-dirs', negatable: true },
  quiet: { option: '--quiet', negatable: false },
  sparse: { option: '--sparse', negatable: true },
  specials: { option: '--specials', negatable: true, inArchive: true },
  update: { option: '--update', negatable: false },
  verbose: { option: '--verbose', negatable: true },
  whole_file: { option: '--whole-file', negatable: true },
  xattrs: { option: '--xattrs', negatable: true },
};

/** Every valued key of lsyncd's rsync table, as `--option=VALUE`. */
export const RSYNC_VALUED: Readonly<Record<string, string>> = {
  backup_dir: '--backup-dir',
  bwlimit: '--bwlimit',
  chmod: '--chmod',
  chown: '--chown',
  groupmap: '--groupmap',
  password_file: '--password-file',
  rsh: '--rsh',
  rsync_path: '--rsync-path',
  suffix: '--suffix',
  temp_dir: '--temp-dir',
  timeout: '--timeout',
  usermap: '--usermap',
};

/**
 * Keys the transport applies itself, because they change what gets deleted: 2.3's
 * delete_excluded implies --delete in rsync, so it may only join a run that deletes anyway.
 */
export const RSYNC_DELETE_FLAGS: ReadonlySet<string> = new Set(['delete_excluded']);

export interface RsyncArgvMode {
  /** Tidemark's default (true) adds --perms to lsyncd's -lts. */
  readonly preservePerms: boolean;
}

/** The table keys rsyncOptionArgs does not know; the config validator reports them at file:line. */
export function unknownRsyncOptions(table: RsyncTable): string[] {
  const flags = Object.keys(table.flags).filter((k) => !Object.hasOwn(RSYNC_FLAGS, k) && !RSYNC_DELETE_FLAGS.has(k));
  const values = Object.keys(table.values).filter((k) => !Object.hasOwn(RSYNC_VALUED, k));
  return [...flags, ...values];
}

/** The flags in effect: defaults, then the table's own settings over them. */
function effectiveFlags(table: RsyncTable, mode: RsyncArgvMode): Map<string, boolean> {
  const flags = new Map<string, boolean>([
    ['links', true],
    ['times', true],
    ['perms', mode.preservePerms],
    ['protect_args', true],
  ]);
  for (const [name, on] of Object.entries(table.flags)) flags.set(name, on);
  return flags;
}

/**
 * The option arguments for a table, in a fixed order: --archive, the positive flags, the --no-X
 * flags, the valued options, then `_extra` verbatim. Throws on a key the config validator
 * should have rejected (see unknownRsyncOptions); delete-related keys are left to the transport.
 */
export function rsyncOptionArgs(table: RsyncTable, mode: RsyncArgvMode = { preservePerms: true }): string[] {
  const unknown = unknownRsyncOptions(table);
  if (unknown.length > 0) throw new RangeError(`unknown rsync option(s): ${unknown.join(', ')}`);
  const flags = effectiveFlags(table, mode);
  const archive = flags.get('archive') === true;
  const on: string[] = archive ? ['--archive'] : [];
  const off: string[] = [];
  // Table order, so that the result does not depend on how the config listed its keys.
  for (const [name, spec] of Object.entries(RSYNC_FLAGS)) {
    if (name === 'archive') continue;
    const value = flags.get(name);
    if (value === true && !(archive && spec.inArchive)) on.push(spec.option);
    // A false flag matters only when explicit; defaults that are false (perms in lsyncd mode) say nothing.
    if (value === false && Object.hasOwn(table.flags, name) && spec.negatable) off.push(`--no-${spec.option.slice(2)}`);
  }
  const valued: string[] = [];
  for (const [name, option] of Object.entries(RSYNC_VALUED)) {
    const value = Object.hasOwn(table.values, name) ? table.values[name] : undefined;
    if (value !== undefined) valued.push(`${option}=${value}`);
  }
  return [...on, ...off, ...valued, ...table.extra];
}

/**
 * One `--filter=RULE` argument per rule, in order (first match wins, as in the config).
 * The pattern is kept byte for byte: rsync takes everything after `- ` as the pattern,
 * spaces included. An empty pattern is a config error rsync would reject (exit 1).
 */
export function filterArgs(rules: readonly FilterRule[]): string[] {
  return rules.map((rule) => {
    if (rule.pattern === '') throw new RangeError(`empty ${rule.action === '-' ? 'exclude' : 'include'} pattern`);
    return `--filter=${rule.action} ${rule.pattern}`;
  });
}

/**
 * The file list an rsync reads on stdin (`--from0 --files-from=-`): `./path\0` per path, as raw
 * bytes (RelPaths are latin1 byte strings). rsync reads a list line that begins with `#` or `;`
 * as a comment, even with --from0, so a file named `#hash` or `; rm -rf x` listed bare would
 * never arrive (nor be deleted). With `./` in front no line begins with either, and rsync names
 * the entry as before: `./` marks where the relative part of a --files-from path starts, so
 * the target gets `#hash`, never `./#hash`, and the names in rsync's output (the dry run's
 * itemized lines) carry no `./` either.
 */
export function fileListInput(list: readonly RelPath[]): Buffer {
  return Buffer.from(list.map((path) => `./${path}\0`).join(''), 'latin1');
}
