import { describe, expect, it } from 'vitest';
import type { ChangeBatch, EntryKind, FsEvent, PathChange, RelPath } from '../../../src-shared/model/sync';
import { createBatcher, type BatcherOptions } from '../../../src-main/core/queue/batcher';
import { createFakeClock } from './fake-clock';

type Step = { readonly at: number; readonly push: readonly FsEvent[] } | { readonly at: number; readonly flush: true };

interface ExpectedBatch {
  readonly firedAt: number;
  readonly changes: Readonly<Record<RelPath, PathChange>>;
  readonly moves?: readonly string[];
  readonly resync?: readonly RelPath[];
}

/** A create/modify/attrib/delete event at `path` (a file unless `entry` says otherwise). */
const ev = (kind: 'create' | 'modify' | 'attrib' | 'delete', path: RelPath, entry: EntryKind = 'file'): FsEvent => ({ kind, path, entry, at: 0 });
/** A rename of `from` to `to`. */
const mv = (from: RelPath, to: RelPath, entry: EntryKind = 'file'): FsEvent => ({ kind: 'move', from, path: to, entry, at: 0 });
/** The watcher lost events below `path`. */
const overflow = (path: RelPath): FsEvent => ({ kind: 'overflow', path, reason: 'queue overflow', at: 0 });
/** Pushes `events` (in one call) once the clock reads `t`. */
const at = (t: number, ...events: FsEvent[]): Step => ({ at: t, push: events });
/** Calls flush() once the clock reads `t`. */
const flushAt = (t: number): Step => ({ at: t, flush: true });
/** Batcher options: no delay, a 100 ms settle window, maxDelays 1000, unless overridden. */
const opts = (o: Partial<BatcherOptions> = {}): BatcherOptions => ({ delayMs: 0, settleMs: 100, maxDelays: 1000, ...o });
/** `f` is modified every `every` ms from 0 to `until` inclusive. */
const rewrites = (every: number, until: number): Step[] =>
  Array.from({ length: until / every + 1 }, (_, i) => at(i * every, ev('modify', 'f')));

