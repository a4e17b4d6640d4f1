import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import { isWithin } from './byte-path';

export interface IndexEntry {
  readonly ino: number;
  readonly kind: EntryKind;
  /** Birth time (ms), when known: the filesystem reuses a freed inode number at once. */
  readonly born?: number;
}

export interface MovedSubtree {
  /** [old, new] path pairs of every directory that moved. */
  readonly movedDirs: [RelPath, RelPath][];
  /** Directories that were at the destination before and are gone now (a rename over an empty dir). */
  readonly replacedDirs: RelPath[];
}

/**
 * Path -> (inode, kind) for every watched entry of the source, built by the startup scan and
 * kept current by the normaliser. Moves are recognised by pairing a vanished path's inode with
 * the inode of a path that appeared in the same round (DESIGN.md decision 2).
 *
 * Hard links: a write through one name changes every name of the file, while inotify reports
 * only the name written to. The other names are found by a scan of the index when a file with
 * several links changes. Hard links are rare, and an inode-to-names map for every file of a
 * 50,000-file tree cost ~3 MB of the daemon's memory for all the trees that have none.
 */
export class InodeIndex {
  readonly #entries = new Map<RelPath, IndexEntry>();

  get size(): number {
    return this.#entries.size;
  }

  get(path: RelPath): IndexEntry | undefined {
    return this.#entries.get(path);
  }

  set(path: RelPath, entry: IndexEntry): void {
    this.#entries.set(path, entry);
  }

  /** The other known names of `path`'s inode (hard links): a scan, for files with several links only. */
  otherNames(path: RelPath): RelPath[] {
    const entry = this.#entries.get(path);
    if (!entry || entry.kind === 'dir') return [];
    const names: RelPath[] = [];
    for (const [other, value] of this.#entries) if (other !== path && value.ino === entry.ino && value.kind !== 'dir') names.push(other);
    return names;
  }

  /** Removes `path` and, for a directory, everything below it; returns the removed dir paths. */
  deleteSubtree(path: RelPath): RelPath[] {
    const removedDirs: RelPath[] = [];
    const entry = this.#entries.get(path);
    if (entry?.kind === 'dir') removedDirs.push(path);
    this.#entries.delete(path);
    if (entry?.kind !== 'dir') return removedDirs;
    const prefix = `${path}/`;
    for (const [key, value] of this.#entries) {
      if (!key.startsWith(prefix)) continue;
      if (value.kind === 'dir') removedDirs.push(key);
      this.#entries.delete(key);
    }
    return removedDirs;
  }

  /**
   * Re-keys `from` (and its subtree) under `to`, dropping what `to` held before (rename(2)
   * replaces it); returns the directories that moved and those that were replaced.
   */
  moveSubtree(from: RelPath, to: RelPath): MovedSubtree {
    const movedDirs: [RelPath, RelPath][] = [];
    const rekeyed: [RelPath, RelPath, IndexEntry][] = [];
    for (const [key, value] of this.#entries) {
      if (!isWithin(key, from)) continue;
      const next = to + key.slice(from.length);
      rekeyed.push([key, next, value]);
      if (value.kind === 'dir') movedDirs.push([key, next]);
    }
    for (const [key] of rekeyed) this.#entries.delete(key);
    const replacedDirs = this.deleteSubtree(to);
    for (const [, next, value] of rekeyed) this.set(next, value);
    return { movedDirs, replacedDirs };
  }

  dirs(): RelPath[] {
    const result: RelPath[] = [];
    for (const [key, value] of this.#entries) if (value.kind === 'dir') result.push(key);
    return result;
  }
}
