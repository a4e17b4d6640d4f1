import type { EntryKind, FsEvent, RelPath } from '../../../src-shared/model/sync';
import type { BackendCallbacks, WatchBackend, WatchError } from './backend';
import { absoluteBytes, parentOf } from './byte-path';
import { ChokidarBackend } from './chokidar-backend';
import { FsWatchBackend } from './fs-watch-backend';
import { InodeIndex } from './inode-index';
import { scanTree } from './scan';
import { lstatPaths } from './stat-paths';
import { kindOfStats, walkSubtree } from './walk';

/** How long held vanishings wait, when nothing else is pending, for a rename's other half. */
const HOLD_MS = 25;

export type WatcherKind = 'inotify' | 'chokidar' | 'poll';

export interface SourceWatcherOptions {
  readonly root: string;
  readonly watcher: WatcherKind;
  /** Excluded directories are neither scanned nor watched. */
  readonly isExcludedDir: (path: RelPath) => boolean;
  readonly now: () => number;
  readonly onEvents: (events: FsEvent[]) => void;
  readonly onError: (error: WatchError) => void;
  readonly onScanProgress?: (scanned: number) => void;
  readonly pollIntervalMs?: number;
  /** For the inotify backend: a watch budget below the kernel's limit. */
  readonly watchLimit?: number;
}

interface Observation {
  readonly path: RelPath;
  readonly ino: number;
  readonly kind: EntryKind;
  readonly born?: number;
}

/**
 * Whether two sightings of one inode number can be one entry. ext4 hands a freed inode number
 * to the next file at once (`rm -rf a; mkdir b` gives b the ino a had), so a match on ino alone
 * turned that delete and create into a move of a's stale subtree, and b's real content was never
 * listed or watched. The birth time tells them apart where both sides know it (not after find).
 */
function sameEntry(a: { ino: number; born?: number }, b: { ino: number; born?: number }): boolean {
  return a.ino === b.ino && (a.born === undefined || b.born === undefined || a.born === b.born);
}

/**
 * The watch stage: turns a backend's "look here" signals into FsEvents. Each round stats every
 * dirty path once and compares it with the inode index; a path that vanished and a path that
 * appeared with the same inode in one round form a move (rename(2) delivers both names
 * together), so a directory move is one event, never a delete plus a re-send.
 */
export class SourceWatcher {
  readonly #index = new InodeIndex();
  readonly #backend: WatchBackend;
  #dirty = new Set<RelPath>();
  /**
   * Directories whose listing failed because they moved away first: the index holds the
   * directory but not what is inside it. Wherever such a directory turns up, it is listed again.
   */
  readonly #unlisted = new Set<RelPath>();
  /**
   * Paths that vanished without a partner, held back for one more round before they count as
   * deletes: in a chain of renames (a -> b -> c) faster than a round's lstat, `a` vanishes in
   * one round and its inode turns up as `c` only in the next.
   */
  readonly #held = new Set<RelPath>();
  #round: Promise<void> | null = null;
  #closed = false;

  constructor(private readonly options: SourceWatcherOptions) {
    const callbacks: BackendCallbacks = {
      onDirty: (paths) => this.#markDirty(paths),
      onError: (error) => options.onError(error),
    };
    this.#backend = options.watcher === 'inotify'
      ? new FsWatchBackend(options.root, callbacks, options.watchLimit)
      : new ChokidarBackend(options.root, callbacks, { poll: options.watcher === 'poll', intervalMs: options.pollIntervalMs, ignored: options.isExcludedDir });
  }

  get backendName(): string {
    return this.#backend.name;
  }

