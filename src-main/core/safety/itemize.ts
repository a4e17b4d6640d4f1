// Reading rsync's dry run (`--dry-run --itemize-changes --out-format='%i %n'`): which entries a
// sync would delete on the target, and which existing target files it would overwrite.
// Pure: no node:* imports.
import type { RelPath } from '../../../src-shared/model/sync';

export const ITEMIZE_FORMAT = '--out-format=%i %n';

export interface DryRunResult {
  /** Entries the sync would delete (directories without their trailing slash). */
  readonly deletes: readonly { readonly path: RelPath; readonly dir: boolean }[];
  /** Regular files that exist on the target and whose content the sync would replace. */
  readonly overwrites: readonly RelPath[];
  /**
   * The changes the sync would make (itemized lines), but for directory times alone: 0 means
   * the target is already in sync. rsync sends a directory's time in whole seconds over ssh, so
   * under --modify-window=-1 every remote directory would itemize `.d..t......` for ever.
   */
  readonly itemized: number;
  /** Entries the sync would create on the target (`+++++++++`): what a lost rename's new name adds. */
  readonly creates?: number;
}

/**
 * rsync prints a name's unprintable bytes as \#ooo (octal), and a backslash that would read as
 * such an escape as \#134, so every \#ooo is one byte and nothing else is escaped.
 */
export function decodeRsyncEscapes(name: string): string {
  return name.replace(/\\#([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/**
 * The lines of a dry run, decoded as latin1 so that names stay byte strings. Itemized lines are
 * 11 characters of flags, a space, then the name; deletions read `*deleting   name`. Other lines
 * (a table's `verbose`, rsync's summary) are skipped.
 */
export function parseItemized(output: string): DryRunResult {
  const deletes: { path: RelPath; dir: boolean }[] = [];
  const overwrites: RelPath[] = [];
  let itemized = 0;
  let creates = 0;
  for (const line of output.split('\n')) {
    if (line.length < 13 || line[11] !== ' ' || !ITEMIZED.test(line)) continue;
    if (!line.startsWith(DIRECTORY_TIME_ONLY)) itemized += 1;
    const flags = line.slice(0, 11);
    const name = decodeRsyncEscapes(line.slice(12));
    if (flags === '*deleting  ') {
      const dir = name.endsWith('/');
      const path = dir ? name.slice(0, -1) : name;
      if (path !== '' && path !== '.') deletes.push({ path, dir });
      continue;
    }
    if (flags.slice(2) === '+++++++++') creates += 1;
    // `>f` (`<f` when the target is remote: rsync names the direction of the transfer) sends a
    // file; `+++++++++` means it is new there, so nothing is overwritten. Content
    // differs when the size (s) or the time (t) does; attribute-only changes (p, o, g) overwrite
    // no data. `cL`, `cD` and `cS` re-create links and specials, which hold no data either.
    if ((flags[0] !== '>' && flags[0] !== '<') || flags[1] !== 'f' || flags.slice(2) === '+++++++++') continue;
    if (flags[3] === 's' || flags[4] === 't' || flags[4] === 'T' || flags[2] === 'c') overwrites.push(name);
  }
  return { deletes, overwrites, itemized, creates };
}

const DIRECTORY_TIME_ONLY = '.d..t...... ';

/** An itemized line: `*deleting`, or an update type (<, >, c, h, .) and a file type (f, d, L, D, S). */
const ITEMIZED = /^(\*deleting  |[<>ch.][fdLDS])/;
