import type { FSWatcher } from 'chokidar';
import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RelPath } from '../../../src-shared/model/sync';
import { WatchError, type BackendCallbacks, type WatchBackend } from './backend';
import { absoluteBytes, fromBytes, joinRel, parentOf } from './byte-path';

/**
 * The portable backend, and with `poll` the fallback for sources that give no events (NFS,
 * SMB, some FUSE mounts). chokidar hands out UTF-8 strings, so a name that is not valid UTF-8
 * is reported as its parent directory, which the session then mirrors as a whole. Known gap:
 * polling watches files under their decoded (wrong) names, so an in-place rewrite of a file
 * whose name is not UTF-8 goes unseen until its directory changes or the next full sync; and
 * with either, a file renamed onto a name that is not UTF-8 arrives as a listing of its
 * directory, where rsync's quick check passes a replacement of the same size whose mtime falls
 * in the same kernel tick as the old file's.
 * chokidar's own events are not enough on their own; the raw ones fill the gaps (#onRaw).
 */
export class ChokidarBackend implements WatchBackend {
  readonly name: string;
  #watcher: FSWatcher | null = null;
  readonly #listings = new Map<RelPath, RelPath[]>();

  constructor(
    private readonly root: string,
    private readonly callbacks: BackendCallbacks,
    private readonly options: { poll: boolean; intervalMs?: number; ignored?: (rel: RelPath) => boolean },
  ) {
    this.name = options.poll ? 'poll' : 'chokidar';
  }

  async start(dirs: readonly RelPath[]): Promise<void> {
    // Polling compares each changed directory with its last listing, to see what chokidar
    // cannot: a removed dangling symlink or a name that is not UTF-8 (#onRaw).
    if (this.options.poll) for (const dir of ['', ...dirs]) await this.#list(dir);
    // Loaded on demand: chokidar costs ~5 MB of resident memory that inotify users never need.
    const { watch } = await import('chokidar');
    const watcher = watch(this.root, {
      ignoreInitial: true,
      followSymlinks: false,
      usePolling: this.options.poll,
      interval: this.options.intervalMs ?? 1000,
      binaryInterval: this.options.intervalMs ?? 1000,
      atomic: false,
      ignored: (path: string) => {
        const rel = this.#rel(path);
        return rel !== '' && (this.options.ignored?.(rel) ?? false);
      },
    });
    watcher.on('all', (_event, path) => this.callbacks.onDirty([this.#rel(path)]));
    watcher.on('raw', (_event, path, details) => this.#onRaw(path, details));
    watcher.on('error', (error) => this.callbacks.onError(new WatchError(`${this.name} watcher: ${String(error)}`, 'backend')));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.#watcher = watcher;
  }

  addDirs(): void {
    // chokidar follows new directories by itself.
  }

  removeDirs(): void {
    // chokidar drops vanished directories by itself.
  }

  watchedDirs(): RelPath[] {
    const watched = this.#watcher?.getWatched() ?? {};
    return Object.keys(watched).map((dir) => this.#rel(dir)).filter((dir) => !dir.startsWith('..'));
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
    this.#watcher = null;
  }

  /**
   * What chokidar's own events miss, recovered from the raw events under them. The watcher
   * stage lstats every dirty path and ignores one that neither exists nor is indexed, so a
   * path marked here that turns out to be nothing costs one lstat.
   */
  #onRaw(name: string, details: unknown): void {
    const raw = (details ?? {}) as { watchedPath?: unknown; curr?: Stats; prev?: Stats };
    if (typeof raw.watchedPath === 'string') {
      // fs.watch: chokidar drops what it cannot stat under the name it was told: a dangling
      // symlink (renamed or new), a name that is not UTF-8 (decoded, it names nothing), and
      // it ignores a directory's attribute change. The raw event names the entry in its
      // watched directory (a mangled name becomes the directory: see #rel).
      if (name) this.callbacks.onDirty([this.#rel(join(raw.watchedPath, name))]);
      return;
    }
    const { curr, prev } = raw;
    if (!curr || !prev) return;
    // Polling: chokidar reports a file only when its size changed or its mtime grew, so a file
    // renamed over another of the same size with an older mtime (`mv x.bak x`) or chmodded went
    // unseen; and a directory's own attributes never. A directory whose entries changed (its
    // mtime) has each entry looked at, since chokidar skips dangling symlinks and names that
    // are not UTF-8; what was removed from it chokidar does report.
    if (!curr.isDirectory()) {
      if (curr.ino !== prev.ino || curr.mtimeMs !== prev.mtimeMs || curr.ctimeMs !== prev.ctimeMs) this.callbacks.onDirty([this.#rel(name)]);
      return;
    }
    if (curr.mode !== prev.mode || curr.uid !== prev.uid || curr.gid !== prev.gid) this.callbacks.onDirty([this.#rel(name)]);
    if (curr.mtimeMs !== prev.mtimeMs) void this.#markEntries(name);
  }

  /** Marks what a directory holds now and what it held at its last listing (polling only). */
  async #markEntries(dir: string): Promise<void> {
    const rel = this.#rel(dir);
    const before = this.#listings.get(rel) ?? [];
    const now = await this.#list(rel);
    if (this.#watcher) this.callbacks.onDirty([...new Set([...before, ...now])].map((entry) => joinRel(rel, entry)));
  }

  async #list(rel: RelPath): Promise<RelPath[]> {
    const names = await readdir(absoluteBytes(this.root, rel), { encoding: 'buffer' }).then((list) => list.map(fromBytes), () => null);
    if (names) this.#listings.set(rel, names);
    else this.#listings.delete(rel);
    return names ?? [];
  }

  #rel(path: string): RelPath {
    const rel = relative(this.root, path);
    const bytes = Buffer.from(rel, 'utf8').toString('latin1');
    // U+FFFD means chokidar could not decode the real name: look at the directory instead.
    return rel.includes('\uFFFD') ? parentOf(bytes) : bytes;
  }
}
