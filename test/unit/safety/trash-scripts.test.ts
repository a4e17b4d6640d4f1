import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TRASH_DIR } from '../../../src-main/core/safety/keep-rules';
import { dailyTrashDir, listTrashArgv, parseTrashListing, pruneTrashArgv, type TrashEntry } from '../../../src-main/core/safety/trash-scripts';

describe('parseTrashListing', () => {
  it('splits stamp and path, skips the stamp directories, sorts by stamp then path', () => {
    const stdout = [
      'd 4096 1700000300.0 ./2024-02-01',
      'f 3 1700000301.5 ./2024-02-01/z',
      'd 4096 1700000100.0 ./2024-01-01',
      'f 5 1700000101.0 ./2024-01-01/nl\nname',
      'd 4096 1700000102.0 ./2024-01-01/dir',
      'f 7 1700000103.0 ./2024-01-01/dir/hi\xff',
      'l 1 1700000104.0 ./2024-01-01/a -> b',
      '',
    ].join('\0');
    expect(parseTrashListing(stdout)).toEqual<TrashEntry[]>([
      { stamp: '2024-01-01', path: 'a -> b', entry: 'symlink', size: 1, mtimeMs: 1_700_000_104_000 },
      { stamp: '2024-01-01', path: 'dir', entry: 'dir', size: 4096, mtimeMs: 1_700_000_102_000 },
      { stamp: '2024-01-01', path: 'dir/hi\xff', entry: 'file', size: 7, mtimeMs: 1_700_000_103_000 },
      { stamp: '2024-01-01', path: 'nl\nname', entry: 'file', size: 5, mtimeMs: 1_700_000_101_000 },
      { stamp: '2024-02-01', path: 'z', entry: 'file', size: 3, mtimeMs: 1_700_000_301_500 },
    ]);
  });

  it('is empty for an empty trash', () => expect(parseTrashListing('')).toEqual([]));
});

describe('dailyTrashDir', () => {
  const cases: [number, string][] = [
    [Date.UTC(2024, 0, 2, 0, 0, 0), '.tidemark-trash/2024-01-02'],
    [Date.UTC(2024, 0, 2, 23, 59, 59, 999), '.tidemark-trash/2024-01-02'],
    [Date.UTC(2024, 11, 31, 12), '.tidemark-trash/2024-12-31'],
  ];
  for (const [now, dir] of cases) {
    it(`${new Date(now).toISOString()} -> ${dir}`, () => expect(dailyTrashDir(now)).toBe(dir));
  }
});

