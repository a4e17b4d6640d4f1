// The target's trash (`.tidemark-trash/<stamp>/<path>`), listed and pruned by the same small
// scripts on a local and on a remote target. Names come back NUL-terminated, never parsed by a
// shell. Pure: no node:* imports.
import type { RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from './at-risk';
import { TRASH_DIR } from './keep-rules';
import { parseTargetStats } from './target-stat';

/** `sh -c SCRIPT tidemark-trash DIR`: every entry below the trash as `y size time ./stamp/path\0`. */
const LIST_SCRIPT = `cd -- "$1" || exit 3\n[ -d ${TRASH_DIR} ] || exit 0\ncd ${TRASH_DIR} && exec find . -mindepth 1 -printf "%y %s %T@ ./%P\\\\0"`;

/**
 * `sh -c SCRIPT tidemark-prune DIR EPOCH`: removes the stamp directories not written to since
 * EPOCH (seconds). A stamp directory is written to while its run keeps entries in it.
 */
const PRUNE_SCRIPT = `cd -- "$1" || exit 3\n[ -d ${TRASH_DIR} ] || exit 0\nexec find ${TRASH_DIR} -mindepth 1 -maxdepth 1 -type d ! -newermt "@$2" -exec rm -rf -- {} +`;

/**
 * `sh -c SCRIPT tidemark-unstamp DIR STAMP`: removes one stamp directory of the trash (the
 * breaker's window, once it closed), and the trash itself when nothing else is in it.
 */
const REMOVE_STAMP_SCRIPT = `cd -- "$1" || exit 3\n[ -d ${TRASH_DIR} ] || exit 0\nrm -rf -- "${TRASH_DIR}/$2" && { rmdir -- ${TRASH_DIR} 2>/dev/null; exit 0; }`;

export function removeStampArgv(targetDir: string, stamp: string): string[] {
  if (stamp === '' || stamp.includes('/') || stamp === '.' || stamp === '..') throw new Error(`not a trash stamp: ${stamp}`);
  return ['sh', '-c', REMOVE_STAMP_SCRIPT, 'tidemark-unstamp', targetDir, stamp];
}

export function listTrashArgv(targetDir: string): string[] {
  return ['sh', '-c', LIST_SCRIPT, 'tidemark-trash', targetDir];
}

export function pruneTrashArgv(targetDir: string, olderThanMs: number): string[] {
  return ['sh', '-c', PRUNE_SCRIPT, 'tidemark-prune', targetDir, String(Math.floor(olderThanMs / 1000))];
}

export interface TrashEntry extends EntryStat {
  /** The run's stamp directory (an ISO time, colons as dashes). */
  readonly stamp: string;
  /** Where the entry was in the tree. */
  readonly path: RelPath;
}

/** The listing of the trash, by stamp then path. */
export function parseTrashListing(stdout: string): TrashEntry[] {
  const entries: TrashEntry[] = [];
  for (const [where, stat] of parseTargetStats(stdout)) {
    const slash = where.indexOf('/');
    if (slash <= 0) continue; // the stamp directory itself
    entries.push({ stamp: where.slice(0, slash), path: where.slice(slash + 1), ...stat });
  }
  return entries.sort((a, b) => (a.stamp === b.stamp ? (a.path < b.path ? -1 : 1) : a.stamp < b.stamp ? -1 : 1));
}

/** The trash directory of one day: every delete and overwrite of that day's running sync lands here. */
export function dailyTrashDir(now: number): RelPath {
  return `${TRASH_DIR}/${new Date(now).toISOString().slice(0, 10)}`;
}
