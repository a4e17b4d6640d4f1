// Stat'ing a list of entries on a target, local or remote, with one GNU `find` call (4.9+, for
// -files0-from): the names go NUL-separated on stdin (as ./name, so none reads as an option)
// and come back NUL-terminated after their size and time, so no name is ever split, globbed or
// parsed by a shell. A missing name is simply absent from the answer.
// Pure: no node:* imports.
import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from './at-risk';

/** `sh -c SCRIPT tidemark-stat DIR`: enters the target (exit 3 when it is missing), then finds. */
export const TARGET_STAT_SCRIPT = 'cd -- "$1" || exit 3\nexec find -files0-from - -maxdepth 0 -printf "%y %s %T@ %p\\0" 2>/dev/null';

export function targetStatArgv(targetDir: string): string[] {
  return ['sh', '-c', TARGET_STAT_SCRIPT, 'tidemark-stat', targetDir];
}

/** The stdin of the stat call: `./path\0` per entry (latin1 byte strings). */
export function targetStatInput(paths: readonly RelPath[]): Buffer {
  return Buffer.from(paths.map((path) => `./${path}\0`).join(''), 'latin1');
}

const KINDS: Readonly<Record<string, EntryKind>> = { f: 'file', d: 'dir', l: 'symlink' };

/** `y size seconds.fraction ./path\0` records (stdout decoded as latin1); missing entries are absent. */
export function parseTargetStats(stdout: string): Map<RelPath, EntryStat> {
  const stats = new Map<RelPath, EntryStat>();
  for (const record of stdout.split('\0')) {
    const match = /^(\S) (\d+) (-?\d+(?:\.\d+)?) \.\/(.*)$/s.exec(record);
    if (!match) continue;
    const [, kind = '', size = '0', seconds = '0', path = ''] = match;
    stats.set(path, { entry: KINDS[kind] ?? 'other', size: Number(size), mtimeMs: Number(seconds) * 1000 });
  }
  return stats;
}

/** `sh -c SCRIPT tidemark-empty DIR`: prints one x when DIR has any entry (a missing DIR is exit 3). */
const EMPTY_SCRIPT = 'cd -- "$1" || exit 3\nexec find . -mindepth 1 -maxdepth 1 -printf x -quit';

export function targetEmptyArgv(targetDir: string): string[] {
  return ['sh', '-c', EMPTY_SCRIPT, 'tidemark-empty', targetDir];
}
