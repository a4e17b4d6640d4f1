import { chmodSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { RelPath } from '../../../src-shared/model/sync';
import type { PathFilter } from '../plan/filter';
import { absoluteBytes, parentOf } from '../watch/byte-path';
import { lstatOrNull } from '../watch/stat-paths';

/** The fast path takes at most this many files, each at most this large. */
export const MAX_FILES = 8;
const MAX_BYTES = 256 * 1024;

let counter = 0;

/**
 * Copies a few small regular files straight into place, in-process, before the batch's rsync.
 * On these VMs an rsync round trip (three processes passing messages, each wakeup costing a
 * vCPU) takes about 8 ms to land a small file; a copy here takes well under one, which is most
 * of the write-to-target latency of an editor save. Each file goes to a temporary name beside
 * its destination and is renamed over it, so a reader never sees half a file.
 *
 * Node sets times with microsecond precision only, so the rsync that follows still runs: it
 * finds equal content (it is given --checksum), keeps the inode and corrects the nanoseconds.
 * Anything unusual (a directory, a symlink on the way, an excluded or large file, a failure)
 * skips the fast path for the whole batch, leaving it all to rsync. Returns whether it copied.
 */
export function quickCopy(paths: readonly RelPath[], source: string, targetDir: string, filter: PathFilter): boolean {
  if (paths.length === 0 || paths.length > MAX_FILES) return false;
  const sources = paths.map((path) => lstatOrNull(absoluteBytes(source, path)));
  const eligible = paths.every((path, i) => {
    const stats = sources[i];
    return stats?.isFile() && stats.size <= MAX_BYTES && !filter.isExcluded(path, false) && targetSlotIsPlain(targetDir, path);
  });
  if (!eligible) return false;
  const temps: Buffer[] = [];
  try {
    paths.forEach((path, i) => {
      const stats = sources[i]!;
      const destination = absoluteBytes(targetDir, path);
      const temp = absoluteBytes(targetDir, `${parentPrefix(path)}.tidemark-quick-${process.pid}-${counter++}`);
      temps.push(temp);
      // Read and write, never copyFileSync: libuv's copy_file_range loop spins forever when the
      // source shrinks mid-copy (a file being rewritten), which froze the daemon in testing.
      writeFileSync(temp, readFileSync(absoluteBytes(source, path)), { mode: 0o600 });
      chmodSync(temp, stats.mode & 0o7777);
      utimesSync(temp, stats.atimeMs / 1000, stats.mtimeMs / 1000);
      renameSync(temp, destination);
      temps.pop();
    });
    return true;
  } catch {
    for (const temp of temps) rmSync(temp, { force: true });
    return false;
  }
}

/** `dir/` for a path in a directory, '' at the top: where the temporary name goes. */
function parentPrefix(path: RelPath): string {
  const parent = parentOf(path);
  return parent === '' ? '' : `${parent}/`;
}

/**
 * Whether every directory on the way to `path` in the target is a real directory (never a
 * symlink, which a copy would write through) and `path` itself is absent or a regular file.
 */
function targetSlotIsPlain(targetDir: string, path: RelPath): boolean {
  for (let dir = parentOf(path); dir !== ''; dir = parentOf(dir)) {
    if (!lstatOrNull(absoluteBytes(targetDir, dir))?.isDirectory()) return false;
  }
  const existing = lstatOrNull(absoluteBytes(targetDir, path));
  return existing === null || existing.isFile();
}
