import { describe, expect, it } from 'vitest';
import { breakerTrips, DEFAULT_LIMITS, PERCENT_FLOOR, type BreakerLimits } from '../../../src-main/core/safety/breaker';

describe('breaker constants', () => {
  it('defaults to 1000 deletions or 50 %, looking at the share from 50 deletions on', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxDeletes: 1000, maxDeletePercent: 50 });
    expect(PERCENT_FLOOR).toBe(50);
  });
});

describe('breakerTrips', () => {
  const cases: { description: string; deletions: number; treeSize: number; limits: BreakerLimits; trips: RegExp | null }[] = [
    { description: 'nothing deleted', deletions: 0, treeSize: 0, limits: DEFAULT_LIMITS, trips: null },
    { description: 'exactly maxDeletes is allowed', deletions: 1000, treeSize: 1_000_000, limits: DEFAULT_LIMITS, trips: null },
    { description: 'one more than maxDeletes trips', deletions: 1001, treeSize: 1_000_000, limits: DEFAULT_LIMITS, trips: /^it would delete 1001 entries on the target, more than maxDeletes = 1000$/ },
    { description: 'maxDeletes is checked before the share', deletions: 5000, treeSize: 5000, limits: DEFAULT_LIMITS, trips: /more than maxDeletes = 1000/ },
    { description: 'exactly 50 % is allowed', deletions: 100, treeSize: 200, limits: DEFAULT_LIMITS, trips: null },
    { description: 'just over 50 % trips', deletions: 101, treeSize: 200, limits: DEFAULT_LIMITS, trips: /^it would delete 101 of 200 entries \(51%\), more than maxDeletePercent = 50$/ },
    { description: 'a whole tree of 60 trips', deletions: 60, treeSize: 60, limits: DEFAULT_LIMITS, trips: /60 of 60 entries \(100%\)/ },
    { description: 'below the floor the share is not looked at', deletions: PERCENT_FLOOR - 1, treeSize: PERCENT_FLOOR - 1, limits: DEFAULT_LIMITS, trips: null },
    { description: '3 of a 4-file tree is tidying up', deletions: 3, treeSize: 4, limits: DEFAULT_LIMITS, trips: null },
    { description: 'at the floor the share is looked at', deletions: PERCENT_FLOOR, treeSize: PERCENT_FLOOR, limits: DEFAULT_LIMITS, trips: /50 of 50 entries \(100%\)/ },
    { description: 'at the floor, under the share', deletions: PERCENT_FLOOR, treeSize: 1000, limits: DEFAULT_LIMITS, trips: null },
    { description: 'an empty tree never trips on the share', deletions: 60, treeSize: 0, limits: DEFAULT_LIMITS, trips: null },
    { description: 'a negative tree size never trips on the share', deletions: 60, treeSize: -1, limits: DEFAULT_LIMITS, trips: null },
    { description: 'more deletions than the tree is over 100 %', deletions: 80, treeSize: 40, limits: DEFAULT_LIMITS, trips: /80 of 40 entries \(200%\)/ },
    { description: 'the percent is rounded', deletions: 200, treeSize: 300, limits: DEFAULT_LIMITS, trips: /\(67%\)/ },
    { description: 'a custom maxDeletes trips above it', deletions: 11, treeSize: 1_000_000, limits: { maxDeletes: 10, maxDeletePercent: false }, trips: /more than maxDeletes = 10$/ },
    { description: 'a custom maxDeletes allows it exactly', deletions: 10, treeSize: 10, limits: { maxDeletes: 10, maxDeletePercent: false }, trips: null },
    { description: 'maxDeletes = 0 trips on one deletion', deletions: 1, treeSize: 100, limits: { maxDeletes: 0, maxDeletePercent: false }, trips: /more than maxDeletes = 0/ },
    { description: 'maxDeletes = 0 allows none deleted', deletions: 0, treeSize: 100, limits: { maxDeletes: 0, maxDeletePercent: false }, trips: null },
    { description: 'maxDeletes false has no count limit', deletions: 1_000_000, treeSize: 100_000_000, limits: { maxDeletes: false, maxDeletePercent: 50 }, trips: null },
    { description: 'maxDeletes false still looks at the share', deletions: 1_000_000, treeSize: 1_000_000, limits: { maxDeletes: false, maxDeletePercent: 50 }, trips: /\(100%\), more than maxDeletePercent = 50/ },
    { description: 'maxDeletePercent false has no share limit', deletions: 900, treeSize: 900, limits: { maxDeletes: 1000, maxDeletePercent: false }, trips: null },
    { description: 'both false never trip', deletions: 10_000_000, treeSize: 10_000_000, limits: { maxDeletes: false, maxDeletePercent: false }, trips: null },
    { description: 'a custom share: exactly 10 % is allowed', deletions: 100, treeSize: 1000, limits: { maxDeletes: false, maxDeletePercent: 10 }, trips: null },
    { description: 'a custom share: just over 10 % trips', deletions: 101, treeSize: 1000, limits: { maxDeletes: false, maxDeletePercent: 10 }, trips: /101 of 1000 entries \(10%\), more than maxDeletePercent = 10$/ },
    { description: 'a custom share of 0 trips from the floor on', deletions: PERCENT_FLOOR, treeSize: 1_000_000, limits: { maxDeletes: false, maxDeletePercent: 0 }, trips: /maxDeletePercent = 0/ },
    { description: 'a custom share of 0 still waits for the floor', deletions: PERCENT_FLOOR - 1, treeSize: 1_000_000, limits: { maxDeletes: false, maxDeletePercent: 0 }, trips: null },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const trips = breakerTrips(c.deletions, c.treeSize, c.limits);
      if (c.trips === null) expect(trips).toBeNull();
      else expect(trips).toMatch(c.trips);
    });
  }
});
