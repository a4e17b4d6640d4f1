import { watch, type FSWatcher } from 'chokidar';
import { relative } from 'node:path';
import type { RelPath } from '../../../src-shared/model/sync';
import { WatchError, type BackendCallbacks, type WatchBackend } from './backend';
import { parentOf } from './byte-path';

/**
 * The portable backend, and with `poll` the fallback for sources that give no events (NFS,
 * SMB, some FUSE mounts). chokidar hands out UTF-8 strings, so a name that is not valid UTF-8
 * is reported as its parent directory, which the session then mirrors as a whole.
 */
export class ChokidarBackend implements WatchBackend {
  readonly name: string;
  #watcher: FSWatcher | null = null;

  constructor(
    private readonly root: string,
    private readonly callbacks: BackendCallbacks,
    private readonly options: { poll: boolean; intervalMs?: number; ignored?: (rel: RelPath) => boolean },
  ) {
    this.name = options.poll ? 'poll' : 'chokidar';
  }

  async start(): Promise<void> {
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

  #rel(path: string): RelPath {
    const rel = relative(this.root, path);
    const bytes = Buffer.from(rel, 'utf8').toString('latin1');
    // U+FFFD means chokidar could not decode the real name: look at the directory instead.
    return rel.includes('\uFFFD') ? parentOf(bytes) : bytes;
  }
}
