import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDfLine, parsePreflightOutput, parseRsyncVersion, PREFLIGHT_SCRIPT } from '../../../src-main/services/pairing/preflight-script';

describe('parsePreflightOutput', () => {
  const ready = 'rsync\trsync  version 3.2.7  protocol version 31\ncreated\t1\ndir\t/home/u/m\ndf\t/dev/sda1 1000 400 600 40% /home\nend\tok\n';
  const cases: { description: string; stdout: unknown; expected: unknown }[] = [
    { description: 'a ready target', stdout: ready, expected: { kind: 'ready', rsyncLine: 'rsync  version 3.2.7  protocol version 31', created: true, directory: '/home/u/m', availableKiB: 600, mountPoint: '/home' } },
    { description: 'a problem', stdout: 'rsync\trsync  version 3.2.7\nproblem\tnot-writable\n', expected: { kind: 'problem', problem: 'not-writable', rsyncLine: 'rsync  version 3.2.7' } },
    { description: 'no rsync (no version line either)', stdout: 'problem\tno-rsync\n', expected: { kind: 'problem', problem: 'no-rsync', rsyncLine: null } },
    { description: 'a directory name with a tab keeps it', stdout: ready.replace('/home/u/m', '/home/u/a\tb'), expected: { kind: 'ready', directory: '/home/u/a\tb' } },
  ];
  for (const c of cases) it(c.description, () => expect(parsePreflightOutput(c.stdout)).toMatchObject(c.expected as object));

  const broken: { description: string; stdout: unknown }[] = [
    { description: 'not text', stdout: 7 },
    { description: 'cut off before its end', stdout: ready.replace('end\tok\n', '') },
    { description: 'an unknown problem', stdout: 'problem\tsomething-new\n' },
    { description: 'an unreadable df line', stdout: ready.replace(/df\t.*\n/, 'df\tdf: /x: no such file\n') },
  ];
  for (const b of broken) it(`refuses ${b.description}`, () => expect(parsePreflightOutput(b.stdout)).toBeInstanceOf(Error));
});

describe('parseDfLine and parseRsyncVersion', () => {
  it('reads spaces in the filesystem and the mount point', () => {
    expect(parseDfLine('//nas/my share  2000  500  1500  25% /mnt/my share')).toEqual({ availableKiB: 1500, mountPoint: '/mnt/my share' });
  });
  const versions = [
    { line: 'rsync  version 3.2.7  protocol version 31', expected: { version: '3.2.7', protocol: 31 } },
    { line: 'rsync  version v3.4.1  protocol version 32', expected: { version: '3.4.1', protocol: 32 } },
    { line: 'openrsync: protocol version 29', expected: null },
  ];
  for (const v of versions) it(`reads "${v.line}"`, () => expect(parseRsyncVersion(v.line)).toEqual(v.expected));
});

// The script itself, run by the local sh (dash, as on the servers): what it creates and undoes.
describe('PREFLIGHT_SCRIPT', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'tidemark-preflight-sh-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const runScript = (dir: string) => spawnSync('sh', ['-c', PREFLIGHT_SCRIPT, 'tidemark-preflight', 'rsync', dir], { cwd: home, env: { ...process.env, HOME: home }, encoding: 'utf8' });

  it('removes every level it created when a deeper one cannot be made', () => {
    const run = runScript(`made/also/${'x'.repeat(300)}/deep`); // the long name fails after made/also exist
    expect(parsePreflightOutput(run.stdout)).toMatchObject({ kind: 'problem', problem: 'not-creatable' });
    expect(run.stderr).toMatch(/File name too long/);
    expect(readdirSync(home)).toEqual([]);
  });

  it('reads ~/ as the home directory, and leaves only the target', () => {
    const output = parsePreflightOutput(runScript('~/t').stdout);
    expect(output).toMatchObject({ kind: 'ready', created: true, directory: join(home, 't') });
    expect(readdirSync(home)).toEqual(['t']);
    expect(readdirSync(join(home, 't'))).toEqual([]);
  });
});
