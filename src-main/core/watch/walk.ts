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
): Promise<ScannedEntry[]> {
  const found: ScannedEntry[] = [];
  const pending: RelPath[] = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    beforeRead(current);
    let names: Buffer[];
    try {
      names = await readdir(absoluteBytes(root, current), { encoding: 'buffer' });
    } catch {
      continue; // vanished meanwhile: its delete event follows
    }
    const stats = await Promise.all(names.map((name) => lstat(absoluteBytes(root, joinRel(current, fromBytes(name)))).catch(() => null)));
    names.forEach((name, i) => {
      const stat = stats[i];
      if (!stat) return;
      const path = joinRel(current, fromBytes(name));
      const kind = kindOfStats(stat);
      if (prune(path, kind)) return;
      found.push({ path, ino: stat.ino, kind });
      if (kind === 'dir') pending.push(path);
    });
  }
  return found;
}
