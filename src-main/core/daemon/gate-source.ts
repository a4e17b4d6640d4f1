// The source-side looks of the safety gate: the root's identity, whether a source copy is newer,
// rsync's leftovers, and the words of a root halt. Each reads the source directly (lstat), never
// the target.
import { opendirSync } from 'node:fs';
import type { Plan, RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from '../safety/at-risk';
import { rsyncTempOf } from '../safety/at-risk';
import type { DryRunResult } from '../safety/itemize';
import type { RootIdentity, RootVerdict } from '../safety/root-identity';
import { absoluteBytes } from '../watch/byte-path';
import { lstatOrNull } from '../watch/stat-paths';

/**
 * Why a root problem halts the target, ending with what resolves it: a root that went away
 * resumes by itself when the same directory is back; a replaced one (or another filesystem)
 * is mirrored by a checked full sync on request (a HUP, or a restart).
 */
export function rootHalt(verdict: Exclude<RootVerdict, { kind: 'same' }>): string {
  const resync = `kill -HUP ${process.pid} (or restart tidemark)`;
  const next = verdict.kind === 'missing' || verdict.kind === 'not-a-directory'
    ? `it goes on by itself when the same directory is back; to mirror whatever is there instead: ${resync}`
    : `to mirror it (a checked full sync): ${resync}`;
  return `${verdict.reason}; nothing was touched on the target. ${next.charAt(0).toUpperCase()}${next.slice(1)}`;
}

/** The plan without its deletions: the rest of a batch whose deletions are held back. */
export function withoutDeletes(plan: Plan): Plan {
  return { ...plan, deletes: [], allowDelete: false };
}

/** `.tidemark-trash/2026-11-29T10-04-06.123Z`: sortable, and no colon for tools that mind. */
export function trashStamp(now: number): string {
  return new Date(now).toISOString().replace(/:/g, '-');
}

export function rootIdentity(root: string): RootIdentity | null {
  const found = rootIdentityOrFile(root);
  return found === 'file' ? null : found;
}

export function rootIdentityOrFile(root: string): RootIdentity | null | 'file' {
  const stats = lstatOrNull(absoluteBytes(root, ''));
  if (!stats) return null;
  if (!stats.isDirectory()) return 'file';
  return { dev: stats.dev, ino: stats.ino, birthtimeMs: stats.birthtimeMs };
}

/** Whether a directory has no entry: one read, never a listing of the whole root. */
export function isEmptyDir(dir: string): boolean {
  try {
    const handle = opendirSync(dir);
    try {
      return handle.readSync() === null;
    } finally {
      handle.closeSync();
    }
  } catch {
    return false;
  }
}

/** Whether the source has a file at the entry's path at least as new as the target's copy. */
export function sourceIsNewer(source: string, entry: { readonly path: RelPath; readonly mtimeMs: number; readonly entry: string }): boolean {
  if (entry.entry === 'dir') return false;
  const found = lstatOrNull(absoluteBytes(source, entry.path));
  return found !== null && found.mtimeMs >= entry.mtimeMs;
}

/** Target-only files named as rsync's temporary copy of a file the source has. */
export function leftovers(source: string, dryRun: Pick<DryRunResult, 'deletes'>, targetStats: ReadonlyMap<RelPath, EntryStat>): Set<RelPath> {
  const found = new Set<RelPath>();
  for (const { path, dir } of dryRun.deletes) {
    const original = dir ? null : rsyncTempOf(path);
    if (original === null || targetStats.get(path)?.entry !== 'file') continue;
    // Only beside a file the source has: anything else is a file of the user's.
    if (lstatOrNull(absoluteBytes(source, original))?.isFile()) found.add(path);
  }
  return found;
}

/** The source's copies of the files a sync would overwrite (one that vanished since is left out). */
export function sourceStats(source: string, paths: readonly RelPath[]): Map<RelPath, EntryStat> {
  const stats = new Map<RelPath, EntryStat>();
  for (const path of paths) {
    const found = lstatOrNull(absoluteBytes(source, path));
    if (found) stats.set(path, { entry: found.isDirectory() ? 'dir' : found.isSymbolicLink() ? 'symlink' : 'file', size: found.size, mtimeMs: found.mtimeMs });
  }
  return stats;
}
