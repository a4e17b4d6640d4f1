// Reading what an rsync daemon holds, without a shell there: a dry-run pull into a directory that
// does not exist itemizes every entry it would copy, one line each, in the format below (the
// itemized flags, the size, the time, the name). --list-only cannot take a --files-from list and
// prints a symlink as `name -> target`, which a name containing " -> " makes ambiguous; %n is the
// name alone. rsync escapes a name's unprintable bytes (a newline, bytes that are not UTF-8) as
// \#ooo and a backslash that would read as one as \#134, so every line is one entry.
// Pure: no node:* imports.
import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from '../safety/at-risk';
import { decodeRsyncEscapes } from '../safety/itemize';

/** %M prints the time in the child's local time zone, whole seconds: run it with TZ=UTC. */
export const LISTING_FORMAT = '--out-format=%i %l %M %n';

export interface ListedEntry extends EntryStat {
  /** Relative to the listed directory ('' for the directory itself), without a trailing slash. */
  readonly path: RelPath;
}

const KINDS: Readonly<Record<string, EntryKind>> = { f: 'file', d: 'dir', L: 'symlink', D: 'other', S: 'other' };

/** `>f+++++++++ 1234 2024/05/06-07:08:09 dir/name`: flags, size, UTC time, name (escaped). */
const LINE = /^[<>ch.]([fdLDS])[^ ]{9} (\d+) (\d{4})\/(\d\d)\/(\d\d)-(\d\d):(\d\d):(\d\d) (.+)$/s;

/**
 * The entries of a listing (stdout decoded as latin1, so that names stay byte strings). Lines
 * that are not itemized entries (rsync's "created directory", warnings) are skipped. mtimeMs is
 * the start of the second rsync printed: the true time lies within the following 1000 ms.
 */
export function parseListing(stdout: string): ListedEntry[] {
  const entries: ListedEntry[] = [];
  for (const line of stdout.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, type = '', size = '0', year, month, day, hour, minute, second, rawName = ''] = match;
    const entry = KINDS[type] ?? 'other';
    let path = decodeRsyncEscapes(rawName);
    if (entry === 'dir' && path.endsWith('/')) path = path.slice(0, -1);
    if (path === '.') path = '';
    if (path.startsWith('./')) path = path.slice(2);
    const mtimeMs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
    entries.push({ path, entry, size: Number(size), mtimeMs });
  }
  return entries;
}

/**
 * A listed time as the safety checks should read it: the last millisecond of its second. A
 * target file is "newer" than the source's copy unless its whole second lies before the
 * source's time, so a file changed on the target within the source's second is still asked
 * about, never overwritten as if it were older.
 */
export function latestInSecond(mtimeMs: number): number {
  return mtimeMs + 999;
}
