import { describe, expect, it } from 'vitest';
import type { AtRiskEntry } from '../../../src-shared/model/safety';
import { buildReport, formatBytes, groupByDir, rsyncTempOf, type EntryStat, type ReportInput } from '../../../src-main/core/safety/at-risk';

const T = 1_700_000_000_000;
const fileStat = (size: number, mtimeMs = T): EntryStat => ({ entry: 'file', size, mtimeMs });
const dirStat = (mtimeMs = T): EntryStat => ({ entry: 'dir', size: 4096, mtimeMs });

/** A report input with nothing in it, to override per case. */
function input(over: Partial<ReportInput>): ReportInput {
  return { target: '/dst/', reason: 'startup', dryRun: { deletes: [], overwrites: [] }, targetStats: new Map(), sourceStats: new Map(), deletes: true, ...over };
}

describe('buildReport: target-only entries', () => {
  const dryRun = { deletes: [{ path: 'only', dir: true }, { path: 'only/f', dir: false }, { path: 'gone', dir: false }, { path: 'b', dir: false }], overwrites: [] };
  const targetStats = new Map([
    ['only', dirStat(T - 5)],
    ['only/f', fileStat(1000, T - 10)],
    ['b', { entry: 'symlink', size: 3, mtimeMs: T - 20 } as EntryStat],
  ]);

  it('lists them at risk when the sync deletes, sorted by path, directories with size 0', () => {
    const report = buildReport(input({ dryRun, targetStats }));
    expect(report.entries).toEqual([
      { path: 'b', risk: 'target-only', entry: 'symlink', size: 3, mtimeMs: T - 20, atRisk: true },
      { path: 'only', risk: 'target-only', entry: 'dir', size: 0, mtimeMs: T - 5, atRisk: true },
      { path: 'only/f', risk: 'target-only', entry: 'file', size: 1000, mtimeMs: T - 10, atRisk: true },
    ]);
    expect(report.atRisk).toBe(3);
    expect(report.updates).toBe(0);
    expect(report.reason).toBe('startup');
    expect(report.target).toBe('/dst/');
    expect(report.summary).toBe('/dst/: 3 entries only on the target (1003 B) that the sync would delete: a decision is needed');
  });

  it('lists them but not at risk when the sync does not delete', () => {
    const report = buildReport(input({ dryRun, targetStats, deletes: false }));
    expect(report.entries.map((e) => [e.path, e.risk, e.atRisk])).toEqual([
      ['b', 'target-only', false],
      ['only', 'target-only', false],
      ['only/f', 'target-only', false],
    ]);
    expect(report.atRisk).toBe(0);
    expect(report.summary).toBe('/dst/: 3 entries only on the target (1003 B), kept: this sync does not delete: nothing at risk');
  });

  it('skips entries that vanished from the target since the dry run', () => {
    const report = buildReport(input({ dryRun, targetStats }));
    expect(report.entries.map((e) => e.path)).not.toContain('gone');
  });

  it('skips deletions the user made in the source (the journal)', () => {
    const report = buildReport(input({ dryRun, targetStats, expectedDeletes: (path) => path === 'only' || path.startsWith('only/') }));
    expect(report.entries.map((e) => e.path)).toEqual(['b']);
    expect(report.atRisk).toBe(1);
    expect(report.summary).toBe('/dst/: 1 entry only on the target (3 B) that the sync would delete: a decision is needed');
  });

  it("labels them 'deleted-in-source' for the mass-delete breaker", () => {
    const report = buildReport(input({ dryRun, targetStats, reason: 'mass-delete', target: 'web1:/srv/' }));
    expect(report.reason).toBe('mass-delete');
    expect(report.entries.every((e) => e.risk === 'deleted-in-source' && e.atRisk)).toBe(true);
    expect(report.summary).toBe('web1:/srv/: 3 entries deleted in the source (1003 B) that the sync would delete: a decision is needed');
  });
});

