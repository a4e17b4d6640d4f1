import { describe, expect, it } from 'vitest';
import { latestInSecond, parseListing, type ListedEntry } from '../../../src-main/core/transport/rsyncd-listing';

const at = (iso: string) => Date.parse(`${iso}Z`);
const file = (path: string, size: number, iso: string): ListedEntry => ({ path, entry: 'file', size, mtimeMs: at(iso) });

// Lines as rsync 3.5.0 printed them for a dry-run pull with --out-format='%i %l %M %n' (TZ=UTC).
const cases: { description: string; stdout: string; expected: ListedEntry[] }[] = [
  {
    description: 'the root, a file, a directory and what is in it',
    stdout: 'created directory /tmp/x/none\ncd+++++++++ 4096 2026/12/06-18:51:35 ./\n>f+++++++++ 5 2026/12/06-18:50:39 a\ncd+++++++++ 4096 2026/12/06-18:51:20 sub/\n>f+++++++++ 2 2026/12/06-18:51:20 sub/deep/q\n',
    expected: [
      { path: '', entry: 'dir', size: 4096, mtimeMs: at('2026-12-06T18:51:35') },
      file('a', 5, '2026-12-06T18:50:39'),
      { path: 'sub', entry: 'dir', size: 4096, mtimeMs: at('2026-12-06T18:51:20') },
      file('sub/deep/q', 2, '2026-12-06T18:51:20'),
    ],
  },
  {
    description: 'a symlink is its name alone, even one that reads like a link (name -> x)',
    stdout: 'cL+++++++++ 16 2026/12/06-18:50:39 li nk\n>f+++++++++ 1 2026/12/06-18:50:39 sp ace -> x\n',
    expected: [{ path: 'li nk', entry: 'symlink', size: 16, mtimeMs: at('2026-12-06T18:50:39') }, file('sp ace -> x', 1, '2026-12-06T18:50:39')],
  },
  { description: 'a fifo and a device are other', stdout: 'cS+++++++++ 0 2026/12/06-18:51:35 fifo\ncD+++++++++ 0 2026/12/06-18:51:35 null\n', expected: [{ path: 'fifo', entry: 'other', size: 0, mtimeMs: at('2026-12-06T18:51:35') }, { path: 'null', entry: 'other', size: 0, mtimeMs: at('2026-12-06T18:51:35') }] },
  {
    description: "escaped bytes: a newline, a byte that is not UTF-8, and a backslash before '#' (escaped itself)",
    stdout: '>f+++++++++ 1 2026/12/06-18:50:39 new\\#012line\n>f+++++++++ 2 2026/12/06-18:50:39 bad\\#377\n>f+++++++++ 1 2026/12/06-18:50:39 back\\#134#012\n',
    expected: [file('new\nline', 1, '2026-12-06T18:50:39'), file('bad\xff', 2, '2026-12-06T18:50:39'), file('back\\#012', 1, '2026-12-06T18:50:39')],
  },
  { description: 'leading and trailing spaces stay in the name', stdout: '>f+++++++++ 3 2026/01/02-03:04:05  lead  and trail \n', expected: [file(' lead  and trail ', 3, '2026-01-02T03:04:05')] },
  { description: 'raw 8-bit bytes (-8) stay as they are (latin1 chars)', stdout: '>f+++++++++ 4 2026/01/02-03:04:05 caf\xe9\n', expected: [file('caf\xe9', 4, '2026-01-02T03:04:05')] },
  { description: 'a large file', stdout: '>f+++++++++ 10737418240 2001/09/09-01:46:40 big.iso\n', expected: [file('big.iso', 10_737_418_240, '2001-09-09T01:46:40')] },
  { description: 'warnings and summaries are skipped', stdout: 'skipping non-regular file "x"\n\nsent 20 bytes  received 120 bytes\n', expected: [] },
];

describe('parseListing', () => {
  for (const c of cases) it(c.description, () => expect(parseListing(c.stdout)).toEqual(c.expected));
});

describe('latestInSecond', () => {
  it('reads a whole second as its last millisecond, so a target copy is never taken for older than it may be', () => {
    expect(latestInSecond(at('2026-01-02T03:04:05'))).toBe(at('2026-01-02T03:04:05.999'));
  });
});
