// Targets that a sync may never have, refused when the config is read (before anything is
// touched): a mirror with deletes there would wipe a system, a home, or the source itself.
// Pure: no node:* imports; paths come in absolute and normalised (no trailing slash but '/').
import type { TargetSpec } from '../config/model';

export interface TargetCheck {
  /** The source, absolute and normalised. */
  readonly source: string;
  /** The target as the config wrote it (before any resolving against a working directory). */
  readonly written: TargetSpec;
  /** Home directories of this machine's accounts (and the directories holding them). */
  readonly homes: readonly string[];
}

/** Why the target is refused, or null when it is fine. */
export function refusedTarget({ source, written, homes }: TargetCheck): string | null {
  // A daemon's module is a directory its administrator set aside: its root is a fine target.
  if (written.kind === 'rsyncd') return null;
  return written.kind === 'local' ? refusedLocal(source, written.dir, homes) : refusedRemote(written.dir);
}

function refusedLocal(source: string, target: string, homes: readonly string[]): string | null {
  if (!target.startsWith('/')) {
    return `the target '${target}' is a relative path: give an absolute one (a detached daemon runs in /, so it would point somewhere else)`;
  }
  const dir = normalise(target);
  if (dir === '/') return 'the target is / (the whole filesystem): a mirror with deletes there would erase the system';
  if (homes.map(normalise).includes(dir)) return `the target ${dir} is the root of a home directory: mirror into a directory inside it`;
  if (dir === source) return 'the target is the source itself';
  if (within(dir, source)) return `the target ${dir} lies inside the source ${source}: it would mirror into itself without end`;
  if (within(source, dir)) return `the target ${dir} contains the source ${source}: a delete there would remove the source`;
  return null;
}

/** On the remote side only the shapes are known: its root and its home are refused. */
function refusedRemote(targetDir: string): string | null {
  const dir = targetDir.trim();
  if (dir === '' || dir === '.' || dir === './' || dir === '~' || dir === '~/') return `the remote target '${targetDir}' is the remote user's home itself: mirror into a directory inside it`;
  if (normalise(dir) === '/') return 'the remote target is / (the whole filesystem)';
  if (/^\/(root|home\/[^/]+)\/?$/.test(dir)) return `the remote target ${dir} is the root of a home directory: mirror into a directory inside it`;
  return null;
}

/** Without repeated or trailing slashes (but '/' stays '/'). */
function normalise(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

/** Whether `path` lies strictly below `dir`. */
function within(path: string, dir: string): boolean {
  return dir === '/' ? path !== '/' : path.startsWith(`${dir}/`);
}
