import { describe, expect, it } from 'vitest';
import type { Outcome, Stall } from '../../../src-shared/model/sync';
import { combineOutcomes, splitTopLevel } from '../../../src-main/core/transport/full-sync-split';

describe('splitTopLevel', () => {
  const cases: { description: string; dirs: string[]; ways: number; expected: string[][] | null }[] = [
    { description: 'one process never splits', dirs: ['a', 'b', 'c'], ways: 1, expected: null },
    { description: 'one directory never splits', dirs: ['a'], ways: 4, expected: null },
    { description: 'no directories never split', dirs: [], ways: 2, expected: null },
    { description: 'deals round-robin in name order', dirs: ['d', 'a', 'c', 'b', 'e'], ways: 2, expected: [['a', 'c', 'e'], ['b', 'd']] },
    { description: 'never more groups than directories', dirs: ['b', 'a'], ways: 4, expected: [['a'], ['b']] },
    { description: 'a fractional way count rounds down', dirs: ['a', 'b', 'c'], ways: 2.9, expected: [['a', 'c'], ['b']] },
  ];
  for (const c of cases) it(c.description, () => expect(splitTopLevel(c.dirs, c.ways)).toEqual(c.expected));
});

describe('combineOutcomes', () => {
  const ok = (listed: number, moved = 0, stalled?: Stall[]): Outcome => ({ kind: 'ok', moved, listed, ...(stalled ? { stalled } : {}) });
  const retry: Outcome = { kind: 'retry', reason: 'rsync exited 24', code: 24 };
  const halt: Outcome = { kind: 'halt', reason: 'disk full' };
  const cases: { description: string; outcomes: Outcome[]; expected: Outcome }[] = [
    { description: 'all ok adds up the counts', outcomes: [ok(2, 1), ok(3)], expected: ok(5, 1) },
    { description: 'one retry makes the whole a retry', outcomes: [ok(2), retry, ok(1)], expected: retry },
    { description: 'a halt beats a retry', outcomes: [retry, halt], expected: halt },
    {
      description: 'the files each run set aside for want of room add up',
      outcomes: [ok(1, 0, [{ path: 'a/big', needs: 9, free: 3 }]), ok(2), ok(0, 0, [{ path: 'b/big', needs: 8, free: null }])],
      expected: ok(3, 0, [{ path: 'a/big', needs: 9, free: 3 }, { path: 'b/big', needs: 8, free: null }]),
    },
    { description: 'a retry drops what the ok runs set aside (the whole is run again)', outcomes: [ok(1, 0, [{ path: 'big', needs: 9, free: 3 }]), retry], expected: retry },
  ];
  for (const c of cases) it(c.description, () => expect(combineOutcomes(c.outcomes)).toEqual(c.expected));
});
