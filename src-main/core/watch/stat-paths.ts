import { lstatSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';

/**
 * Up to this many paths are stat'ed synchronously. A threadpool lstat costs a thread wakeup
 * there and back, which on these 2-vCPU VMs is ~1 ms per hop: for the one file of a small
 * batch that is a tenth of the whole write-to-target latency, while a cached lstatSync takes
 * microseconds. Bursts go through the threadpool, in parallel, so a slow mount blocks nothing.
 */
const SYNC_LIMIT = 32;

/** lstat of each path, null where it does not exist (or cannot be stat'ed). */
export async function lstatPaths(paths: readonly Buffer[]): Promise<(Stats | null)[]> {
  if (paths.length <= SYNC_LIMIT) return paths.map(lstatOrNull);
  return Promise.all(paths.map((path) => lstat(path).catch(() => null)));
}

/**
 * lstatSync that answers null for every failure: ENOENT, but also ENOTDIR (a parent became a
 * file), ELOOP or EACCES, which throwIfNoEntry lets through.
 */
export function lstatOrNull(path: Buffer): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}
