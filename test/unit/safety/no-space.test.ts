import { describe, expect, it } from 'vitest';
import { noSpaceName, parseTargetSpace, stallText, stalledPath, targetSpaceArgv } from '../../../src-main/core/safety/no-space';

describe('noSpaceName', () => {
  const cases: { description: string; stderr: string; expected: string | null }[] = [
    {
      description: 'rsync 3.5 writing a file (local receiver), with the lines that follow',
      stderr: 'rsync: [receiver] write failed on "/tmp/full/#big one": No space left on device (28)\nrsync error: error in file IO (code 11) at receiver.c(657) [receiver=3.5.0]\nrsync: [sender] write error: Broken pipe (32)\n',
      expected: '/tmp/full/#big one',
    },
    { description: 'creating the temporary file', stderr: 'rsync: [receiver] mkstemp "/srv/m/d/.big.iso.Xa81Qz" failed: No space left on device (28)\n', expected: '/srv/m/d/.big.iso.Xa81Qz' },
    { description: "rsync's octal escapes are decoded", stderr: 'rsync: write failed on "/t/new\\#012line": No space left on device (28)\n', expected: '/t/new\nline' },
    { description: 'another failure names nothing', stderr: 'rsync: [receiver] write failed on "/t/x": Input/output error (5)\n', expected: null },
    { description: 'no space, but no name on the line', stderr: 'rsync: No space left on device (28)\n', expected: null },
    { description: 'nothing', stderr: '', expected: null },
  ];
  for (const c of cases) it(c.description, () => expect(noSpaceName(c.stderr)).toBe(c.expected));
});

describe('stalledPath', () => {
  const source = new Set(['big.iso', 'd/big.iso', '#big one', 'mirror/x', 'x', 'home/u/mirror/y']);
  const has = (path: string) => source.has(path);
  const cases: { description: string; printed: string; root: string | null; expected: string | null }[] = [
    { description: 'below the known target root', printed: '/srv/m/d/big.iso', root: '/srv/m', expected: 'd/big.iso' },
    { description: 'a root with a trailing slash', printed: '/srv/m/#big one', root: '/srv/m/', expected: '#big one' },
    { description: 'a temporary name stands for the file beside it', printed: '/srv/m/d/.big.iso.Xa81Qz', root: '/srv/m', expected: 'd/big.iso' },
    { description: 'root unknown: the longest tail the source has', printed: '/home/u/mirror/x', root: null, expected: 'mirror/x' },
    { description: 'root known: never a tail that only looks right', printed: '/home/u/mirror/x', root: '/home/u/mirror', expected: 'x' },
    { description: 'a name outside the root: the tails, then', printed: '/elsewhere/d/big.iso', root: '/srv/m', expected: 'd/big.iso' },
    { description: 'vanished from the source', printed: '/srv/m/gone', root: '/srv/m', expected: null },
  ];
  for (const c of cases) it(c.description, () => expect(stalledPath(c.printed, c.root, has)).toBe(c.expected));
});

describe('parseTargetSpace', () => {
  const cases: { description: string; stdout: string; expected: ReturnType<typeof parseTargetSpace> }[] = [
    {
      description: 'pwd -P, then df -Pk',
      stdout: '/home/u/mirror\nFilesystem     1024-blocks  Used Available Capacity Mounted on\n/dev/sda1        1000000 400000    524288      44% /\n',
      expected: { root: '/home/u/mirror', free: 524288 * 1024 },
    },
    {
      description: 'a mount point and a device with spaces',
      stdout: '/mnt/my disk/m\nFilesystem 1024-blocks Used Available Capacity Mounted on\nmy fs 256 0 256 0% /mnt/my disk\n',
      expected: { root: '/mnt/my disk/m', free: 256 * 1024 },
    },
    { description: 'no df line', stdout: '/x\n', expected: null },
    { description: 'not a directory first', stdout: 'df: error\n', expected: null },
  ];
  for (const c of cases) it(c.description, () => expect(parseTargetSpace(c.stdout)).toEqual(c.expected));

  it('runs the script with the directory as an argument, never in the script text', () => {
    expect(targetSpaceArgv("it's $(x)")).toEqual(['sh', '-c', 'cd -- "$1" || exit 3\npwd -P && exec df -Pk .', 'tidemark-space', "it's $(x)"]);
  });
});

describe('stallText', () => {
  const cases = [
    { description: 'sizes in units, with the bytes', stall: { path: 'big.bin', needs: 1048576, free: 262144 }, expected: '"big.bin" needs 1.0 MB (1048576 bytes), 256.0 KB (262144 bytes) free on the target' },
    { description: 'small numbers in bytes', stall: { path: 'a', needs: 900, free: 0 }, expected: '"a" needs 900 bytes, 0 bytes free on the target' },
    { description: 'free space unknown', stall: { path: 'a', needs: 5 * 1024 ** 3, free: null }, expected: '"a" needs 5.0 GB (5368709120 bytes), free space on the target unknown' },
    { description: 'a name with a newline stays on one line', stall: { path: 'new\nline', needs: 1, free: 0 }, expected: '"new\\nline" needs 1 bytes, 0 bytes free on the target' },
  ];
  for (const c of cases) it(c.description, () => expect(stallText(c.stall)).toBe(c.expected));
});
