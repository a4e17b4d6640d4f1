import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type BreakerLimits } from '../../../src-main/core/safety/breaker';
import {
  countedDeletions, RecentCreations, windowExpired, windowTrips, withBatch, withDeleted, type BatchDeletions, type DeleteWindowState,
} from '../../../src-main/core/safety/delete-window';

const WINDOW_MS = 60_000;

/** A deleting batch: `deletes` entries, of which `born` were created within the window, and `creates` new ones. */
function batch(deletes: number, born = 0, creates = 0): BatchDeletions {
  return { deletes, born, creates };
}

/** Runs batches through a window, one per `stepMs`, with the tree shrinking by each batch's count; the first verdict that trips. */
function replay(tree: number, batches: readonly BatchDeletions[], limits: BreakerLimits = DEFAULT_LIMITS, stepMs = 300, windowMs = WINDOW_MS): { trippedAt: number | null; window: DeleteWindowState | null; reason: string | null } {
  let window: DeleteWindowState | null = null;
  let now = 1_000_000;
  let left = tree;
  for (const [index, b] of batches.entries()) {
    if (windowMs === 0 || windowExpired(window, now, windowMs)) window = null;
    left -= b.deletes - b.creates;
    const candidate = withBatch(window, b, { now, treeAfter: left, stamp: 'w', purge: true });
    const reason = windowTrips(candidate, limits, windowMs);
    if (reason) return { trippedAt: index, window: candidate, reason };
    window = candidate;
    now += stepMs;
  }
  return { trippedAt: null, window, reason: null };
}

describe('countedDeletions', () => {
  const cases: { description: string; batch: BatchDeletions; expected: number }[] = [
    { description: 'plain deletions count one each', batch: batch(51), expected: 51 },
    { description: 'entries created within the window and deleted again are net zero', batch: batch(200, 200), expected: 0 },
    { description: 'a rename whose hint was lost (delete 40, create 40) is net zero', batch: batch(40, 0, 40), expected: 0 },
    { description: 'more creations than deletions never count below zero', batch: batch(3, 0, 10), expected: 0 },
    { description: 'a mix: 100 deleted, 30 of them born, 20 created', batch: batch(100, 30, 20), expected: 50 },
  ];
  for (const c of cases) it(c.description, () => expect(countedDeletions(c.batch)).toBe(c.expected));
});

describe('the window over a slow rm -rf (2,000 files in 40 directories, one directory of 51 entries per batch)', () => {
  const tree = 2041;
  const slowRm = Array.from({ length: 36 }, () => batch(51));

  it('trips within the window before the tree has lost more than maxDeletes, keeping the rest', () => {
    const { trippedAt, window, reason } = replay(tree, slowRm);
    expect(trippedAt).toBe(19); // the 20th directory would make 1,020 deletions, past 1,000
    expect(window!.counted).toBe(1020);
    expect(reason).toMatch(/^in the last \d+ s the source would lose 1020 entries on the target, more than maxDeletes = 1000$/);
  });

  it('with maxDeletes off, trips at maxDeletePercent of the tree as the window opened, before half is gone', () => {
    const { trippedAt, window } = replay(tree, slowRm, { maxDeletes: false, maxDeletePercent: 50 });
    expect(window!.baseline).toBe(tree);
    // 20 × 51 = 1,020 of 2,041 is 49.98 %: the 21st batch (1,071, 52.5 %) trips.
    expect(trippedAt).toBe(20);
  });

  it('judged batch by batch (windowMs = 0), the same rm -rf never trips: the old behaviour', () => {
    expect(replay(tree, slowRm, DEFAULT_LIMITS, 300, 0).trippedAt).toBeNull();
  });

  it('batches further apart than the window are judged apart', () => {
    expect(replay(tree, slowRm, DEFAULT_LIMITS, WINDOW_MS + 1).trippedAt).toBeNull();
  });
});

describe('what does not trip', () => {
  const cases: { description: string; tree: number; batches: BatchDeletions[] }[] = [
    { description: 'a build deleting the 200 temporary files it made, in a tree of 12', tree: 212, batches: [batch(200, 200)] },
    { description: 'git checkout of another branch: 600 deleted, 580 created, in one batch', tree: 1000, batches: [batch(600, 0, 580)] },
    { description: 'moving a large directory whose rename hint was lost: 900 deleted, 900 created', tree: 1000, batches: [batch(900, 0, 900)] },
    { description: 'tidying up: 49 of 60 entries (below the floor of 50 for the percentage)', tree: 60, batches: [batch(20), batch(29)] },
  ];
  for (const c of cases) it(c.description, () => expect(replay(c.tree, c.batches).trippedAt).toBeNull());
});

describe('window bookkeeping', () => {
  it('opens with the tree before the batch, and keeps its stamp and purge flag as batches join', () => {
    const opened = withBatch(null, batch(10), { now: 5, treeAfter: 90, stamp: 'window-a', purge: true });
    expect(opened).toEqual({ openedAt: 5, lastDeleteAt: 5, baseline: 100, counted: 10, stamp: 'window-a', purge: true, deleted: [] });
    const joined = withBatch(opened, batch(5), { now: 9, treeAfter: 85, stamp: 'other', purge: false });
    expect(joined).toMatchObject({ openedAt: 5, lastDeleteAt: 9, baseline: 100, counted: 15, stamp: 'window-a', purge: true });
  });

  it('records the deleted entries once each', () => {
    const window = withDeleted(withDeleted(withBatch(null, batch(2), { now: 0, treeAfter: 8, stamp: 's', purge: true }), ['a', 'a/x']), ['a/x', 'b']);
    expect(window.deleted).toEqual(['a', 'a/x', 'b']);
  });

  it('expires windowMs after its last delete, not after it opened', () => {
    const window = withBatch(withBatch(null, batch(1), { now: 0, treeAfter: 9, stamp: 's', purge: true }), batch(1), { now: 50_000, treeAfter: 8, stamp: 's', purge: true });
    expect(windowExpired(window, 100_000, WINDOW_MS)).toBe(false);
    expect(windowExpired(window, 110_000, WINDOW_MS)).toBe(true);
    expect(windowExpired(null, 110_000, WINDOW_MS)).toBe(false);
  });
});

describe('RecentCreations', () => {
  it('knows a created path and everything below a created directory, until pruned', () => {
    const born = new RecentCreations();
    born.note('build', 100);
    born.note('a/tmp1', 200);
    expect(born.has('build')).toBe(true);
    expect(born.has('build/x/y')).toBe(true);
    expect(born.has('buildx')).toBe(false);
    expect(born.has('a')).toBe(false);
    expect(born.has('a/tmp1')).toBe(true);
    born.prune(150);
    expect(born.has('build/x')).toBe(false);
    expect(born.has('a/tmp1')).toBe(true);
    born.forget('a/tmp1');
    expect(born.size).toBe(0);
  });
});
