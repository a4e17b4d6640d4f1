// What the decisions screen says before a decision, how it counts and sizes entries, how it
// groups and filters them for the grid, and what it accepts as a typed delete confirmation.
import { describe, expect, it } from 'vitest';
import { decisionSummary, deleteConfirmed, describeEntries, type DecisionContext } from '../../src-renderer/features/safety/decision-summary';
import { entriesBetween, flattenRows, groupEntries } from '../../src-renderer/features/safety/entry-rows';
import { formatBytes } from '../../src-renderer/lib/ui/sizes-and-times';
import type { AtRiskEntry, ReconcileAction } from '../../src-shared/model/safety';

/** An entry of a report: a target-only file of `size` bytes unless told otherwise. */
function entry(path: string, size = 0, extra: Partial<AtRiskEntry> = {}): AtRiskEntry {
  return { path, risk: 'target-only', entry: 'file', size, mtimeMs: 1_700_000_000_000, atRisk: true, ...extra };
}

/** Twelve files of 3.4 MB together, as the brief's example. */
const twelve = Array.from({ length: 12 }, (_, index) => entry(`docs/f${index}.pdf`, index === 0 ? 3_400_000 - 11 * 100 : 100));
const startup: DecisionContext = { reason: 'startup', source: '/src', target: '/mirror/' };
const held: DecisionContext = { reason: 'mass-delete', source: '/src', target: 'backup:/srv/mirror/' };

describe('decisionSummary', () => {
  const cases: { description: string; action: ReconcileAction; entries: AtRiskEntry[]; context: DecisionContext; expected: string }[] = [
    { description: 'a pull says where the files go and that nothing is deleted', action: 'pull', entries: twelve, context: startup, expected: 'Pull 12 files (3.4 MB) back into /src; nothing is deleted.' },
    { description: 'a pull of a newer file says the source is never overwritten', action: 'pull', entries: [entry('a.txt', 5, { risk: 'newer-on-target', sourceSize: 4, sourceMtimeMs: 1 })], context: startup, expected: 'Pull 1 file (5 B) back into /src; nothing is deleted, and a newer copy in the source is never overwritten.' },
    { description: 'a pull after the breaker restores from the hold', action: 'pull', entries: [entry('a', 10, { risk: 'deleted-in-source', heldIn: '.tidemark-trash/window-1' }), entry('b', 10, { risk: 'deleted-in-source' })], context: held, expected: "Restore 2 files (20 B) into /src (what the breaker's window already removed comes back from the target's trash); nothing is deleted." },
    { description: 'a keep names the target and the release', action: 'keep', entries: [entry('dir', 0, { entry: 'dir' }), entry('dir/a', 2000)], context: startup, expected: 'Keep 1 file and 1 directory (2.0 kB) on /mirror/: they are never deleted or overwritten until you release them; nothing is copied or deleted.' },
    { description: 'a trash names the trash and the way back', action: 'trash', entries: [entry('x', 1)], context: startup, expected: 'Move 1 file (1 B) into .tidemark-trash/ on /mirror/; they stop syncing, and tidemark restore can bring them back.' },
    { description: 'a delete says it cannot be undone', action: 'delete', entries: twelve, context: startup, expected: 'Delete 12 files (3.4 MB) from /mirror/ for good. This cannot be undone.' },
    { description: 'a delete of newer files says they are replaced', action: 'delete', entries: [entry('a', 1), entry('b', 1, { risk: 'newer-on-target' }), entry('c', 1, { risk: 'differs' })], context: startup, expected: "Delete 3 files (3 B) from /mirror/ for good; 2 newer files there are replaced by the source's copy. This cannot be undone." },
    { description: 'a delete after the breaker lets the deletions through', action: 'delete', entries: [entry('a', 1_500_000, { risk: 'deleted-in-source' })], context: held, expected: 'Let the deletions through: 1 file (1.5 MB) deleted in /src is deleted from backup:/srv/mirror/ for good. This cannot be undone.' },
    { description: 'an unknown source is "the source"', action: 'pull', entries: [entry('a', 1)], context: { ...startup, source: null }, expected: 'Pull 1 file (1 B) back into the source; nothing is deleted.' },
  ];
  for (const { description, action, entries, context, expected } of cases) {
    it(description, () => expect(decisionSummary(action, entries, context)).toBe(expected));
  }
});

