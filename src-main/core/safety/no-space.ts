// A full target: which file rsync had no room for, and how much room the target has. rsync
// stops the whole transfer at the first file that does not fit (exit 11), naming it on stderr:
//   rsync: [receiver] write failed on "/srv/mirror/dir/big.iso": No space left on device (28)
//   rsync: [receiver] mkstemp "/srv/mirror/dir/.big.iso.Xa81Qz" failed: No space left on device (28)
// The name is the receiver's: the target's physical directory (after cd, `pwd -P`), then the
// path in the tree; for a temporary file, `.name.XXXXXX` beside it. Pure: no node:* imports.
import type { RelPath, Stall } from '../../../src-shared/model/sync';
import { printablePath } from '../report/printable';
import { decodeRsyncEscapes } from './itemize';

const NO_SPACE = /No space left on device \(28\)/;
const QUOTED = /"((?:[^"\\]|\\.)*)"/;

/** The name (as the receiver printed it, escapes decoded) on the first line that says No space left on device, if any. */
export function noSpaceName(stderr: string): string | null {
  for (const line of stderr.split('\n')) {
    if (!NO_SPACE.test(line)) continue;
    const quoted = QUOTED.exec(line);
    if (quoted) return decodeRsyncEscapes(quoted[1]!);
  }
  return null;
}

/**
 * The path in the tree of a name the receiver printed: below `root` (the target's physical
 * directory) when it is known and the name is below it; else the longest tail of the name the
 * source `has`. A temporary name `.name.XXXXXX` stands for `name` beside it. Null when no
 * candidate is in the source (it vanished meanwhile: an ordinary retry drops it).
 */
export function stalledPath(printed: string, root: string | null, has: (path: RelPath) => boolean): RelPath | null {
  const prefix = root === null ? null : `${root.replace(/\/+$/, '')}/`;
  const candidates = prefix !== null && printed.startsWith(prefix) ? [printed.slice(prefix.length)] : tails(printed);
  for (const candidate of candidates) {
    if (has(candidate)) return candidate;
    const real = untemp(candidate);
    if (real !== null && has(real)) return real;
  }
  return null;
}

/** Every tail of `path` after a slash, longest first. */
function tails(path: string): string[] {
  const found: string[] = [];
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    if (slash + 1 < path.length) found.push(path.slice(slash + 1));
  }
  return found;
}

/** `dir/.name.XXXXXX` (rsync's temporary file) as `dir/name`; null for any other name. */
function untemp(path: RelPath): RelPath | null {
  const slash = path.lastIndexOf('/');
  const match = /^\.(.+)\.[A-Za-z0-9]{6}$/s.exec(path.slice(slash + 1));
  return match ? `${path.slice(0, slash + 1)}${match[1]}` : null;
}

/** `sh -c SCRIPT tidemark-space DIR`: the target's physical directory, then `df -Pk` of its filesystem. */
const SPACE_SCRIPT = 'cd -- "$1" || exit 3\npwd -P && exec df -Pk .';

export function targetSpaceArgv(targetDir: string): string[] {
  return ['sh', '-c', SPACE_SCRIPT, 'tidemark-space', targetDir];
}

export interface TargetSpace {
  /** The target directory as the receiver sees it (`pwd -P`). */
  readonly root: string;
  /** Bytes available to an unprivileged writer. */
  readonly free: number;
}

/**
 * The space script's output: the directory on the first line, then df's POSIX table, whose
 * data line's fourth field is the available 1024-byte blocks. The mount point, last, may
 * hold spaces; the numbers before it never do.
 */
export function parseTargetSpace(stdout: string): TargetSpace | null {
  const lines = stdout.split('\n');
  const root = lines[0] ?? '';
  const data = lines.slice(1).find((line) => /^\S.*\s\d+\s+\d+\s+\d+\s+\d+%/.test(line));
  const match = data ? /\s(\d+)\s+(\d+)\s+(\d+)\s+\d+%/.exec(data) : null;
  if (!root.startsWith('/') || !match) return null;
  return { root, free: Number(match[3]) * 1024 };
}

/** How logs and the status file name a stall: `"dir/big.iso" needs 1.0 MB (1048576 bytes), 256.0 KB free on the target`. */
export function stallText(stall: Stall): string {
  const free = stall.free === null ? 'free space on the target unknown' : `${bytesText(stall.free)} free on the target`;
  return `"${printablePath(stall.path)}" needs ${bytesText(stall.needs)}, ${free}`;
}

function bytesText(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = '';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return unit === '' ? `${bytes} bytes` : `${value.toFixed(1)} ${unit} (${bytes} bytes)`;
}
