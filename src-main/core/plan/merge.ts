import type { Plan, RelPath } from '../../../src-shared/model/sync';

/** Sorted, deduplicated, and without any path that lies below another listed path. */
export function withoutNested(paths: Iterable<RelPath>): RelPath[] {
  const kept = new Set<RelPath>();
  for (const path of [...new Set(paths)].sort()) {
    if (kept.has('')) break;
    let covered = false;
    for (let parent = parentOf(path); !covered && parent !== ''; parent = parentOf(parent)) covered = kept.has(parent);
    if (!covered) kept.add(path);
  }
  return [...kept];
}

function parentOf(path: RelPath): RelPath {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/**
 * One plan doing the work of several, in order: a session that was busy or waiting runs what
 * queued up meanwhile as one transfer (STYLE.md habit 6). A full plan absorbs the lists; it
 * deletes when any full plan in the group was allowed to (the startup sync's own mode wins).
 */
export function mergePlans(plans: readonly Plan[]): Plan {
  if (plans.length === 1) return plans[0]!;
  const full = plans.filter((plan) => plan.full);
  if (full.length > 0) {
    return { moves: plans.flatMap((plan) => plan.moves), sync: [], deletes: [], allowDelete: full.some((plan) => plan.allowDelete), full: true };
  }
  return {
    moves: plans.flatMap((plan) => plan.moves),
    sync: withoutNested(plans.flatMap((plan) => plan.sync)),
    deletes: deletedLast(plans),
    allowDelete: plans.some((plan) => plan.allowDelete),
    full: false,
  };
}

/**
 * The paths whose last change across `plans` was a delete. A later plan that lists a path (or
 * a directory above it) without deleting it changed it again, so it is no longer a delete.
 */
function deletedLast(plans: readonly Plan[]): RelPath[] {
  let deleted = new Set<RelPath>();
  for (const plan of plans) {
    const own = new Set(plan.deletes);
    const changedAgain = plan.sync.filter((path) => !own.has(path));
    deleted = new Set([...deleted].filter((path) => !changedAgain.some((dir) => path === dir || path.startsWith(`${dir}/`))));
    for (const path of own) deleted.add(path);
  }
  return [...deleted].sort();
}