const cases: { description: string; options: BatcherOptions; steps: readonly Step[]; expected: readonly ExpectedBatch[] }[] = [
  { description: 'delay 0 fires once the settle window is quiet', options: opts(), steps: [at(0, ev('create', 'a'))], expected: [{ firedAt: 100, changes: { a: 'create' } }] },
  { description: 'delay 15 s waits 15 s', options: opts({ delayMs: 15_000 }), steps: [at(0, ev('create', 'a'))], expected: [{ firedAt: 15_000, changes: { a: 'create' } }] },
  {
    description: 'events arriving during the wait join the same batch',
    options: opts({ delayMs: 15_000 }),
    steps: [at(0, ev('create', 'a')), at(5_000, ev('modify', 'b')), at(9_000, ev('modify', 'a'))],
    expected: [{ firedAt: 15_000, changes: { a: 'create', b: 'modify' } }],
  },
  {
    description: 'an event just before the delay holds the batch until it settles',
    options: opts({ delayMs: 15_000 }),
    steps: [at(0, ev('create', 'a')), at(14_950, ev('modify', 'b'))],
    expected: [{ firedAt: 15_050, changes: { a: 'create', b: 'modify' } }],
  },
  {
    description: 'maxDelays fires at once; the rest waits for the delay',
    options: opts({ delayMs: 15_000, maxDelays: 3 }),
    steps: [at(0, ev('create', 'a'), ev('create', 'b'), ev('create', 'c'), ev('create', 'd'))],
    expected: [{ firedAt: 0, changes: { a: 'create', b: 'create', c: 'create' } }, { firedAt: 15_000, changes: { d: 'create' } }],
  },
  {
    description: 'maxDelays counts collapsed paths, not events',
    options: opts({ delayMs: 15_000, maxDelays: 2 }),
    steps: [at(0, ...Array.from({ length: 5 }, () => ev('modify', 'a')))],
    expected: [{ firedAt: 15_000, changes: { a: 'modify' } }],
  },
  {
    description: 'a file rewritten every 10 ms for 5 s still ships, at the max-wait bound (settle 100 + 1000)',
    options: opts(),
    steps: rewrites(10, 5_000),
    expected: [1_100, 2_200, 3_300, 4_400, 5_100].map((firedAt) => ({ firedAt, changes: { f: 'modify' as const } })),
  },
  {
    description: 'the max-wait bound counts from the delay: delay 2000 + wait 500',
    options: opts({ delayMs: 2_000, maxWaitMs: 500 }),
    steps: rewrites(50, 5_000),
    expected: [2_500, 5_000, 7_000].map((firedAt) => ({ firedAt, changes: { f: 'modify' as const } })),
  },
  {
    description: 'after firing, the next batch starts fresh',
    options: opts(),
    steps: [at(0, ev('create', 'a')), at(500, ev('modify', 'a'))],
    expected: [{ firedAt: 100, changes: { a: 'create' } }, { firedAt: 600, changes: { a: 'modify' } }],
  },
  { description: 'created then deleted ships nothing (never an empty batch)', options: opts(), steps: [at(0, ev('create', 'a'), ev('delete', 'a'))], expected: [] },
  {
    description: 'events that cancel out do not age the next batch',
    options: opts({ delayMs: 1_000 }),
    steps: [at(0, ev('create', 'a'), ev('delete', 'a')), at(800, ev('create', 'b'))],
    expected: [{ firedAt: 1_800, changes: { b: 'create' } }],
  },
  {
    description: 'a move chain a->b->c deletes a, creates c, keeps both hints',
    options: opts(),
    steps: [at(0, mv('a', 'b'), mv('b', 'c'))],
    expected: [{ firedAt: 100, changes: { a: 'delete', c: 'create' }, moves: ['a->b', 'b->c'] }],
  },
  {
    description: 'a swap through t modifies a and b and leaves nothing at t',
    options: opts(),
    steps: [at(0, mv('a', 't'), mv('b', 'a'), mv('t', 'b'))],
    expected: [{ firedAt: 100, changes: { a: 'modify', b: 'modify' }, moves: ['a->t', 'b->a', 't->b'] }],
  },
  {
    description: 'a move onto an existing name that is then deleted still ships its hint',
    options: opts(),
    steps: [at(0, ev('create', 'x'), mv('x', 'y'), ev('delete', 'y'))],
    expected: [{ firedAt: 100, changes: {}, moves: ['x->y'] }],
  },
  {
    description: "an editor's atomic save is a create at the saved name plus a hint",
    options: opts(),
    steps: [at(0, ev('create', '.f.swp'), ev('modify', '.f.swp'), mv('.f.swp', 'f'))],
    expected: [{ firedAt: 100, changes: { f: 'create' }, moves: ['.f.swp->f'] }],
  },
  {
    description: 'a dir delete subsumes the changes below it, not those of a sibling sharing its prefix',
    options: opts(),
    steps: [at(0, ev('create', 'd/f'), ev('modify', 'd/g/h'), ev('create', 'd.x'), ev('modify', 'e')), at(10, ev('delete', 'd', 'dir'))],
    expected: [{ firedAt: 110, changes: { d: 'delete', 'd.x': 'create', e: 'modify' } }],
  },
  {
    description: 'a dir deleted and recreated keeps only what is new inside',
    options: opts(),
    steps: [at(0, ev('modify', 'd/f')), at(10, ev('delete', 'd/f'), ev('delete', 'd', 'dir'), ev('create', 'd', 'dir'), ev('create', 'd/g'))],
    expected: [{ firedAt: 110, changes: { d: 'modify', 'd/g': 'create' } }],
  },
  {
    description: 'a dir move rewrites the changes below it onto the destination',
    options: opts(),
    steps: [at(0, ev('create', 'd/f'), ev('modify', 'd/g/h'), ev('create', 'd.x')), at(10, mv('d', 'e', 'dir'))],
    expected: [{ firedAt: 110, changes: { d: 'delete', e: 'create', 'e/f': 'create', 'e/g/h': 'modify', 'd.x': 'create' }, moves: ['d->e'] }],
  },
  {
    description: 'a file moved into a dir that then moves follows it; hints stay in order',
    options: opts(),
    steps: [at(0, mv('x', 'd/y'), mv('d', 'e', 'dir'))],
    expected: [{ firedAt: 100, changes: { x: 'delete', d: 'delete', e: 'create', 'e/y': 'create' }, moves: ['x->d/y', 'd->e'] }],
  },
  {
    description: 'an overflow asks for a resync of its subtree',
    options: opts(),
    steps: [at(0, overflow('src'), ev('modify', 'a'), overflow('src'))],
    expected: [{ firedAt: 100, changes: { a: 'modify' }, resync: ['src'] }],
  },
  {
    description: 'an overflow below a dir that moves is resynced at both places',
    options: opts(),
    steps: [at(0, overflow('d/sub')), at(10, mv('d', 'e', 'dir'))],
    expected: [{ firedAt: 110, changes: { d: 'delete', e: 'create' }, moves: ['d->e'], resync: ['d/sub', 'e/sub'] }],
  },
  {
    description: 'flush fires at once, and nothing is left for the timer',
    options: opts({ delayMs: 15_000 }),
    steps: [at(0, ev('create', 'a')), flushAt(10)],
    expected: [{ firedAt: 10, changes: { a: 'create' } }],
  },
  { description: 'flush with nothing pending emits nothing', options: opts(), steps: [flushAt(0)], expected: [] },
];

