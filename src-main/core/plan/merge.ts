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
  const landed = markedLast(plans, (plan) => plan.landed ?? []);
  return {
    moves: plans.flatMap((plan) => plan.moves),
    sync: withoutNested(plans.flatMap((plan) => plan.sync)),
    deletes: markedLast(plans, (plan) => plan.deletes),
    allowDelete: plans.some((plan) => plan.allowDelete),
    full: false,
    ...(landed.length > 0 ? { landed } : {}),
  };
}

/**
 * The paths that `marks` names (its deletes, or its landed destinations) in the last plan of
 * `plans` that changed them. A later plan that lists a path (or a directory above it) without
 * marking it changed it again, so the mark no longer holds.
 */
function markedLast(plans: readonly Plan[], marks: (plan: Plan) => readonly RelPath[]): RelPath[] {
  let marked = new Set<RelPath>();
  for (const plan of plans) {
    const own = new Set(marks(plan));
    const changedAgain = plan.sync.filter((path) => !own.has(path));
    marked = new Set([...marked].filter((path) => !changedAgain.some((dir) => path === dir || path.startsWith(`${dir}/`))));
    for (const path of own) marked.add(path);
  }
  return [...marked].sort();
}
