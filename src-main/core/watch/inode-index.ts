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
 * Non-directories are also indexed by inode, for hard links: a write through one name changes
 * every name of the file, while inotify reports only the name written to. Most inodes have one
 * name, so that is stored bare and only shared inodes cost a Set.
 */
export class InodeIndex {
  readonly #entries = new Map<RelPath, IndexEntry>();
  readonly #names = new Map<number, RelPath | Set<RelPath>>();

  get size(): number {
    return this.#entries.size;
  }

  get(path: RelPath): IndexEntry | undefined {
    return this.#entries.get(path);
  }

  set(path: RelPath, entry: IndexEntry): void {
    this.#delete(path);
    this.#entries.set(path, entry);
    if (entry.kind !== 'dir') this.#addName(entry.ino, path);
  }

  /** The other known names of `path`'s inode (hard links); empty for most files. */
  otherNames(path: RelPath): RelPath[] {
    const entry = this.#entries.get(path);
    const names = entry && entry.kind !== 'dir' ? this.#names.get(entry.ino) : undefined;
    return names instanceof Set ? [...names].filter((name) => name !== path) : [];
  }

  /** Removes `path` and, for a directory, everything below it; returns the removed dir paths. */
  deleteSubtree(path: RelPath): RelPath[] {
    const removedDirs: RelPath[] = [];
    const entry = this.#entries.get(path);
    if (entry?.kind === 'dir') removedDirs.push(path);
    this.#delete(path);
    if (entry?.kind !== 'dir') return removedDirs;
    const prefix = `${path}/`;
    for (const [key, value] of this.#entries) {
      if (!key.startsWith(prefix)) continue;
      if (value.kind === 'dir') removedDirs.push(key);
      this.#delete(key);
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
    for (const [key] of rekeyed) this.#delete(key);
    const replacedDirs = this.deleteSubtree(to);
    for (const [, next, value] of rekeyed) this.set(next, value);
    return { movedDirs, replacedDirs };
  }

  dirs(): RelPath[] {
    const result: RelPath[] = [];
    for (const [key, value] of this.#entries) if (value.kind === 'dir') result.push(key);
    return result;
  }

  #delete(path: RelPath): void {
    const entry = this.#entries.get(path);
    if (!entry) return;
    this.#entries.delete(path);
    if (entry.kind !== 'dir') this.#removeName(entry.ino, path);
  }

  #addName(ino: number, path: RelPath): void {
    const names = this.#names.get(ino);
    if (names === undefined) this.#names.set(ino, path);
    else if (names instanceof Set) names.add(path);
    else if (names !== path) this.#names.set(ino, new Set([names, path]));
  }

  #removeName(ino: number, path: RelPath): void {
    const names = this.#names.get(ino);
    if (names === path) this.#names.delete(ino);
    else if (names instanceof Set) {
      names.delete(path);
      if (names.size === 1) this.#names.set(ino, names.values().next().value!);
    }
  }
}
