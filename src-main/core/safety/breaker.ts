// The mass-delete breaker: a batch that would delete more than a count, or more than a share
// of the tree, waits for a person. Pure: no node:* imports.

export interface BreakerLimits {
  /** More deletions than this trip it (false: no limit). */
  readonly maxDeletes: number | false;
  /** More than this percentage of the tree trips it (false: no limit). */
  readonly maxDeletePercent: number | false;
}

export const DEFAULT_LIMITS: BreakerLimits = { maxDeletes: 1000, maxDeletePercent: 50 };

/**
 * Below this many deletions the percentage is not looked at: removing 3 of a 4-file tree is a
 * person tidying up, not a disk going away.
 */
export const PERCENT_FLOOR = 50;

/** Why the batch must wait, or null when it may run. `treeSize` counts the tree before it. */
export function breakerTrips(deletions: number, treeSize: number, limits: BreakerLimits): string | null {
  if (limits.maxDeletes !== false && deletions > limits.maxDeletes) {
    return `it would delete ${deletions} entries on the target, more than maxDeletes = ${limits.maxDeletes}`;
  }
  if (limits.maxDeletePercent === false || deletions < PERCENT_FLOOR || treeSize <= 0) return null;
  const percent = (100 * deletions) / treeSize;
  if (percent <= limits.maxDeletePercent) return null;
  return `it would delete ${deletions} of ${treeSize} entries (${Math.round(percent)}%), more than maxDeletePercent = ${limits.maxDeletePercent}`;
}
