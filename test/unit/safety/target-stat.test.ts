import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EntryStat } from '../../../src-main/core/safety/at-risk';
import { parseTargetStats, TARGET_STAT_SCRIPT, targetStatArgv, targetStatInput } from '../../../src-main/core/safety/target-stat';

describe('targetStatArgv and targetStatInput', () => {
  it('passes the directory as a positional parameter, never inside the script', () => {
    const dir = "/srv/it's \"quoted\" $HOME `x`";
    expect(targetStatArgv(dir)).toEqual(['sh', '-c', TARGET_STAT_SCRIPT, 'tidemark-stat', dir]);
    expect(TARGET_STAT_SCRIPT).not.toContain(dir);
  });

  it('writes ./path NUL-terminated, one byte per char', () => {
    expect([...targetStatInput(['a', '-dash', 'hi\xff', 'nl\nx'])]).toEqual([...Buffer.from('./a\0./-dash\0./hi\xff\0./nl\nx\0', 'latin1')]);
    expect(targetStatInput([]).length).toBe(0);
  });
});

describe('parseTargetStats', () => {
  const cases: { description: string; stdout: string; stats: [string, EntryStat][] }[] = [
    { description: 'nothing', stdout: '', stats: [] },
    { description: 'a file', stdout: 'f 12 1700000000.5000000000 ./a\0', stats: [['a', { entry: 'file', size: 12, mtimeMs: 1_700_000_000_500 }]] },
    { description: 'a directory', stdout: 'd 4096 1700000000.0000000000 ./dir/sub\0', stats: [['dir/sub', { entry: 'dir', size: 4096, mtimeMs: 1_700_000_000_000 }]] },
    { description: 'a symlink', stdout: 'l 7 1700000001.25 ./link\0', stats: [['link', { entry: 'symlink', size: 7, mtimeMs: 1_700_000_001_250 }]] },
    { description: 'a fifo is other', stdout: 'p 0 1700000000 ./fifo\0', stats: [['fifo', { entry: 'other', size: 0, mtimeMs: 1_700_000_000_000 }]] },
    { description: 'a socket is other', stdout: 's 0 1700000000 ./sock\0', stats: [['sock', { entry: 'other', size: 0, mtimeMs: 1_700_000_000_000 }]] },
    { description: 'epoch 0', stdout: 'f 1 0.0000000000 ./zero\0', stats: [['zero', { entry: 'file', size: 1, mtimeMs: 0 }]] },
    { description: 'a name with a newline', stdout: 'f 1 1 ./nl\nname\0', stats: [['nl\nname', { entry: 'file', size: 1, mtimeMs: 1000 }]] },
    { description: 'a name with spaces, " -> ", a backslash', stdout: 'f 1 1 ./ a -> b\\c \0', stats: [[' a -> b\\c ', { entry: 'file', size: 1, mtimeMs: 1000 }]] },
    { description: 'a high byte', stdout: 'f 1 1 ./hi\xff\0', stats: [['hi\xff', { entry: 'file', size: 1, mtimeMs: 1000 }]] },
    { description: 'a name that looks like a record', stdout: 'f 1 1 ./f 2 2 ./x\0', stats: [['f 2 2 ./x', { entry: 'file', size: 1, mtimeMs: 1000 }]] },
    {
      description: 'several records, a garbage one skipped',
      stdout: 'f 1 1 ./a\0garbage\0d 2 2 ./b\0',
      stats: [
        ['a', { entry: 'file', size: 1, mtimeMs: 1000 }],
        ['b', { entry: 'dir', size: 2, mtimeMs: 2000 }],
      ],
    },
    { description: 'a record without ./ is skipped', stdout: 'f 1 1 a\0', stats: [] },
  ];
  for (const c of cases) {
    it(c.description, () => expect([...parseTargetStats(c.stdout)]).toEqual(c.stats));
  }

  // find prints a pre-1970 mtime as a negative number; a record it did not match would read as
  // missing, and buildReport would skip a target-only file with such a time as "vanished".
  it('an mtime before 1970 (negative) is kept', () => {
    expect([...parseTargetStats('f 0 -315619200.0000000000 ./old\0')]).toEqual([['old', { entry: 'file', size: 0, mtimeMs: -315_619_200_000 }]]);
  });
});

