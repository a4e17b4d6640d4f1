import type { RelPath } from '../../../src-shared/model/sync';

/**
 * A source of "something changed at this path" signals. Backends only say where to look; the
 * normaliser stats the paths and decides what happened, so every backend yields the same events.
 */
export interface WatchBackend {
  readonly name: string;
  /** Starts watching `root` and the given directories (relative; '' is the root itself). */
  start(dirs: readonly RelPath[]): Promise<void>;
  /** New directories appeared (created, or moved into place). */
  addDirs(dirs: readonly RelPath[]): void;
  /** Directories vanished or moved away: release their watches. */
  removeDirs(dirs: readonly RelPath[]): void;
  watchedDirs(): RelPath[];
  close(): Promise<void>;
}

export interface BackendCallbacks {
  onDirty(paths: readonly RelPath[]): void;
  /** A fatal watching problem (for example the inotify watch limit); the session halts on it. */
  onError(error: WatchError): void;
}

export class WatchError extends Error {
  override name = 'WatchError';
  constructor(
    message: string,
    readonly code: 'watch-limit' | 'root-gone' | 'backend',
  ) {
    super(message);
  }
}
