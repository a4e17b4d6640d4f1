import { describe, expect, it } from 'vitest';
import type { ChangeBatch, EntryKind, Move, PathChange, Plan, RelPath } from '../../../src-shared/model/sync';
import type { DeleteMode, FilterRule } from '../../../src-main/core/config/model';
import { compileFilters } from '../../../src-main/core/plan/filter';
import { planBatch, type PlanTarget } from '../../../src-main/core/plan/planner';

/** A batch with these collapsed changes, move hints (see mv) and resync subtrees. */
function batch(changes: Record<RelPath, PathChange>, more: { moves?: Move[]; resync?: RelPath[] } = {}): ChangeBatch {
  return { changes: new Map(Object.entries(changes)), moves: more.moves ?? [], resync: more.resync ?? [], eventCount: 1, firstAt: 0, firedAt: 0 };
}
/** A move hint (a file unless `entry` says otherwise). */
const mv = (from: RelPath, to: RelPath, entry: EntryKind = 'file'): Move => ({ from, to, entry });
/** A target with '- PATTERN'/'+ PATTERN' filter lines and a list limit; the case loop sets the delete mode. */
function target(filters: string[] = [], maxListedPaths = 1000): Omit<PlanTarget, 'deleteMode'> {
  const rules: FilterRule[] = filters.map((line) => ({ action: line.startsWith('+') ? '+' : '-', pattern: line.slice(2) }));
  return { filter: compileFilters(rules), maxListedPaths };
}

/** A plan without `allowDelete`, which follows the delete mode under test. */
type Expected = Omit<Plan, 'allowDelete'>;
/** A listed plan: these paths, with optional deletes, landed move destinations and move hints. */
const listed = (sync: RelPath[], more: { deletes?: RelPath[]; landed?: RelPath[]; moves?: Move[] } = {}): Expected => ({
  moves: more.moves ?? [],
  sync,
  deletes: more.deletes ?? [],
  full: false,
  ...(more.landed ? { landed: more.landed } : {}),
});
/** A full-tree plan, carrying these move hints. */
const full = (moves: Move[] = []): Expected => ({ moves, sync: [], deletes: [], full: true });

