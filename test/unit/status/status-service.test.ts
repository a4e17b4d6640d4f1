import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { STATUS_LIMITS, TargetStatusSchema, type TargetStatus } from '../../../src-shared/model/status';
import type { Outcome, Plan, StatusEvent, TargetState } from '../../../src-shared/model/sync';
import type { TransferEvent } from '../../../src-main/core/transport/rsync-transfer';
import { changeOf } from '../../../src-main/services/status/recent-changes';
import { StatusService, type StatusSource, type StatusUpdate } from '../../../src-main/services/status/status-service';
import { createFakeClock, type FakeClock } from '../queue/fake-clock';

// A SyncRunner needs a real source root and its safety gate stats it on every plan, which a fake
// clock cannot drive; this emitter has the runner's listening surface and nothing else.
/** A runner-like emitter: tests push transitions, plan runs and progress through it. */
function fakeRunner(clock: FakeClock) {
  const status = new Set<(event: StatusEvent) => void>();
  const runs = new Set<(plan: Plan, outcome: Outcome) => void>();
  const progress = new Set<(run: number, event: TransferEvent) => void>();
  let state: TargetState = { kind: 'starting' };
  const listen = <T>(set: Set<T>, listener: T) => (set.add(listener), () => void set.delete(listener));
  const source: StatusSource & { listeners(): number } = {
    get state() {
      return state;
    },
    holding: null,
    pendingEvents: 0,
    watcherKind: 'inotify',
    session: { paused: false, pendingPlans: [] },
    watchedDirs: () => ['/src/', '/src/a/'],
    onStatus: (listener) => listen(status, listener),
    onRun: (listener) => listen(runs, listener),
    onProgress: (listener) => listen(progress, listener),
    listeners: () => status.size + runs.size + progress.size,
  };
  return {
    source,
    go(to: TargetState) {
      const event = { target: 't', from: state, to, at: clock.now() };
      state = to;
      for (const listener of status) listener(event);
    },
    ran(plan: Plan, outcome: Outcome = { kind: 'ok', moved: 0, listed: 0 }) {
      for (const listener of runs) listener(plan, outcome);
    },
    progress(run: number, event: TransferEvent) {
      for (const listener of progress) listener(run, event);
    },
  };
}

/** A plan with the fields a case does not care about empty. */
function plan(fields: Partial<Plan> = {}): Plan {
  return { moves: [], sync: [], deletes: [], allowDelete: true, full: false, ...fields };
}

/** A progress2 event at `bytes` with the other fields plain. */
function step(bytes: number, extra: Partial<Extract<TransferEvent, { kind: 'progress' }>> = {}): TransferEvent {
  return { kind: 'progress', bytes, percent: 0, bytesPerSecond: 1000, etaSeconds: 3, transferred: null, toCheck: null, listed: null, listing: false, ...extra };
}

/** A service on a fake clock with one attached fake target; every snapshot sent is checked against the schema. */
function setup(coalesceMs?: number) {
  const clock = createFakeClock(1_000_000);
  const runner = fakeRunner(clock);
  const service = new StatusService({ clock, coalesceMs });
  const updates: StatusUpdate[] = [];
  service.subscribe((update) => {
    if (update.kind === 'target') v.parse(TargetStatusSchema, update.status);
    updates.push(update);
  });
  service.attach({ id: 'docs:1', profile: 'docs', source: '/src', target: '/dst', kind: 'local', watcher: 'inotify', runner: runner.source });
  const snapshots = (): TargetStatus[] => updates.flatMap((update) => (update.kind === 'target' ? [update.status] : []));
  return { clock, runner, service, updates, snapshots };
}