/** The batch as the expectations spell it: moves as 'from->to'. */
function summary(batch: ChangeBatch): Required<ExpectedBatch> {
  return {
    firedAt: batch.firedAt,
    changes: Object.fromEntries(batch.changes),
    moves: batch.moves.map((m) => `${m.from}->${m.to}`),
    resync: [...batch.resync],
  };
}

describe('batcher', () => {
  it.each(cases)('$description', ({ options, steps, expected }) => {
    const clock = createFakeClock();
    const batches: ChangeBatch[] = [];
    const batcher = createBatcher(options, clock, (b) => batches.push(b));
    for (const step of steps) {
      clock.advanceTo(step.at);
      if ('flush' in step) batcher.flush();
      else batcher.push(step.push);
    }
    clock.advance(120_000);
    expect(batches.map(summary)).toEqual(expected.map((e) => ({ moves: [], resync: [], ...e })));
    expect(batcher.pending()).toBe(0);
    expect(clock.armed()).toBe(0);
  });

  it('stamps the batch with its first arrival, its firing time and its event count', () => {
    const clock = createFakeClock(1_000);
    const batches: ChangeBatch[] = [];
    const batcher = createBatcher(opts({ delayMs: 500 }), clock, (b) => batches.push(b));
    batcher.push([ev('create', 'a'), ev('modify', 'a')]);
    clock.advance(200);
    batcher.push([ev('attrib', 'b')]);
    clock.advance(1_000);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ firstAt: 1_000, firedAt: 1_500, eventCount: 3 });
  });

  it('counts pending collapsed paths and resets to zero after firing', () => {
    const clock = createFakeClock();
    const batcher = createBatcher(opts({ delayMs: 1_000 }), clock, () => undefined);
    batcher.push([ev('create', 'a'), ev('modify', 'a'), ev('create', 'b'), overflow('c')]);
    expect(batcher.pending()).toBe(3);
    clock.advance(999);
    expect(batcher.pending()).toBe(3);
    clock.advance(1);
    expect(batcher.pending()).toBe(0);
  });

  it('lets onBatch push again: the new events start the next batch', () => {
    const clock = createFakeClock();
    const fired: string[][] = [];
    const batcher = createBatcher(opts({ maxDelays: 1 }), clock, (b) => {
      fired.push([...b.changes.keys()]);
      if (fired.length === 1) batcher.push([ev('modify', 'again')]);
    });
    batcher.push([ev('create', 'a')]);
    expect(fired).toEqual([['a'], ['again']]);
  });

  it('collapses a 100k-event burst (rm -rf of a big tree) without rescanning per event', () => {
    // Deleting a file must not scan the pending set (only a path with pending children does);
    // a quadratic fold would blow the test timeout here.
    const clock = createFakeClock();
    const batches: ChangeBatch[] = [];
    const batcher = createBatcher(opts({ maxDelays: 1_000_000 }), clock, (b) => batches.push(b));
    const files = Array.from({ length: 50_000 }, (_, i) => `d${i % 500}/f${i}`);
    batcher.push(files.map((f) => ev('modify', f)));
    batcher.push([...files.map((f) => ev('delete', f)), ...Array.from({ length: 500 }, (_, i) => ev('delete', `d${i}`, 'dir'))]);
    expect(batcher.pending()).toBe(500);
    clock.advance(1_000);
    expect(batches).toHaveLength(1);
    expect([...(batches[0]?.changes.values() ?? [])].every((c) => c === 'delete')).toBe(true);
  });
});
