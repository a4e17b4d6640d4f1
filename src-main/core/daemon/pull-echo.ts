// A pull writes into the watched source through rsync's temporary files (`dir/.name.XXXXXX`,
// then renamed to `dir/name`). Those are the pull's own echo, not the user's changes: mirrored,
// a temporary file could reach the target and, when its rename then merged with the failed
// attempt that shipped it, stay there (CI: an extra `d21/.f14.AavSeW` after a pull). While a
// pull runs, and a moment after, its temporary files are dropped and their renames become the
// creation of the file they became. Pure.
import type { FsEvent } from '../../../src-shared/model/sync';
import { rsyncTempOf } from '../safety/at-risk';

/** How long after a pull ends its events may still arrive from the watcher (ms). */
export const PULL_ECHO_MS = 2000;

export function withoutPullEcho(events: readonly FsEvent[]): FsEvent[] {
  const out: FsEvent[] = [];
  for (const event of events) {
    if (event.kind === 'overflow') {
      out.push(event);
    } else if (event.kind === 'move') {
      const fromTemp = rsyncTempOf(event.from) !== null;
      const toTemp = rsyncTempOf(event.path) !== null;
      if (fromTemp && !toTemp) out.push({ kind: 'create', path: event.path, entry: event.entry, at: event.at });
      else if (!fromTemp) out.push(event);
    } else if (rsyncTempOf(event.path) === null) {
      out.push(event);
    }
  }
  return out;
}
