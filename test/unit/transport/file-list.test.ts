// The file list every rsync of a sync reads on stdin: rows for what is written, then the same
// lists through a real rsync, since the trap (a line beginning with # or ; is a comment, even
// with --from0) is rsync's, not ours.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseItemized } from '../../../src-main/core/safety/itemize';
import { fileListInput } from '../../../src-main/core/transport/rsync-argv';

describe('fileListInput', () => {
  const cases: { description: string; list: string[]; expected: string }[] = [
    { description: 'nothing listed is an empty list', list: [], expected: '' },
    { description: 'each path gets ./ in front and a NUL after', list: ['a', 'd/b'], expected: './a\0./d/b\0' },
    { description: 'a leading # is no longer the first byte of its line', list: ['#hash'], expected: './#hash\0' },
    { description: 'a leading ; neither', list: ['; rm -rf x', '; cd;cd ..;cd tmp;touch x'], expected: './; rm -rf x\0./; cd;cd ..;cd tmp;touch x\0' },
    { description: 'a # in a directory below', list: ['#dir/#file'], expected: './#dir/#file\0' },
    { description: 'a leading dash, a newline and a high byte stay as they are', list: ['-rf', 'nl\nx', 'hi\xff'], expected: './-rf\0./nl\nx\0./hi\xff\0' },
  ];
  for (const c of cases) {
    it(c.description, () => expect([...fileListInput(c.list)]).toEqual([...Buffer.from(c.expected, 'latin1')]));
  }
});

describe('fileListInput with real rsync', () => {
  const DIR = mkdtempSync(join(tmpdir(), 'tidemark-list-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));
  const names = (dir: string) => readdirSync(dir, { encoding: 'buffer' }).map((name) => name.toString('latin1')).sort();
  const rsync = (args: string[], list: string[], src: string, dst: string) =>
    execFileSync('rsync', ['--links', '--times', '--perms', '--protect-args', '--recursive', '--from0', '--files-from=-', '--delete-missing-args', '--delete', ...args, '--', `${src}/`, `${dst}/`], {
      input: fileListInput(list),
      env: { ...process.env, LC_ALL: 'C' },
    }).toString('latin1');

  const HOSTILE = ['#hash', ';semi', '; rm -rf x', '; cd;cd ..;cd tmp;touch x', '#', ';', 'plain', '-rf', 'nl\nname', 'hi\xff'];

  it('sends every listed name, deletes the listed missing ones, and the dry run names them without ./', () => {
    const src = join(DIR, 'src');
    const dst = join(DIR, 'dst');
    mkdirSync(join(src, '#dir'), { recursive: true });
    mkdirSync(dst);
    for (const name of HOSTILE) writeFileSync(Buffer.from(join(src, name), 'latin1'), name);
    writeFileSync(join(src, '#dir', ';inner'), 'inner');
    for (const old of ['#old', ';old']) writeFileSync(join(dst, old), 'gone from the source');

    const dry = parseItemized(rsync(['--dry-run', '--itemize-changes', '--out-format=%i %n'], [...HOSTILE, '#dir', '#old', ';old'], src, dst));
    expect(dry.deletes.map((d) => d.path).sort()).toEqual(['#old', ';old']);

    rsync([], [...HOSTILE, '#dir', '#old', ';old'], src, dst);
    expect(names(dst)).toEqual([...HOSTILE, '#dir'].sort());
    expect(names(join(dst, '#dir'))).toEqual([';inner']);
  });
});