  /** Scans the tree, fills the index and starts watching; resolves with the entry count. */
  async start(): Promise<{ entries: number; dirs: number }> {
    const dirs: RelPath[] = [];
    const entries = await scanTree(
      this.options.root,
      (entry) => {
        this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind, born: entry.born });
        if (entry.kind === 'dir') dirs.push(entry.path);
      },
      { prune: (path, kind) => kind === 'dir' && this.options.isExcludedDir(path), onProgress: this.options.onScanProgress },
    );
    await this.#backend.start(dirs);
    return { entries, dirs: dirs.length + 1 };
  }

  /** Entries known below the root now (the breaker's measure of the tree). */
  get entryCount(): number {
    return this.#index.size;
  }

  /** Absolute directory paths being watched, for the status file. */
  watchedDirs(): RelPath[] {
    return this.#backend.watchedDirs();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#backend.close();
    await this.#round;
  }

  /** Resolves once every signal received so far has become an event. */
  async idle(): Promise<void> {
    while (this.#round) await this.#round;
  }

  #markDirty(paths: readonly RelPath[]): void {
    if (this.#closed) return;
    for (const path of paths) this.#dirty.add(path);
    // One macrotask of slack lets both halves of a rename arrive in the same round.
    if (!this.#round) this.#round = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      while (this.#dirty.size > 0 && !this.#closed) {
        // Only held vanishings left: give the other half of their renames a moment to arrive.
        if ([...this.#dirty].every((path) => this.#held.has(path))) await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
        const paths = [...this.#dirty];
        this.#dirty = new Set();
        let events: FsEvent[];
        try {
          events = await this.#observe(paths);
        } catch (error) {
          // A round that fails half-way has lost track of these paths: when in doubt, resync.
          events = [{ kind: 'overflow', path: '', reason: `watch round failed: ${String(error)}`, at: this.options.now() }];
        }
        if (events.length > 0) this.options.onEvents(events);
      }
    } finally {
      this.#round = null;
    }
  }

  async #observe(paths: readonly RelPath[]): Promise<FsEvent[]> {
    const at = this.options.now();
    const wasHeld = new Set(paths.filter((path) => this.#held.delete(path)));
    const stats = await lstatPaths(paths.map((path) => absoluteBytes(this.options.root, path)));
    const gone: Observation[] = [];
    const appeared: Observation[] = [];
    const events: FsEvent[] = [];
    const seen = new Set(paths);
    paths.forEach((path, i) => {
      const stat = stats[i];
      const known = this.#index.get(path);
      if (path === '') return; // the root's own attributes; root guards live in the session
      if (!stat) {
        if (known) gone.push({ path, ino: known.ino, kind: known.kind, born: known.born });
        return;
      }
      const kind = kindOfStats(stat);
      if (known && known.kind === kind && sameEntry(known, { ino: stat.ino, born: stat.birthtimeMs })) {
        events.push({ kind: kind === 'dir' ? 'attrib' : 'modify', path, entry: kind, at });
        // A write through one name of a hard-linked file changes every name; inotify told of one.
        if (stat.nlink < 2) return;
        for (const other of this.#index.otherNames(path)) {
          if (seen.has(other)) continue;
          seen.add(other);
          events.push({ kind: 'modify', path: other, entry: kind, at });
        }
      } else {
        appeared.push({ path, ino: stat.ino, kind, born: stat.birthtimeMs });
      }
    });

    // An inode may have vanished under several names at once (hard links), so keep them all.
    const goneByIno = new Map<number, Observation[]>();
    for (const entry of await this.#goneThemselves(gone)) goneByIno.set(entry.ino, [...(goneByIno.get(entry.ino) ?? []), entry]);
    const newDirs: RelPath[] = [];
    const moves: [RelPath, RelPath][] = [];
    for (const entry of appeared) {
      const origins = goneByIno.get(entry.ino) ?? [];
      const originAt = origins.findIndex((origin) => origin.kind === entry.kind && sameEntry(origin, entry));
      if (originAt >= 0) {
        const [origin] = origins.splice(originAt, 1);
        if (this.#applyMove(origin!.path, entry.path)) newDirs.push(entry.path);
        moves.push([origin!.path, entry.path]);
        events.push({ kind: 'move', from: origin!.path, path: entry.path, entry: entry.kind, at });
        continue;
      }
      const replaced = this.#index.get(entry.path);
      if (replaced) {
        this.#forgetUnlisted(entry.path);
        this.#backend.removeDirs(this.#index.deleteSubtree(entry.path));
      }
      if (entry.kind === 'dir' && this.options.isExcludedDir(entry.path)) continue;
      this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind, born: entry.born });
      if (entry.kind === 'dir') newDirs.push(entry.path);
      events.push({ kind: replaced ? 'modify' : 'create', path: entry.path, entry: entry.kind, at });
    }
    for (const entry of [...goneByIno.values()].flat()) {
      // Not in the index at that name any more: it went along with a directory that moved in
      // this round (and is looked at again under its new name), or a parent's delete or
      // replacement above already covered it.
      if (this.#index.get(entry.path)?.ino !== entry.ino) continue;
      if (!wasHeld.has(entry.path)) {
        this.#held.add(entry.path);
        this.#dirty.add(entry.path);
        continue;
      }
      this.#forgetUnlisted(entry.path);
      this.#backend.removeDirs(this.#index.deleteSubtree(entry.path));
      events.push({ kind: 'delete', path: entry.path, entry: entry.kind, at });
    }
    // A directory's watch reports under the name it had when the event was read. Whatever was
    // reported below a moved directory before its watch was renamed (in this round, or queued
    // since) is looked at again under the new name, or it would be missing from the index.
    for (const [from, to] of moves) {
      for (const path of [...paths, ...this.#dirty]) {
        if (path.startsWith(`${from}/`)) this.#dirty.add(to + path.slice(from.length));
      }
    }
    // Watch new directories before their create events leave this stage, so anything written
    // into them later is seen; what was written before is copied by the recursive sync.
    for (const dir of newDirs) await this.#adoptDirectory(dir);
    return events;
  }

  /**
   * The vanished entries whose parent directory is still the one the index knows. The others
   * vanished because an ancestor was deleted, moved or replaced; that ancestor's own event
   * (from its parent's watch) carries the whole subtree, so treating them as deletes here would
   * drop them from the index just before the ancestor's move re-keys it.
   */
  async #goneThemselves(gone: readonly Observation[]): Promise<Observation[]> {
    const parents = [...new Set(gone.map((entry) => parentOf(entry.path)))].filter((dir) => dir !== '');
    const stats = await lstatPaths(parents.map((dir) => absoluteBytes(this.options.root, dir)));
    const intact = new Set(parents.filter((dir, i) => stats[i]?.isDirectory() && stats[i].ino === this.#index.get(dir)?.ino));
    return gone.filter((entry) => {
      const parent = parentOf(entry.path);
      return parent === '' || intact.has(parent);
    });
  }

  /** Moves the index and the watches; true when the destination must be listed again. */
  #applyMove(from: RelPath, to: RelPath): boolean {
    const relistFrom = this.#forgetUnlisted(from);
    const relist = this.#forgetUnlisted(to) || relistFrom;
    const { movedDirs, replacedDirs } = this.#index.moveSubtree(from, to);
    // The directory renamed over is gone; its stale watch must not stand in for the new one.
    this.#backend.removeDirs(replacedDirs);
    // Watch the new names before releasing the old ones: both are the same inodes, so the
    // inotify watches are shared and never dropped in between.
    this.#backend.addDirs(movedDirs.map(([, newPath]) => newPath));
    this.#backend.removeDirs(movedDirs.map(([oldPath]) => oldPath));
    return relist;
  }

  /** Drops the unlisted marks at or below `path`; true when there were any. */
  #forgetUnlisted(path: RelPath): boolean {
    let found = false;
    for (const dir of this.#unlisted) {
      if (dir !== path && !dir.startsWith(`${path}/`)) continue;
      this.#unlisted.delete(dir);
      found = true;
    }
    return found;
  }

  /**
   * Indexes a directory that appeared, watching each directory before listing it: anything
   * created in it afterwards is reported, anything created before is listed.
   */
  async #adoptDirectory(dir: RelPath): Promise<void> {
    const { entries, unreadable } = await walkSubtree(
      this.options.root,
      dir,
      (path, kind) => kind === 'dir' && this.options.isExcludedDir(path),
      (current) => this.#backend.addDirs([current]),
    );
    for (const entry of entries) this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind, born: entry.born });
    for (const path of unreadable) this.#unlisted.add(path);
  }
}