describe('StatusService: transitions and coalescing', () => {
  it('sends a first snapshot on attach', () => {
    const { snapshots } = setup();
    expect(snapshots()).toHaveLength(1);
    expect(snapshots()[0]).toMatchObject({ id: 'docs:1', state: { kind: 'starting' }, watchedDirs: 2, watcher: 'inotify', transfer: null });
  });

  it('sends every transition as its own snapshot, in order, even many in one tick', () => {
    const { runner, snapshots } = setup();
    const states: TargetState[] = [
      { kind: 'scanning', scanned: 10 },
      { kind: 'syncing', paths: -1 },
      { kind: 'idle', lastSyncAt: 5 },
      { kind: 'syncing', paths: 3 },
      { kind: 'retrying', attempt: 1, nextAt: 9, reason: 'no route' },
      { kind: 'syncing', paths: 3 },
      { kind: 'idle', lastSyncAt: 7 },
    ];
    for (const state of states) runner.go(state);
    expect(snapshots().slice(1).map((snapshot) => snapshot.state)).toEqual(states);
    expect(snapshots().at(-1)?.lastSyncAt).toBe(7);
  });

  it('coalesces progress: one snapshot per interval however many events', () => {
    const { clock, runner, snapshots } = setup(250);
    runner.go({ kind: 'syncing', paths: 1 });
    const before = snapshots().length;
    for (let i = 1; i <= 100; i++) runner.progress(1, step(i * 100));
    expect(snapshots()).toHaveLength(before);
    clock.advance(249);
    expect(snapshots()).toHaveLength(before);
    clock.advance(1);
    expect(snapshots()).toHaveLength(before + 1);
    expect(snapshots().at(-1)?.transfer?.bytesDone).toBe(10_000);
    runner.progress(1, step(20_000));
    clock.advance(249);
    expect(snapshots()).toHaveLength(before + 1);
    clock.advance(1);
    expect(snapshots()).toHaveLength(before + 2);
    expect(snapshots().at(-1)?.transfer?.bytesDone).toBe(20_000);
  });

  it('a transition sends at once with the latest progress and drops the coalesced send waiting', () => {
    const { clock, runner, snapshots } = setup(250);
    runner.go({ kind: 'syncing', paths: 1 });
    runner.progress(1, step(500));
    runner.go({ kind: 'halted', reason: 'host key changed' });
    const count = snapshots().length;
    clock.advance(1000);
    expect(snapshots()).toHaveLength(count);
    expect(snapshots().at(-1)).toMatchObject({ state: { kind: 'halted' }, transfer: null });
  });

  it('sums the parallel runs of a full sync, and forgets a run once it ends', () => {
    const { clock, runner, service } = setup();
    runner.go({ kind: 'syncing', paths: -1 });
    runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 4000, path: 'a/big' });
    runner.progress(1, step(1000, { bytesPerSecond: 100, etaSeconds: 30, listed: 10, toCheck: 6 }));
    runner.progress(2, { kind: 'item', flags: '>f+++++++++', size: 3000, path: 'b/big' });
    runner.progress(2, step(2000, { bytesPerSecond: 200, etaSeconds: 5, listed: 20, toCheck: 20, listing: true }));
    expect(service.get('docs:1')?.transfer).toEqual({ filesDone: 4, filesTotal: 30, bytesDone: 3000, bytesTotal: 7000, bytesPerSecond: 300, etaSeconds: 30, current: 'b/big' });
    runner.progress(1, { kind: 'end' });
    expect(service.get('docs:1')?.transfer).toMatchObject({ bytesDone: 2000, filesTotal: 20 });
    runner.progress(2, { kind: 'end' });
    expect(service.get('docs:1')?.transfer).toBeNull();
    clock.advance(1);
  });

  it('detach unsubscribes from the runner and says the target is gone', () => {
    const { runner, service, updates } = setup();
    service.detach('docs:1');
    expect(updates.at(-1)).toEqual({ kind: 'removed', id: 'docs:1' });
    expect(runner.source.listeners()).toBe(0);
    expect(service.list()).toEqual([]);
  });
});

