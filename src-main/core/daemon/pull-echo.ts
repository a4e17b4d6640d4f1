// A pull writes into the watched source through rsync's temporary files (`dir/.name.XXXXXX`,
// then renamed to `dir/name`). Those are the pull's own echo, not the user's changes: mirrored,
// a temporary file could reach the target and, when its rename then merged with the failed
// attempt that shipped it, stay there (CI: an extra `d21/.f14.AavSeW` after a pull).
//
// The echo is known by name, not only by time: a temporary file of a pulled entry (or of one
// below a pulled directory). A time window alone (2 s after the pull) was not enough: with three
// mirrors and another suite on two cores, the watcher's events of a pull arrived later than
// that (CI again: `d21/.f24.bv4hfR`). So the names are matched for a long while after the pull,
// and only they are, so a user's own file that merely looks like a temporary one still syncs.
// Pure: the time comes in.
import type { FsEvent, RelPath } from '../../../src-shared/model/sync';
import { rsyncTempOf } from '../safety/at-risk';

/** How long after a pull ends its events may still arrive from the watcher (ms). */
export const PULL_ECHO_MS = 60_000;

/** Drops the temporary files of pulled entries; their renames become the files' creation. */
export function withoutPullEcho(events: readonly FsEvent[], pulled: (path: RelPath) => boolean): FsEvent[] {
  const isEcho = (path: RelPath): boolean => {
    const original = rsyncTempOf(path);
    return original !== null && pulled(original);
  };
  const out: FsEvent[] = [];
  for (const event of events) {
    if (event.kind === 'overflow') {
      out.push(event);
    } else if (event.kind === 'move') {
      if (!isEcho(event.from)) out.push(event);
      else if (!isEcho(event.path)) out.push({ kind: 'create', path: event.path, entry: event.entry, at: event.at });
    } else if (!isEcho(event.path)) {
      out.push(event);
    }
  }
  return out;
}

/** The pulls of one target: which entries they bring back, and until when their echo may come. */
export class PullEcho {
  #pulled = new Set<RelPath>();
  #until = 0;

  /** A pull of `paths` (entries, or directories with everything below them) starts. */
  begin(paths: Iterable<RelPath>): void {
    for (const path of paths) this.#pulled.add(path);
    this.#until = Number.POSITIVE_INFINITY;
  }

  /** The pull ended at `now`: its echo may still arrive for PULL_ECHO_MS. */
  end(now: number): void {
    this.#until = now + PULL_ECHO_MS;
  }

  /** The events without the echo of recent pulls. */
  filter(events: readonly FsEvent[], now: number): readonly FsEvent[] {
    if (this.#pulled.size === 0) return events;
    if (now >= this.#until) {
      this.#pulled.clear();
      return events;
    }
    return withoutPullEcho(events, (path) => this.#covers(path));
  }

  #covers(path: RelPath): boolean {
    for (let at = path.length; at > 0; at = path.lastIndexOf('/', at - 1)) {
      if (this.#pulled.has(path.slice(0, at))) return true;
    }
    return false;
  }
}
