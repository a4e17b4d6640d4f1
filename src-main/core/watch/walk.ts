import { lstat, readdir } from 'node:fs/promises';
import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import { absoluteBytes, fromBytes, joinRel } from './byte-path';
import type { ScannedEntry } from './scan';

export function kindOfStats(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'other';
}

export interface WalkResult {
  readonly entries: ScannedEntry[];
  /** Directories that could not be listed completely because they moved or vanished meanwhile. */
  readonly unreadable: RelPath[];
}

/**
 * Lists a directory that just appeared, from JS with raw-byte names (its path may not be UTF-8,
 * which find's argv cannot carry). New directories are small; the startup scan uses find.
 *
 * `beforeRead` runs for each directory (`dir` first) just before it is listed, so a caller can
 * watch it first: whatever appears in it afterwards is then reported, and whatever appeared
 * before is listed. Watching after listing would lose what is created in between.
 */
export async function walkSubtree(
  root: string,
  dir: RelPath,
  prune: (path: RelPath, kind: EntryKind) => boolean,
  beforeRead: (dir: RelPath) => void = () => {},
): Promise<WalkResult> {
  const found: ScannedEntry[] = [];
  const unreadable: RelPath[] = [];
  const pending: RelPath[] = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    beforeRead(current);
    let names: Buffer[];
    try {
      names = await readdir(absoluteBytes(root, current), { encoding: 'buffer' });
    } catch {
      // Vanished meanwhile: its delete or move event follows, but what it held is unknown.
      unreadable.push(current);
      continue;
    }
    const stats = await Promise.all(names.map((name) => lstat(absoluteBytes(root, joinRel(current, fromBytes(name)))).catch(() => null)));
    // A name that vanished between the listing and its lstat was deleted or renamed (its event
    // follows), or the directory itself moved on: either way this listing is not complete.
    if (stats.includes(null)) unreadable.push(current);
    names.forEach((name, i) => {
      const stat = stats[i];
      if (!stat) return;
      const path = joinRel(current, fromBytes(name));
      const kind = kindOfStats(stat);
      if (prune(path, kind)) return;
      found.push({ path, ino: stat.ino, kind, born: stat.birthtimeMs });
      if (kind === 'dir') pending.push(path);
    });
  }
  return { entries: found, unreadable };
}