describe('the trash scripts on a real target', () => {
  const DIR = mkdtempSync(join(tmpdir(), 'tidemark-trash-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  const run = (argv: string[]) => {
    const [command = '', ...args] = argv;
    const result = spawnSync(command, args);
    return { status: result.status, stdout: result.stdout.toString('latin1') };
  };
  const at = (root: string, path: string) => Buffer.from(join(root, path), 'latin1');

  it('lists every entry below the trash with hostile names intact', () => {
    const target = join(DIR, 'list');
    const stamp = join(target, TRASH_DIR, '2024-01-01');
    mkdirSync(at(stamp, 'dir/sub'), { recursive: true });
    mkdirSync(join(target, TRASH_DIR, '2024-01-02'), { recursive: true });
    writeFileSync(join(target, 'not in the trash'), 'x');
    const files = ['-dash', 'nl\nname', 'tab\tname', 'back\\slash', 'sp ace ', 'x -> y', 'hi\xff', 'dir/sub/deep'];
    for (const [index, name] of files.entries()) writeFileSync(at(stamp, name), 'x'.repeat(index + 1));
    symlinkSync('somewhere', at(stamp, 'link'));
    writeFileSync(join(target, TRASH_DIR, '2024-01-02', 'later'), 'later');

    const { status, stdout } = run(listTrashArgv(target));
    expect(status).toBe(0);
    const listing = parseTrashListing(stdout);
    expect(listing.map((e) => [e.stamp, e.path, e.entry])).toEqual([
      ...[...files.map((name) => [name, 'file']), ['dir', 'dir'], ['dir/sub', 'dir'], ['link', 'symlink']]
        .sort(([a = ''], [b = '']) => (a < b ? -1 : 1))
        .map(([path, entry]) => ['2024-01-01', path, entry]),
      ['2024-01-02', 'later', 'file'],
    ]);
    for (const [index, name] of files.entries()) {
      const entry = listing.find((e) => e.path === name);
      expect(entry?.size, name).toBe(index + 1);
      expect(Math.abs((entry?.mtimeMs ?? 0) - lstatSync(at(stamp, name)).mtimeMs), name).toBeLessThan(1);
    }
  });

  it('lists nothing, exit 0, when there is no trash', () => {
    const target = join(DIR, 'no-trash');
    mkdirSync(target);
    expect(run(listTrashArgv(target))).toEqual({ status: 0, stdout: '' });
  });

  it('exits 3 when the target is missing', () => {
    expect(run(listTrashArgv(join(DIR, 'missing'))).status).toBe(3);
    expect(run(pruneTrashArgv(join(DIR, 'missing'), Date.now())).status).toBe(3);
  });

  it('prunes only the stamp directories older than the cutoff', () => {
    const target = join(DIR, 'prune');
    const trash = join(target, TRASH_DIR);
    const cutoff = 1_700_000_000; // seconds
    const stamps: [string, number][] = [
      ['ancient', cutoff - 365 * 86_400],
      ['old', cutoff - 10],
      ['fresh', cutoff + 10],
      ['future', cutoff + 86_400],
    ];
    for (const [stamp, mtime] of stamps) {
      mkdirSync(join(trash, stamp, 'inner'), { recursive: true });
      // The entries inside are old, but only the stamp directory's own time counts.
      writeFileSync(join(trash, stamp, 'inner', 'f'), 'f');
      utimesSync(join(trash, stamp, 'inner', 'f'), cutoff - 1000, cutoff - 1000);
      utimesSync(join(trash, stamp, 'inner'), cutoff - 1000, cutoff - 1000);
      utimesSync(join(trash, stamp), mtime, mtime);
    }
    // A stray old file at the top of the trash is not a stamp directory: left alone.
    writeFileSync(join(trash, 'stray'), 's');
    utimesSync(join(trash, 'stray'), cutoff - 1000, cutoff - 1000);
    // An old hostile-named stamp directory goes too, and nothing outside the trash is touched.
    mkdirSync(at(trash, '-rf \n*'));
    utimesSync(at(trash, '-rf \n*'), cutoff - 100, cutoff - 100);
    mkdirSync(join(target, 'outside'));
    utimesSync(join(target, 'outside'), cutoff - 1000, cutoff - 1000);
    utimesSync(trash, cutoff - 1000, cutoff - 1000);

    execFileSync(pruneTrashArgv(target, cutoff * 1000)[0] ?? '', pruneTrashArgv(target, cutoff * 1000).slice(1));

    expect(readdirSync(trash).sort()).toEqual(['fresh', 'future', 'stray']);
    expect(existsSync(join(trash, 'fresh', 'inner', 'f'))).toBe(true);
    expect(existsSync(join(target, 'outside'))).toBe(true);
  });

  it('prunes nothing, exit 0, when there is no trash', () => {
    const target = join(DIR, 'prune-none');
    mkdirSync(target);
    expect(run(pruneTrashArgv(target, Date.now())).status).toBe(0);
    expect(existsSync(join(target, TRASH_DIR))).toBe(false);
  });

  it('passes the cutoff in whole seconds', () => {
    expect(pruneTrashArgv('/t', 1_700_000_000_999)).toEqual(['sh', '-c', expect.any(String), 'tidemark-prune', '/t', '1700000000']);
    expect(listTrashArgv('/t')).toEqual(['sh', '-c', expect.any(String), 'tidemark-trash', '/t']);
  });
});