describe('the stat script on a real directory', () => {
  const DIR = mkdtempSync(join(tmpdir(), 'tidemark-stat-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));
  const T = 1_600_000_000;

  const at = (path: string) => Buffer.from(join(DIR, path), 'latin1');
  const HOSTILE = ['-dash', 'nl\nname', 'tab\tname', 'back\\slash', 'sp ace ', 'x -> y', '*', '$(touch pwned)', 'hi\xff', "quote'\"", '--help'];
  for (const [index, name] of HOSTILE.entries()) {
    writeFileSync(at(name), 'x'.repeat(index + 1));
    utimesSync(at(name), T + index, T + index);
  }
  mkdirSync(at('dir/sub'), { recursive: true });
  writeFileSync(at('dir/sub/f'), 'hello');
  utimesSync(at('dir/sub/f'), T + 0.25, T + 0.25);
  utimesSync(at('dir'), T + 100, T + 100);
  symlinkSync('dangling target', at('link'));

  /** Runs the stat script on `dir` for `paths`; a missing name makes find exit 1. */
  const stat = (dir: string, paths: string[]) => {
    const [command = '', ...args] = targetStatArgv(dir);
    const result = spawnSync(command, args, { input: targetStatInput(paths) });
    return { status: result.status, stdout: result.stdout.toString('latin1'), stats: parseTargetStats(result.stdout.toString('latin1')) };
  };

  it('stats hostile names, a nested file, a directory and a symlink; a missing name is absent', () => {
    const { stats } = stat(DIR, [...HOSTILE, 'dir', 'dir/sub/f', 'link', 'missing', 'dir/missing']);
    expect(lstatSync(join(DIR, 'pwned'), { throwIfNoEntry: false })).toBeUndefined();
    const expected = new Map<string, EntryStat>(HOSTILE.map((name, index) => [name, { entry: 'file', size: index + 1, mtimeMs: (T + index) * 1000 }]));
    expected.set('dir', { entry: 'dir', size: lstatSync(at('dir')).size, mtimeMs: (T + 100) * 1000 });
    expected.set('dir/sub/f', { entry: 'file', size: 5, mtimeMs: (T + 0.25) * 1000 });
    const link = lstatSync(at('link'));
    expected.set('link', { entry: 'symlink', size: 'dangling target'.length, mtimeMs: link.mtimeMs });
    expect(new Set(stats.keys())).toEqual(new Set(expected.keys()));
    for (const [path, want] of expected) {
      const got = stats.get(path);
      expect(got?.entry, path).toBe(want.entry);
      expect(got?.size, path).toBe(want.size);
      expect(Math.abs((got?.mtimeMs ?? 0) - want.mtimeMs), path).toBeLessThan(1);
    }
  });

  it('exits 0 with everything present, 1 (stdout still whole) with a missing name', () => {
    expect(stat(DIR, ['-dash', 'dir']).status).toBe(0);
    const partial = stat(DIR, ['missing', '-dash']);
    expect(partial.status).toBe(1);
    expect([...partial.stats.keys()]).toEqual(['-dash']);
  });

  it('answers nothing for no names', () => {
    const result = stat(DIR, []);
    expect(result.status).toBe(0);
    expect(result.stats.size).toBe(0);
  });

  it('exits 3 when the target directory is missing', () => {
    const result = stat(join(DIR, 'no such dir'), ['-dash']);
    expect(result.status).toBe(3);
    expect(result.stats.size).toBe(0);
  });

  it('reads a directory whose name starts with a dash', () => {
    mkdirSync(at('-target'));
    writeFileSync(at('-target/f'), 'abc');
    expect(stat(at('-target').toString('latin1'), ['f']).stats.get('f')).toMatchObject({ entry: 'file', size: 3 });
  });
});
