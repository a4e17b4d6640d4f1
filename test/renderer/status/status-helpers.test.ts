// The dashboard's pure helpers: structural sharing between snapshots, the recent-changes filter,
// and the words a control's outcome is announced in.
import { describe, expect, it } from 'vitest';
import type { RecentChange, TargetStatus } from '../../../src-shared/model/status';
import { shareList, shareStatus } from '../../../src-renderer/lib/state/stable-status';
import { filterChanges, type KindFilter } from '../../../src-renderer/features/status/recent-filter';
import { controlFailure, controlResult, type ControlAction } from '../../../src-renderer/features/status/controls';

/** A change of `kind` to `path` at `at`. */
const change = (path: string, kind: RecentChange['kind'] = 'created', at = 1000, from?: string): RecentChange => ({ path, kind, at, ...(from ? { from } : {}) });
/** An idle local target `id` with the given recent changes. */
const status = (id: string, recent: RecentChange[] = [], extra: Partial<TargetStatus> = {}): TargetStatus => ({
  id, profile: id.split(':')[0]!, source: '/src', target: '/dst', kind: 'local', state: { kind: 'idle', lastSyncAt: 1000 }, paused: false, holding: null,
  pending: 0, transfer: null, throughput: [], lastSyncAt: 1000, recent, errors: [], watchedDirs: 1, watcher: 'inotify', ...extra,
});

describe('shareList', () => {
  const same = (a: RecentChange, b: RecentChange): boolean => a.path === b.path && a.at === b.at && a.kind === b.kind;
  const previous = [change('a'), change('b')];
  const cases: { description: string; next: RecentChange[]; keeps: boolean }[] = [
    { description: 'equal item by item: the previous array', next: [change('a'), change('b')], keeps: true },
    { description: 'a new change on top: the new array', next: [change('c'), change('a')], keeps: false },
    { description: 'one more: the new array', next: [change('a'), change('b'), change('c')], keeps: false },
    { description: 'the same path modified: the new array', next: [change('a', 'modified'), change('b')], keeps: false },
  ];
  for (const { description, next, keeps } of cases) it(description, () => expect(shareList(previous, next, same) === previous).toBe(keeps));
  it('no previous list: the new one', () => {
    const next = [change('a')];
    expect(shareList(undefined, next, same)).toBe(next);
  });
});

describe('shareStatus', () => {
  it('keeps the previous lists and transfer when only the state moved', () => {
    const transfer = { filesDone: 1, filesTotal: 2, bytesDone: 3, bytesTotal: 4, bytesPerSecond: 5, etaSeconds: 6, current: 'x' };
    const before = status('web:1', [change('a')], { transfer, throughput: [{ at: 1, bytesPerSecond: 2 }] });
    const after = shareStatus(before, status('web:1', [change('a')], { state: { kind: 'syncing', paths: 1 }, transfer: { ...transfer }, throughput: [{ at: 1, bytesPerSecond: 2 }] }));
    expect(after.state).toEqual({ kind: 'syncing', paths: 1 });
    expect(after.recent).toBe(before.recent);
    expect(after.errors).toBe(before.errors);
    expect(after.throughput).toBe(before.throughput);
    expect(after.transfer).toBe(before.transfer);
  });
  it('takes what changed', () => {
    const before = status('web:1', [change('a')]);
    const next = status('web:1', [change('b'), change('a')], { transfer: { filesDone: 0, filesTotal: 1, bytesDone: 0, bytesTotal: 1, bytesPerSecond: 0, etaSeconds: null, current: null } });
    const after = shareStatus(before, next);
    expect(after.recent).toBe(next.recent);
    expect(after.transfer).toBe(next.transfer);
  });
});

describe('filterChanges', () => {
  const changes = [change('docs/readme.md', 'modified'), change('photos/cat.jpg', 'created'), change('notes.txt', 'deleted'), change('final.txt', 'moved', 1000, 'docs/draft.txt')];
  const cases: { description: string; text: string; kind: KindFilter; expected: string[] }[] = [
    { description: 'no filter: every change', text: '', kind: 'all', expected: ['docs/readme.md', 'photos/cat.jpg', 'notes.txt', 'final.txt'] },
    { description: 'text in the path, any case', text: 'README', kind: 'all', expected: ['docs/readme.md'] },
    { description: 'text in a move\'s origin', text: 'draft', kind: 'all', expected: ['final.txt'] },
    { description: 'blank text is no filter', text: '   ', kind: 'deleted', expected: ['notes.txt'] },
    { description: 'kind alone', text: '', kind: 'created', expected: ['photos/cat.jpg'] },
    { description: 'text and kind together', text: 'docs', kind: 'moved', expected: ['final.txt'] },
    { description: 'nothing matches', text: 'zzz', kind: 'all', expected: [] },
  ];
  for (const { description, text, kind, expected } of cases) it(description, () => expect(filterChanges(changes, text, kind).map((item) => item.path)).toEqual(expected));
  it('no filter returns the list itself (nothing to copy)', () => expect(filterChanges(changes, '', 'all')).toBe(changes));
});

describe('control announcements', () => {
  const cases: { description: string; action: ControlAction; target: string | null; targets: number; expected: string }[] = [
    { description: 'one target paused', action: 'pause', target: 'web:1', targets: 1, expected: 'Paused web:1.' },
    { description: 'one target gone meanwhile', action: 'resume', target: 'web:1', targets: 0, expected: 'web:1 is not running any more: nothing to resume.' },
    { description: 'all of several', action: 'sync-now', target: null, targets: 3, expected: 'Sync started for all 3 targets.' },
    { description: 'all of one', action: 'pause', target: null, targets: 1, expected: 'Paused the one target.' },
    { description: 'all of none', action: 'sync-now', target: null, targets: 0, expected: 'No target is running: nothing to start a sync for.' },
  ];
  for (const { description, action, target, targets, expected } of cases) it(description, () => expect(controlResult(action, target, targets)).toBe(expected));
  it('a failure keeps the core\'s message whole', () => {
    expect(controlFailure('pause', 'web:1', new Error('the engine is stopping: try again in a moment'))).toBe('Could not pause web:1: the engine is stopping: try again in a moment');
    expect(controlFailure('resume', null, 'socket closed')).toBe('Could not resume the targets: socket closed');
  });
});
