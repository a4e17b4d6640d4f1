// A batch's renames on a remote target, in one remote call over the master connection. The
// remote side needs a POSIX shell, xargs -0 and GNU mv (-T); the names travel NUL-separated on
// stdin and are only ever seen by xargs as arguments, never by a shell as text. Each rename
// answers with a status line naming its index, never a path, so the reply is trivial to parse.
// Pure: no node:* imports.
import type { Move, RelPath } from '../../../src-shared/model/sync';
import { remoteCommand } from './ssh-quote';

/**
 * One record: `index kind from to`. The kind must match on the target (`d` a directory, `l` a
 * symlink, `f` anything else), or the move is not made. `mv -T` is rename(2): it replaces an
 * empty directory or a file or symlink at the destination (never nesting into it, never writing
 * through it; a symlink in the way of a directory is removed first) and fails on a non-empty directory, which the caller then transfers instead.
 * A move with a symlink among the parents of either name on the target is not made at all.
 */
const PER_MOVE = [
  // True when a parent of $1 is a symlink here: walks the parents by parameter expansion, so no
  // name is ever split, globbed or parsed.
  'linked() {',
  '  case $1 in */*) ;; *) return 1 ;; esac',
  '  p= rest=${1%/*}/',
  '  while [ -n "$rest" ]; do p=$p${rest%%/*}; rest=${rest#*/}; [ -L "$p" ] && return 0; p=$p/; done',
  '  return 1',
  '}',
  'i=$1 kind=$2 from=$3 to=$4',
  // Never through a symlink: a parent that is a link here (the source replaced a link by a
  // directory, not mirrored yet) would move an entry out of, or into, a directory elsewhere.
  'if linked "$from" || linked "$to"; then printf "failed %s\\n" "$i"; exit 0; fi',
  'case $kind in',
  '  d) [ -d "$from" ] && [ ! -L "$from" ] ;;',
  '  l) [ -L "$from" ] ;;',
  '  *) [ -e "$from" ] && [ ! -d "$from" ] && [ ! -L "$from" ] ;;',
  'esac || { printf "missing %s\\n" "$i"; exit 0; }',
  'case $to in */*) mkdir -p -- "${to%/*}" 2>/dev/null ;; esac',
  // rename(2) will not put a directory over a symlink: drop the link first (never follow it).
  '[ "$kind" = d ] && [ -L "$to" ] && rm -f -- "$to"',
  'if mv -f -T -- "$from" "$to" 2>/dev/null; then printf "ok %s\\n" "$i"; else printf "failed %s\\n" "$i"; fi',
].join('\n');

/** Enters the target directory (a missing one is exit 3), then hands the records to xargs. */
const BATCH = 'cd -- "$1" || exit 3\nexec xargs -0 -r -n 4 sh -c "$2" tidemark-move';

/** The remote command line: `sh -c BATCH tidemark-moves TARGETDIR PER_MOVE`, each word quoted. */
export function remoteMovesCommand(targetDir: string): string {
  return remoteCommand(['sh', '-c', BATCH, 'tidemark-moves', targetDir, PER_MOVE]);
}

const KIND_CODE: Record<Move['entry'], string> = { dir: 'd', symlink: 'l', file: 'f', other: 'f' };

/** The NUL-separated records for stdin. Paths are latin1 byte strings (RelPath). */
export function remoteMovesInput(moves: readonly Move[]): Buffer {
  const fields = moves.flatMap((move, i) => [String(i), KIND_CODE[move.entry], move.from, move.to]);
  return Buffer.concat(fields.map((field) => Buffer.concat([Buffer.from(field, 'latin1'), Buffer.from([0])])));
}

export type MoveResult = 'ok' | 'missing' | 'failed';

/** The result of each move by index; a move the reply does not mention did not happen. */
export function parseMoveResults(stdout: unknown, count: number): MoveResult[] {
  const results: MoveResult[] = Array.from({ length: count }, () => 'failed');
  if (typeof stdout !== 'string') return results;
  for (const line of stdout.split('\n')) {
    const match = /^(ok|missing|failed) (\d+)$/.exec(line);
    if (!match) continue;
    const index = Number(match[2]);
    if (index < count) results[index] = match[1] as MoveResult;
  }
  return results;
}

/** The destinations of the moves that did not happen, to be transferred instead. */
export function fallbackPaths(moves: readonly Move[], results: readonly MoveResult[]): RelPath[] {
  return moves.filter((_, i) => results[i] !== 'ok').map((move) => move.to);
}