describe('describeEntries and formatBytes', () => {
  it.each([
    { description: 'files with their size', entries: [entry('a', 999), entry('b', 1)], expected: '2 files (1.0 kB)' },
    { description: 'directories alone have no size', entries: [entry('a', 0, { entry: 'dir' }), entry('b', 0, { entry: 'dir' })], expected: '2 directories' },
    { description: 'links, files and directories', entries: [entry('a', 1), entry('l', 9, { entry: 'symlink' }), entry('d', 0, { entry: 'dir' })], expected: '1 file, 1 link and 1 directory (10 B)' },
    { description: 'thousands with separators', entries: Array.from({ length: 100_000 }, (_, index) => entry(`f${index}`)), expected: '100,000 files (0 B)' },
  ])('$description', ({ entries, expected }) => expect(describeEntries(entries)).toBe(expected));

  it.each([
    [0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [9_949, '9.9 kB'], [9_950, '10 kB'], [3_400_000, '3.4 MB'], [999_499, '999 kB'], [999_500, '1.0 MB'], [1.5e12, '1.5 TB'], [-5, '0 B'],
  ])('formatBytes(%d) is %s', (bytes, expected) => expect(formatBytes(bytes)).toBe(expected));
});

describe('deleteConfirmed', () => {
  it.each([
    { typed: 'delete', count: 12, expected: true },
    { typed: '  DELETE ', count: 12, expected: true },
    { typed: '12', count: 12, expected: true },
    { typed: '100,000', count: 100_000, expected: true },
    { typed: '100 000', count: 100_000, expected: true },
    { typed: 'del', count: 12, expected: false },
    { typed: '11', count: 12, expected: false },
    { typed: '', count: 0, expected: false },
    { typed: 'yes', count: 3, expected: false },
  ])('"$typed" for $count entries: $expected', ({ typed, count, expected }) => expect(deleteConfirmed(typed, count)).toBe(expected));
});

describe('the grid rows', () => {
  const entries = [entry('top.txt', 1), entry('b', 0, { entry: 'dir' }), entry('b/one', 2), entry('b/two', 3), entry('a/x', 4, { mtimeMs: 5 })];
  const groups = groupEntries(entries);

  it('groups by top-level directory like the core, the top level first, then by name', () => {
    expect(groups.map((group) => [group.dir, group.entries.length, group.bytes])).toEqual([['', 1, 1], ['a', 1, 4], ['b', 3, 5]]);
  });

  it.each([
    { description: 'everything, expanded', collapsed: [], filter: '', expected: ['group:', 'top.txt', 'group:a', 'a/x', 'group:b', 'b', 'b/one', 'b/two'] },
    { description: 'a collapsed group keeps its header', collapsed: ['b'], filter: '', expected: ['group:', 'top.txt', 'group:a', 'a/x', 'group:b'] },
    { description: 'a filter drops groups without a match', collapsed: [], filter: 'ONE', expected: ['group:b', 'b/one'] },
    { description: 'a filter matching nothing leaves no rows', collapsed: [], filter: 'zzz', expected: [] },
  ])('$description', ({ collapsed, filter, expected }) => {
    const rows = flattenRows(groups, new Set(collapsed), filter);
    expect(rows.map((row) => (row.kind === 'group' ? `group:${row.group.dir}` : row.entry.path))).toEqual(expected);
  });

  it('counts and sizes what a filter shows in a group header', () => {
    const [header] = flattenRows(groups, new Set(), 'b/');
    expect(header).toMatchObject({ kind: 'group', shown: 2, shownBytes: 5 });
  });

  it('a range takes the entries between two rows in either direction, skipping headers', () => {
    const rows = flattenRows(groups, new Set(), '');
    expect(entriesBetween(rows, 1, 6).map((item) => item.path)).toEqual(['top.txt', 'a/x', 'b', 'b/one']);
    expect(entriesBetween(rows, 6, 1).map((item) => item.path)).toEqual(['top.txt', 'a/x', 'b', 'b/one']);
  });
});