// Each case runs in all four delete modes: `deleting` under true and 'running', `keeping` (when
// it differs) under false and 'startup', which allow no deletes in live batches.
const cases: { description: string; batch: ChangeBatch; target: Omit<PlanTarget, 'deleteMode'>; deleting: Expected; keeping?: Expected }[] = [
  { description: 'plain creates and modifies are listed, sorted', batch: batch({ b: 'modify', a: 'create', 'c/d': 'attrib' }), target: target(), deleting: listed(['a', 'b', 'c/d']) },
  { description: 'an empty batch plans nothing', batch: batch({}), target: target(), deleting: listed([]) },
  {
    description: 'a delete is listed only when deletes run',
    batch: batch({ gone: 'delete', kept: 'modify' }),
    target: target(),
    deleting: listed(['gone', 'kept'], { deletes: ['gone'] }),
    keeping: listed(['kept']),
  },
  {
    description: 'a move chain a->b->c: hints in order, a deleted, b listed so the target loses it, c landed',
    batch: batch({ a: 'delete', c: 'create' }, { moves: [mv('a', 'b'), mv('b', 'c')] }),
    target: target(),
    deleting: listed(['a', 'b', 'c'], { deletes: ['a'], landed: ['c'], moves: [mv('a', 'b'), mv('b', 'c')] }),
    keeping: listed(['c']),
  },
  {
    description: 'a swap through t: nothing is deleted',
    batch: batch({ a: 'modify', b: 'modify' }, { moves: [mv('a', 't'), mv('b', 'a'), mv('t', 'b')] }),
    target: target(),
    deleting: listed(['a', 'b', 't'], { landed: ['a', 'b'], moves: [mv('a', 't'), mv('b', 'a'), mv('t', 'b')] }),
    keeping: listed(['a', 'b']),
  },
  {
    description: 'a move into a resync subtree: the destination is listed but not landed (its events were lost)',
    batch: batch({ x: 'delete', d: 'create' }, { moves: [mv('x', 'd', 'dir')], resync: ['d'] }),
    target: target(),
    deleting: listed(['d', 'x'], { deletes: ['x'], moves: [mv('x', 'd', 'dir')] }),
    keeping: listed(['d']),
  },
  {
    description: 'a move onto an existing name that was then deleted still lists both ends',
    batch: batch({}, { moves: [mv('x', 'y')] }),
    target: target(),
    deleting: listed(['x', 'y'], { moves: [mv('x', 'y')] }),
    keeping: listed([]),
  },
  {
    description: 'an excluded name renamed to an included one (x.tmp -> x) is a create of x',
    batch: batch({ x: 'create' }, { moves: [mv('x.tmp', 'x')] }),
    target: target(['- *.tmp']),
    deleting: listed(['x']),
  },
  {
    description: 'an included name renamed to an excluded one (x -> x.tmp) is a delete of x',
    batch: batch({ x: 'delete', 'x.tmp': 'create' }, { moves: [mv('x', 'x.tmp')] }),
    target: target(['- *.tmp']),
    deleting: listed(['x'], { deletes: ['x'] }),
    keeping: listed([]),
  },
  {
    description: 'a rename between two excluded names is nothing',
    batch: batch({ 'a.tmp': 'delete', 'b.tmp': 'create' }, { moves: [mv('a.tmp', 'b.tmp')] }),
    target: target(['- *.tmp']),
    deleting: listed([]),
  },
  {
    description: 'changes to excluded paths and below excluded dirs are dropped',
    batch: batch({ 'a.tmp': 'modify', 'cache/x': 'create', 'src/cache/y': 'modify', keep: 'attrib' }),
    target: target(['- *.tmp', '- /cache/']),
    deleting: listed(['keep', 'src/cache/y']),
  },
  {
    description: "a dir move hint's kind decides a dir-only rule: excluded build/ moved out is a create of out",
    batch: batch({ build: 'delete', out: 'create' }, { moves: [mv('build', 'out', 'dir')] }),
    target: target(['- build/']),
    deleting: listed(['out']),
  },
  {
    description: 'a path of unknown kind that a dir-only rule might exclude stays listed (rsync decides)',
    batch: batch({ build: 'modify' }),
    target: target(['- build/']),
    deleting: listed(['build']),
  },
  {
    description: "the children of a created dir are dropped, even with 'd.txt' sorting between",
    batch: batch({ d: 'create', 'd/f': 'create', 'd/g/h': 'modify', 'd.txt': 'create', 'd/g': 'create' }),
    target: target(),
    deleting: listed(['d', 'd.txt']),
  },
  {
    description: 'a deleted child of a listed dir is covered by the dir (deletes stay a subset of sync)',
    batch: batch({ d: 'attrib', 'd/old': 'delete', e: 'delete' }),
    target: target(),
    deleting: listed(['d', 'e'], { deletes: ['e'] }),
    keeping: listed(['d']),
  },
  {
    description: 'an overflow resyncs its subtree and absorbs the changes below it',
    batch: batch({ 'src/a': 'modify', 'src/b/c': 'delete', top: 'modify' }, { resync: ['src'] }),
    target: target(),
    deleting: listed(['src', 'top']),
  },
  {
    description: 'an overflow inside an excluded dir is dropped',
    batch: batch({}, { resync: ['node_modules/x'] }),
    target: target(['- node_modules']),
    deleting: listed([]),
  },
  {
    description: 'an overflow at the root is a full plan, keeping the hints that deletes allow',
    batch: batch({ a: 'delete', b: 'create', c: 'modify' }, { moves: [mv('a', 'b')], resync: [''] }),
    target: target(),
    deleting: full([mv('a', 'b')]),
    keeping: full(),
  },
  { description: 'more paths than maxListedPaths is a full plan', batch: batch({ a: 'create', b: 'create', c: 'create' }), target: target([], 2), deleting: full() },
  {
    description: 'maxListedPaths counts the minimised list',
    batch: batch({ d: 'create', 'd/1': 'create', 'd/2': 'create', 'd/3': 'create', e: 'modify' }),
    target: target([], 2),
    deleting: listed(['d', 'e']),
  },
  {
    description: 'more move hints than maxListedPaths is a full plan without hints',
    batch: batch({ a: 'delete', b: 'create' }, { moves: [mv('a', 't'), mv('t', 'b')] }),
    target: target([], 1),
    deleting: full(),
    keeping: listed(['b']),
  },
  {
    description: 'hostile names pass through byte-exact, in byte order',
    batch: batch({ '\xff\xfe': 'create', '-rf': 'create', 'a\nb': 'modify', '[x]': 'create', 'a]': 'create', 'back\\slash': 'create' }),
    target: target(['- *.tmp']),
    deleting: listed(['-rf', '[x]', 'a\nb', 'a]', 'back\\slash', '\xff\xfe']),
  },
];

const modes: { mode: DeleteMode; deletes: boolean }[] = [
  { mode: true, deletes: true },
  { mode: 'running', deletes: true },
  { mode: false, deletes: false },
  { mode: 'startup', deletes: false },
];

describe('planBatch', () => {
  describe.each(modes)('delete = $mode', ({ mode, deletes }) => {
    it.each(cases)('$description', ({ batch: b, target: t, deleting, keeping }) => {
      const expected: Plan = { ...(deletes ? deleting : (keeping ?? deleting)), allowDelete: deletes };
      expect(planBatch(b, { ...t, deleteMode: mode })).toEqual(expected);
    });
  });
});
