import { lstat } from 'node:fs/promises';
import type { EntryKind, FsEvent, RelPath } from '../../../src-shared/model/sync';
import type { BackendCallbacks, WatchBackend, WatchError } from './backend';
import { absoluteBytes } from './byte-path';
import { ChokidarBackend } from './chokidar-backend';
import { FsWatchBackend } from './fs-watch-backend';
import { InodeIndex } from './inode-index';
import { scanTree, type ScannedEntry } from './scan';
import { kindOfStats, walkSubtree } from './walk';

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
}

interface Observation {
  readonly path: RelPath;
  readonly ino: number;
  readonly kind: EntryKind;
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
  #round: Promise<void> | null = null;
  #closed = false;

  constructor(private readonly options: SourceWatcherOptions) {
    const callbacks: BackendCallbacks = {
      onDirty: (paths) => this.#markDirty(paths),
      onError: (error) => options.onError(error),
    };
    this.#backend = options.watcher === 'inotify'
      ? new FsWatchBackend(options.root, callbacks)
      : new ChokidarBackend(options.root, callbacks, { poll: options.watcher === 'poll', intervalMs: options.pollIntervalMs, ignored: options.isExcludedDir });
  }

  get backendName(): string {
    return this.#backend.name;
  }

  /** Scans the tree, fills the index and starts watching; resolves with the entry count. */
  async start(): Promise<{ entries: number; dirs: number }> {
    const entries = await scanTree(this.options.root, {
      prune: (path, kind) => kind === 'dir' && this.options.isExcludedDir(path),
      onProgress: this.options.onScanProgress,
    });
    for (const entry of entries) this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind });
    const dirs = entries.filter((entry) => entry.kind === 'dir').map((entry) => entry.path);
    await this.#backend.start(dirs);
    return { entries: entries.length, dirs: dirs.length + 1 };
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
        const paths = [...this.#dirty];
        this.#dirty = new Set();
        const events = await this.#observe(paths);
        if (events.length > 0) this.options.onEvents(events);
      }
    } finally {
      this.#round = null;
    }
  }

  async #observe(paths: readonly RelPath[]): Promise<FsEvent[]> {
    const at = this.options.now();
    const stats = await Promise.all(paths.map((path) => lstat(absoluteBytes(this.options.root, path)).catch(() => null)));
    const gone: Observation[] = [];
    const appeared: Observation[] = [];
    const events: FsEvent[] = [];
    paths.forEach((path, i) => {
      const stat = stats[i];
      const known = this.#index.get(path);
      if (path === '') return; // the root's own attributes; root guards live in the session
      if (!stat) {
        if (known) gone.push({ path, ino: known.ino, kind: known.kind });
        return;
      }
      const kind = kindOfStats(stat);
      if (known && known.ino === stat.ino && known.kind === kind) {
        events.push({ kind: kind === 'dir' ? 'attrib' : 'modify', path, entry: kind, at });
      } else {
        appeared.push({ path, ino: stat.ino, kind });
      }
    });

    const goneByIno = new Map(gone.map((entry) => [entry.ino, entry]));
    const newDirs: RelPath[] = [];
    for (const entry of appeared) {
      const origin = goneByIno.get(entry.ino);
      if (origin && origin.kind === entry.kind) {
        goneByIno.delete(entry.ino);
        this.#applyMove(origin.path, entry.path);
        events.push({ kind: 'move', from: origin.path, path: entry.path, entry: entry.kind, at });
        continue;
      }
      const replaced = this.#index.get(entry.path);
      if (replaced) this.#backend.removeDirs(this.#index.deleteSubtree(entry.path));
      if (entry.kind === 'dir' && this.options.isExcludedDir(entry.path)) continue;
      this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind });
      if (entry.kind === 'dir') newDirs.push(entry.path);
      events.push({ kind: replaced ? 'modify' : 'create', path: entry.path, entry: entry.kind, at });
    }
    for (const entry of goneByIno.values()) {
      this.#backend.removeDirs(this.#index.deleteSubtree(entry.path));
      events.push({ kind: 'delete', path: entry.path, entry: entry.kind, at });
    }
    // Watch new directories before their create events leave this stage, so anything written
    // into them later is seen; what was written before is copied by the recursive sync.
    for (const dir of newDirs) await this.#adoptDirectory(dir);
    return events;
  }

  #applyMove(from: RelPath, to: RelPath): void {
    const movedDirs = this.#index.moveSubtree(from, to);
    this.#backend.removeDirs(movedDirs.map(([oldPath]) => oldPath));
    this.#backend.addDirs(movedDirs.map(([, newPath]) => newPath));
  }

  async #adoptDirectory(dir: RelPath): Promise<void> {
    this.#backend.addDirs([dir]);
    const entries: ScannedEntry[] = await walkSubtree(this.options.root, dir, (path, kind) => kind === 'dir' && this.options.isExcludedDir(path));
    for (const entry of entries) this.#index.set(entry.path, { ino: entry.ino, kind: entry.kind });
    this.#backend.addDirs(entries.filter((entry) => entry.kind === 'dir').map((entry) => entry.path));
  }
}
