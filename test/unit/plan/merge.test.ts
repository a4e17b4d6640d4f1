import { describe, expect, it } from 'vitest';
import type { Move, Plan, RelPath } from '../../../src-shared/model/sync';
import { mergePlans, withoutNested } from '../../../src-main/core/plan/merge';

/** A listed plan that may delete: these paths, with optional deletes, landed destinations and move hints. */
const listed = (sync: RelPath[], more: { deletes?: RelPath[]; landed?: RelPath[]; moves?: Move[]; allowDelete?: boolean } = {}): Plan => ({
  moves: more.moves ?? [],
  sync,
  deletes: more.deletes ?? [],
  allowDelete: more.allowDelete ?? true,
  full: false,
  ...(more.landed ? { landed: more.landed } : {}),
});
/** A full-tree plan. */
const full = (allowDelete: boolean, moves: Move[] = []): Plan => ({ moves, sync: [], deletes: [], allowDelete, full: true });
/** A directory move hint. */
const mv = (from: RelPath, to: RelPath): Move => ({ from, to, entry: 'dir' });

describe('withoutNested', () => {
  const cases: { description: string; paths: RelPath[]; expected: RelPath[] }[] = [
    { description: 'sorts and deduplicates', paths: ['b', 'a', 'b'], expected: ['a', 'b'] },
    { description: 'drops paths below a listed directory, at any depth', paths: ['d/x/y', 'd', 'd/z'], expected: ['d'] },
    { description: 'a shared name prefix is not nesting', paths: ['d', 'd-x', 'dx/y'], expected: ['d', 'd-x', 'dx/y'] },
    { description: 'the root covers everything', paths: ['a', '', 'b/c'], expected: [''] },
    { description: 'nothing stays nothing', paths: [], expected: [] },
  ];
  for (const c of cases) it(c.description, () => expect(withoutNested(c.paths)).toEqual(c.expected));
});

describe('mergePlans', () => {
  const cases: { description: string; plans: Plan[]; expected: Plan }[] = [
    { description: 'one plan is itself', plans: [listed(['a'], { deletes: ['a'] })], expected: listed(['a'], { deletes: ['a'] }) },
    {
      description: 'lists are united without nesting, moves kept in order',
      plans: [listed(['d/x', 'e'], { moves: [mv('a', 'b')] }), listed(['d'], { moves: [mv('b', 'c')] })],
      expected: listed(['d', 'e'], { moves: [mv('a', 'b'), mv('b', 'c')] }),
    },
    {
      description: 'a delete stays a delete when no later plan touches the path',
      plans: [listed(['gone'], { deletes: ['gone'] }), listed(['other'])],
      expected: listed(['gone', 'other'], { deletes: ['gone'] }),
    },
    {
      description: 'a path deleted and then changed again by a later plan is no longer a delete',
      plans: [listed(['x'], { deletes: ['x'] }), listed(['x'])],
      expected: listed(['x']),
    },
    {
      description: 'a later listed directory above a deleted path re-covers it',
      plans: [listed(['d/f'], { deletes: ['d/f'] }), listed(['d'])],
      expected: listed(['d']),
    },
    {
      description: 'a path changed and then deleted by a later plan is a delete',
      plans: [listed(['x']), listed(['x'], { deletes: ['x'] })],
      expected: listed(['x'], { deletes: ['x'] }),
    },
    {
      description: 'a landed destination that a later plan moves on is no longer landed; the new one is',
      plans: [listed(['a', 'b'], { deletes: ['a'], landed: ['b'], moves: [mv('a', 'b')] }), listed(['b', 'c'], { deletes: ['b'], landed: ['c'], moves: [mv('b', 'c')] })],
      expected: listed(['a', 'b', 'c'], { deletes: ['a', 'b'], landed: ['c'], moves: [mv('a', 'b'), mv('b', 'c')] }),
    },
    {
      description: 'a landed destination stays landed when no later plan touches it',
      plans: [listed(['a', 'b'], { deletes: ['a'], landed: ['b'], moves: [mv('a', 'b')] }), listed(['other'])],
      expected: listed(['a', 'b', 'other'], { deletes: ['a'], landed: ['b'], moves: [mv('a', 'b')] }),
    },
    {
      description: 'the merged plan may delete when any plan may',
      plans: [listed(['a'], { allowDelete: false }), listed(['b'])],
      expected: listed(['a', 'b']),
    },
    {
      description: 'a full plan absorbs the lists and keeps every move hint',
      plans: [listed(['a'], { moves: [mv('p', 'q')] }), full(false, [mv('q', 'r')])],
      expected: full(false, [mv('p', 'q'), mv('q', 'r')]),
    },
    {
      description: 'a full plan deletes when any full plan in the group may',
      plans: [full(false), full(true)],
      expected: full(true),
    },
  ];
  for (const c of cases) it(c.description, () => expect(mergePlans(c.plans)).toEqual(c.expected));
});