describe('StatusService: recent changes', () => {
  it('lists what a plan shipped, newest first, with its kind', () => {
    const { clock, runner, service } = setup();
    runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 3, path: 'new.txt' });
    runner.progress(1, { kind: 'item', flags: '>f.st......', size: 3, path: 'old.txt' });
    runner.progress(1, { kind: 'item', flags: '.d..t......', size: 4096, path: './' });
    runner.progress(1, { kind: 'item', flags: '*deleting  ', size: 0, path: 'gone/' });
    runner.progress(1, { kind: 'item', flags: 'cd+++++++++', size: 4096, path: 'dir/' });
    runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 9, path: 'b' });
    runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 1, path: 'bad\u00ffname\n' });
    runner.progress(1, { kind: 'end' });
    clock.advance(10);
    runner.ran(plan({ moves: [{ from: 'a', to: 'b', entry: 'file' }], sync: ['b', 'x'], deletes: ['x'] }));
    const recent = service.get('docs:1')!.recent;
    expect(recent.map(({ path, kind, from }) => ({ path, kind, ...(from ? { from } : {}) }))).toEqual([
      { path: 'x', kind: 'deleted' },
      { path: 'bad\\xFFname\\n', kind: 'created' },
      { path: 'dir', kind: 'created' },
      { path: 'gone', kind: 'deleted' },
      { path: 'old.txt', kind: 'modified' },
      { path: 'new.txt', kind: 'created' },
      { path: 'b', kind: 'moved', from: 'a' },
    ]);
  });

  it('keeps nothing of a plan that did not run OK', () => {
    const { runner, service } = setup();
    runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 3, path: 'new.txt' });
    runner.ran(plan({ sync: ['new.txt'] }), { kind: 'retry', reason: 'unreachable' });
    runner.ran(plan({ moves: [{ from: 'a', to: 'b', entry: 'file' }] }), { kind: 'halt', reason: 'refused' });
    expect(service.get('docs:1')!.recent).toEqual([]);
  });

  it('leaves deletions out when the plan may not delete', () => {
    const { runner, service } = setup();
    runner.ran(plan({ sync: ['x'], deletes: ['x'], allowDelete: false }));
    expect(service.get('docs:1')!.recent).toEqual([]);
  });

  it(`a full sync records one entry per file only up to ${STATUS_LIMITS.recent}, and the list stays capped`, () => {
    const { runner, service } = setup();
    for (let i = 0; i < 500; i++) runner.progress(1, { kind: 'item', flags: '>f+++++++++', size: 1, path: `f${i}` });
    runner.ran(plan({ full: true }));
    let recent = service.get('docs:1')!.recent;
    expect(recent).toHaveLength(STATUS_LIMITS.recent);
    expect(recent[0]?.path).toBe('f199');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 150; i++) runner.progress(1, { kind: 'item', flags: '>f.st......', size: 1, path: `r${round}-${i}` });
      runner.ran(plan());
    }
    recent = service.get('docs:1')!.recent;
    expect(recent).toHaveLength(STATUS_LIMITS.recent);
    expect(recent[0]?.path).toBe('r2-149');
    expect(recent.at(-1)?.path).toBe('r1-100');
  });

  const flagCases: { description: string; flags: string; expected: ReturnType<typeof changeOf> }[] = [
    { description: 'a new file sent', flags: '>f+++++++++', expected: 'created' },
    { description: 'a new file sent to a remote target', flags: '<f+++++++++', expected: 'created' },
    { description: 'a file whose size and time changed', flags: '>f.st......', expected: 'modified' },
    { description: 'a file whose checksum differed', flags: '>fc.t......', expected: 'modified' },
    { description: 'a file touched (times only)', flags: '.f..t......', expected: 'modified' },
    { description: 'a file chmodded', flags: '.f...p.....', expected: 'modified' },
    { description: 'a directory made', flags: 'cd+++++++++', expected: 'created' },
    { description: 'a symlink made', flags: 'cL+++++++++', expected: 'created' },
    { description: 'a symlink changed', flags: 'cL.st......', expected: 'modified' },
    { description: 'a hard link made', flags: 'hf+++++++++', expected: 'created' },
    { description: 'a deletion', flags: '*deleting  ', expected: 'deleted' },
    { description: "a directory's times alone", flags: '.d..t......', expected: null },
    { description: 'a symlink unchanged but for its times', flags: '.L..t......', expected: null },
    { description: 'anything else', flags: '?x.........', expected: null },
  ];
  for (const c of flagCases) it(`itemize flags: ${c.description}`, () => expect(changeOf(c.flags)).toBe(c.expected));
});

describe('StatusService: errors and throughput', () => {
  it('records failing states and outside errors newest first, counting back-to-back repeats', () => {
    const { clock, runner, service } = setup();
    runner.go({ kind: 'retrying', attempt: 1, nextAt: 1, reason: 'host down' });
    clock.advance(1000);
    runner.go({ kind: 'retrying', attempt: 2, nextAt: 2, reason: 'host down' });
    runner.go({ kind: 'halted', reason: 'host key changed' });
    service.error('docs:1', 'cannot start');
    runner.go({ kind: 'error', reason: 'watch failed' });
    runner.ran(plan(), { kind: 'ok', moved: 0, listed: 1, stalled: [{ path: 'huge', needs: 5_000_000, free: 10 }] });
    const errors = service.get('docs:1')!.errors;
    expect(errors.map((error) => error.message.replace(/:.*/, ''))).toEqual(['set aside for want of room', 'watch failed', 'cannot start', 'host key changed', 'host down']);
    expect(errors.at(-1)).toEqual({ at: 1_001_000, message: 'host down', count: 2 });
    expect(errors.at(-2)?.count).toBeUndefined();
  });

  it(`keeps the last ${STATUS_LIMITS.errors} errors`, () => {
    const { runner, service } = setup();
    for (let i = 0; i < 120; i++) runner.go({ kind: 'error', reason: `e${i}` });
    const errors = service.get('docs:1')!.errors;
    expect(errors).toHaveLength(STATUS_LIMITS.errors);
    expect([errors[0]?.message, errors.at(-1)?.message]).toEqual(['e119', 'e70']);
  });

  it('samples bytes per second per 5 s over the last 10 minutes, from progress and from runs without any', () => {
    const { clock, runner, service } = setup();
    const start = clock.now();
    runner.progress(1, step(50_000));
    runner.progress(1, step(60_000));
    runner.progress(1, { kind: 'end' });
    clock.advance(5000);
    // A quick copy: items and an end, no progress line; its sizes are its bytes.
    runner.progress(2, { kind: 'item', flags: '>f+++++++++', size: 2500, path: 'q' });
    runner.progress(2, { kind: 'end' });
    expect(service.get('docs:1')!.throughput).toEqual([
      { at: start, bytesPerSecond: 12_000 },
      { at: start + 5000, bytesPerSecond: 500 },
    ]);
    clock.advance(10 * 60_000);
    expect(service.get('docs:1')!.throughput).toEqual([{ at: start + 5000, bytesPerSecond: 500 }]);
    clock.advance(5000);
    expect(service.get('docs:1')!.throughput).toEqual([]);
  });
});