describe('buildReport: overwrites by how the times compare', () => {
  // ahead = target mtime - source mtime, in ms.
  const cases: { ahead: number; risk: AtRiskEntry['risk'] | 'update' }[] = [
    { ahead: 60_000, risk: 'newer-on-target' },
    { ahead: 2, risk: 'newer-on-target' },
    { ahead: 1.001, risk: 'newer-on-target' },
    { ahead: 1, risk: 'differs' },
    { ahead: 0.4, risk: 'differs' },
    { ahead: 0, risk: 'differs' },
    { ahead: -0.4, risk: 'differs' },
    { ahead: -1, risk: 'differs' },
    { ahead: -1.001, risk: 'update' },
    { ahead: -2, risk: 'update' },
    { ahead: -86_400_000, risk: 'update' },
  ];
  for (const { ahead, risk } of cases) {
    it(`a target ${ahead} ms ahead of the source is ${risk}`, () => {
      const report = buildReport(
        input({
          dryRun: { deletes: [], overwrites: ['f'] },
          targetStats: new Map([['f', fileStat(10, T + ahead)]]),
          sourceStats: new Map([['f', fileStat(20, T)]]),
        }),
      );
      if (risk === 'update') {
        expect(report.entries).toEqual([]);
        expect(report.updates).toBe(1);
        expect(report.atRisk).toBe(0);
        expect(report.summary).toBe('/dst/: nothing at risk');
      } else {
        expect(report.entries).toEqual([{ path: 'f', risk, entry: 'file', size: 10, mtimeMs: T + ahead, sourceSize: 20, sourceMtimeMs: T, atRisk: true }]);
        expect(report.updates).toBe(0);
        expect(report.atRisk).toBe(1);
        expect(report.summary).toBe('/dst/: 1 file newer on the target or different there, that the sync would overwrite: a decision is needed');
      }
    });
  }

  it('overwrites are at risk even when the sync does not delete', () => {
    const report = buildReport(
      input({ deletes: false, dryRun: { deletes: [], overwrites: ['f'] }, targetStats: new Map([['f', fileStat(1, T + 5000)]]), sourceStats: new Map([['f', fileStat(1, T)]]) }),
    );
    expect(report.atRisk).toBe(1);
    expect(report.entries[0]?.atRisk).toBe(true);
  });

  it('skips an overwrite whose target entry vanished since the dry run', () => {
    const report = buildReport(input({ dryRun: { deletes: [], overwrites: ['f'] }, sourceStats: new Map([['f', fileStat(1)]]) }));
    expect(report.entries).toEqual([]);
    expect(report.updates).toBe(0);
  });
});

describe('buildReport: a mixed report', () => {
  it('counts, groups and summarizes both kinds', () => {
    const report = buildReport(
      input({
        target: 'host:/dst/',
        dryRun: {
          deletes: [{ path: 'docs/a', dir: false }, { path: 'docs/b', dir: false }, { path: 'expected', dir: false }],
          overwrites: ['newer', 'older', 'same-time', 'docs/c'],
        },
        targetStats: new Map([
          ['docs/a', fileStat(1000)],
          ['docs/b', fileStat(2000)],
          ['expected', fileStat(5)],
          ['newer', fileStat(7, T + 10_000)],
          ['older', fileStat(7, T - 10_000)],
          ['same-time', fileStat(8, T)],
          ['docs/c', fileStat(9, T - 3)],
        ]),
        sourceStats: new Map([
          ['newer', fileStat(70)],
          ['older', fileStat(70)],
          ['same-time', fileStat(80)],
          ['docs/c', fileStat(90)],
        ]),
        expectedDeletes: (path) => path === 'expected',
      }),
    );
    expect(report.entries.map((e) => [e.path, e.risk])).toEqual([
      ['docs/a', 'target-only'],
      ['docs/b', 'target-only'],
      ['newer', 'newer-on-target'],
      ['same-time', 'differs'],
    ]);
    expect(report.updates).toBe(2);
    expect(report.atRisk).toBe(4);
    expect(report.groups).toEqual([
      { dir: '', count: 2, bytes: 15 },
      { dir: 'docs', count: 2, bytes: 3000 },
    ]);
    expect(report.summary).toBe(
      'host:/dst/: 2 entries only on the target (2.9 KiB) that the sync would delete; 2 files newer on the target or different there, that the sync would overwrite: a decision is needed',
    );
  });
});

