// Planning: one ChangeBatch and one target's policy in, the Plan for that target out. Pure: the
// planner never looks at the filesystem, so it cannot tell a file from a directory except where
// the batch says so (move hints carry their entry kind).
import type { ChangeBatch, EntryKind, Move, PathChange, Plan, RelPath } from '../../../src-shared/model/sync';
import type { DeleteMode } from '../config/model';
import type { PathFilter } from './filter';
import { withoutNested } from './merge';

export interface PlanTarget {
  /** lsyncd's delete mode; live batches may delete only with true or 'running'. */
  readonly deleteMode: DeleteMode;
  readonly filter: PathFilter;
  /** Above this many listed paths (or move hints), the plan becomes a full-tree sync. */
  readonly maxListedPaths: number;
}

/** Whether live (post-startup) syncs may delete on the target. */
export function runningDeletesAllowed(mode: DeleteMode): boolean {
  return mode === true || mode === 'running';
}

/**
 * The plan for `batch` on `target`:
 * - Excluded paths are dropped. A move between an excluded and an included name loses its hint
 *   and becomes a create of the destination (excluded origin) or a delete of the origin
 *   (excluded destination); a move between two excluded names is nothing.
 * - With deletes on, `sync` lists every changed path, both ends of every move (an end that
 *   collapsed to nothing may still exist on the target: a move onto an existing name that was
 *   then deleted) and every resync subtree. With deletes off, only what exists in the source at
 *   the end of the batch is listed (a move becomes a copy: no hint, the origin stays on the
 *   target), plus the resync subtrees.
 * - `sync` is sorted, deduplicated, and holds no path below another listed one (a listed
 *   directory is mirrored recursively; a file has no children, so this is right for both).
 * - `landed` names the listed move destinations that the batch leaves in place, so that the
 *   transport can tell one that vanished since (a later event) from one that was meant to go.
 * - A resync of the root, a listed root, or more than maxListedPaths paths or hints gives a
 *   full plan. It keeps the move hints when they fit: renaming first still saves a re-send.
 */
export function planBatch(batch: ChangeBatch, target: PlanTarget): Plan {
  const allowDelete = runningDeletesAllowed(target.deleteMode);
  const kinds = kindsFromMoves(batch.moves);
  const excluded = (path: RelPath): boolean => isExcluded(target.filter, path, kinds.get(path));

  const listed = new Set<RelPath>();
  for (const [path, change] of batch.changes) {
    if (change === 'delete' && !allowDelete) continue;
    if (!excluded(path)) listed.add(path);
  }
  const moves: Move[] = [];
  if (allowDelete) {
    for (const move of batch.moves) {
      const fromIn = !excluded(move.from);
      const toIn = !excluded(move.to);
      if (fromIn) listed.add(move.from);
      if (toIn) listed.add(move.to);
      if (fromIn && toIn) moves.push(move);
    }
  }
  for (const path of batch.resync) {
    if (!excluded(path)) listed.add(path);
  }

  const tooManyMoves = moves.length > target.maxListedPaths;
  if (listed.has('') || tooManyMoves) return fullPlan(tooManyMoves ? [] : moves, allowDelete);
  const sync = withoutNested(listed);
  if (sync.length > target.maxListedPaths) return fullPlan(moves, allowDelete);
  const deletes = allowDelete ? sync.filter((path) => batch.changes.get(path) === 'delete') : [];
  // Destinations still in place at the end of the batch: created or replaced there, not
  // collapsed to nothing (moved on, or deleted, within the batch). Resync subtrees stay out:
  // their events were lost, so no later event can be counted on for them.
  const destinations = new Set(moves.map((move) => move.to));
  const resync = new Set(batch.resync);
  const landed = sync.filter((path) => destinations.has(path) && !resync.has(path) && stillThere(batch.changes.get(path)));
  return { moves, sync, deletes, allowDelete, full: false, ...(landed.length > 0 ? { landed } : {}) };
}

/** A change that leaves the path in the source at the end of the batch. */
function stillThere(change: PathChange | undefined): boolean {
  return change === 'create' || change === 'modify' || change === 'attrib';
}

function fullPlan(moves: readonly Move[], allowDelete: boolean): Plan {
  return { moves, sync: [], deletes: [], allowDelete, full: true };
}

/** The entry kinds the batch knows, from its move hints (the last move naming a path wins). */
function kindsFromMoves(moves: readonly Move[]): Map<RelPath, EntryKind> {
  const kinds = new Map<RelPath, EntryKind>();
  for (const { from, to, entry } of moves) {
    kinds.set(from, entry);
    kinds.set(to, entry);
  }
  return kinds;
}

/**
 * With a known kind, the filter decides. With an unknown one, a path is dropped only when the
 * filter excludes it as a file and as a directory alike; an ambiguous path (`- build/` against a
 * changed `build`) stays listed, and rsync, which applies the same rules, has the last word.
 */
function isExcluded(filter: PathFilter, path: RelPath, kind: EntryKind | undefined): boolean {
  if (kind !== undefined) return filter.isExcluded(path, kind === 'dir');
  return filter.isExcluded(path, false) && filter.isExcluded(path, true);
}
