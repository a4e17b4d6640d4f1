import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import { isWithin } from './byte-path';

export interface IndexEntry {
  readonly ino: number;
  readonly kind: EntryKind;
}

/**
 * Path -> (inode, kind) for every watched entry of the source, built by the startup scan and
 * kept current by the normaliser. Moves are recognised by pairing a vanished path's inode with
 * the inode of a path that appeared in the same round (DESIGN.md decision 2).
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

  /** Re-keys `from` (and its subtree) under `to`; returns the [old, new] dir path pairs. */
  moveSubtree(from: RelPath, to: RelPath): [RelPath, RelPath][] {
    const moved: [RelPath, RelPath][] = [];
    const rekeyed: [RelPath, IndexEntry][] = [];
    for (const [key, value] of this.#entries) {
      if (!isWithin(key, from)) continue;
      const next = to + key.slice(from.length);
      rekeyed.push([next, value]);
      if (value.kind === 'dir') moved.push([key, next]);
      this.#entries.delete(key);
    }
    this.deleteSubtree(to);
    for (const [key, value] of rekeyed) this.#entries.set(key, value);
    return moved;
  }

  dirs(): RelPath[] {
    const result: RelPath[] = [];
    for (const [key, value] of this.#entries) if (value.kind === 'dir') result.push(key);
    return result;
  }
}