describe('rsyncTempOf: the file an rsync temporary name stands for', () => {
  const cases: [string, string | null][] = [
    ['.report.txt.AbC123', 'report.txt'],
    ['dir/sub/.big.bin.HGTUHA', 'dir/sub/big.bin'],
    ['.a.b.c.x1y2z3', 'a.b.c'],
    ['.nl\nname.Q9q9Q9', 'nl\nname'],
    ['report.txt.AbC123', null], // no leading dot
    ['.report.txt.AbC12', null], // five characters
    ['.report.txt.AbC-23', null], // not alphanumeric
    ['..AbC123', null], // no name
    // A user's file can read like one: the gate counts it a leftover only after a crash, and
    // only when the source has `config` as a file.
    ['.config.backup', 'config'],
  ];
  for (const [path, original] of cases) {
    it(`${JSON.stringify(path)} -> ${JSON.stringify(original)}`, () => {
      expect(rsyncTempOf(path)).toBe(original);
    });
  }

  it('lists leftovers as interrupted-transfer, never at risk, and says the sync removes them', () => {
    const report = buildReport(input({
      dryRun: { deletes: [{ path: 'd/.f.AbC123', dir: false }, { path: 'mine', dir: false }], overwrites: [] },
      targetStats: new Map([['d/.f.AbC123', fileStat(500, T)], ['mine', fileStat(3, T)]]),
      leftovers: new Set(['d/.f.AbC123']),
    }));
    expect(report.entries).toEqual([
      { path: 'd/.f.AbC123', risk: 'interrupted-transfer', entry: 'file', size: 500, mtimeMs: T, atRisk: false },
      { path: 'mine', risk: 'target-only', entry: 'file', size: 3, mtimeMs: T, atRisk: true },
    ]);
    expect(report.atRisk).toBe(1);
    expect(report.summary).toContain('1 temporary file of an interrupted transfer, which the sync removes');
  });

  it('leaves the copies of files the journal says changed out of the report (an interrupted quick copy)', () => {
    const report = buildReport(input({
      dryRun: { deletes: [], overwrites: ['half-written'] },
      targetStats: new Map([['half-written', fileStat(10, T + 5000)]]),
      sourceStats: new Map([['half-written', fileStat(20, T)]]),
      expectedChanges: (path) => path === 'half-written',
    }));
    expect(report.entries).toEqual([]);
    expect(report.atRisk).toBe(0);
  });
});

describe('groupByDir', () => {
  const entry = (path: string, entryKind: AtRiskEntry['entry'], size: number): AtRiskEntry => ({ path, risk: 'target-only', entry: entryKind, size, mtimeMs: T, atRisk: true });

  it('groups by top-level directory, a top-level directory counting itself, sorted by count then name', () => {
    expect(
      groupByDir([
        entry('only', 'dir', 0),
        entry('only/sub', 'dir', 0),
        entry('only/sub/f', 'file', 10),
        entry('x', 'file', 5),
        entry('d/extra', 'file', 7),
        entry('c/y', 'file', 1),
        entry('link', 'symlink', 4),
      ]),
    ).toEqual([
      { dir: 'only', count: 3, bytes: 10 },
      { dir: '', count: 2, bytes: 9 },
      { dir: 'c', count: 1, bytes: 1 },
      { dir: 'd', count: 1, bytes: 7 },
    ]);
  });

  it('is empty for no entries', () => expect(groupByDir([])).toEqual([]));
});

describe('formatBytes', () => {
  const cases: [number, string][] = [
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [3000, '2.9 KiB'],
    [10 * 1024, '10 KiB'],
    [500 * 1024, '500 KiB'],
    [1024 ** 2, '1.0 MiB'],
    [2.5 * 1024 ** 3, '2.5 GiB'],
    [5 * 1024 ** 4, '5.0 TiB'],
    [2048 * 1024 ** 4, '2048 TiB'],
  ];
  for (const [bytes, text] of cases) {
    it(`${bytes} bytes read ${text}`, () => expect(formatBytes(bytes)).toBe(text));
  }
});
