import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRsyncEscapes, ITEMIZE_FORMAT, parseItemized } from '../../../src-main/core/safety/itemize';

describe('decodeRsyncEscapes', () => {
  const cases: { description: string; printed: string; name: string }[] = [
    { description: 'a plain name is unchanged', printed: 'dir/file.txt', name: 'dir/file.txt' },
    { description: '\\#012 is a newline', printed: 'nl\\#012name', name: 'nl\nname' },
    { description: '\\#134 is a backslash, and the #123 after it stays literal', printed: 'back\\#134#123', name: 'back\\#123' },
    { description: '\\#377 is one latin1 char for the byte 0xff', printed: 'hi\\#377', name: 'hi\xff' },
    { description: 'UTF-8 escaped byte by byte stays two latin1 chars', printed: '\\#303\\#251', name: '\xc3\xa9' },
    { description: 'several escapes in a row', printed: '\\#001\\#002\\#177', name: '\x01\x02\x7f' },
    { description: 'the brief\'s sample', printed: 'hi\\#377\\#134#123', name: 'hi\xff\\#123' },
    { description: 'a lone backslash not followed by #ooo is literal', printed: 'back\\slash', name: 'back\\slash' },
    { description: 'two digits only is not an escape', printed: 'a\\#12', name: 'a\\#12' },
    { description: 'non-octal digits are not an escape', printed: 'a\\#189', name: 'a\\#189' },
    { description: 'a # without a backslash is literal', printed: '#123', name: '#123' },
    { description: 'only three digits are consumed', printed: '\\#0121', name: '\n1' },
    { description: 'a tab is printed raw and stays', printed: 'tab\tname', name: 'tab\tname' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const decoded = decodeRsyncEscapes(c.printed);
      expect(decoded).toBe(c.name);
      // One char per byte: the latin1 round trip keeps the string.
      expect(Buffer.from(decoded, 'latin1').toString('latin1')).toBe(decoded);
    });
  }
});

describe('parseItemized', () => {
  it('reads the sample output of a dry run', () => {
    const output = [
      '*deleting   only/sub/f',
      '*deleting   only/sub/',
      '*deleting   only/',
      '*deleting   nl\\#012name',
      '*deleting   hi\\#377\\#134#123',
      '.d..t...... ./',
      '>f.st...... upd',
      '*deleting   d/extra',
      '>f..t...... d/x',
      '>f+++++++++ new',
      'cd+++++++++ newdir/',
      'cL+++++++++ link -> x',
      '.f...p..... p',
      '',
    ].join('\n');
    expect(parseItemized(output)).toEqual({
      deletes: [
        { path: 'only/sub/f', dir: false },
        { path: 'only/sub', dir: true },
        { path: 'only', dir: true },
        { path: 'nl\nname', dir: false },
        { path: 'hi\xff\\#123', dir: false },
        { path: 'd/extra', dir: false },
      ],
      overwrites: ['upd', 'd/x'],
      itemized: 12, // all but the root's time
      creates: 3, // the new file, directory and link
    });
  });

  /** `counted: false`: not an itemized change, so it does not count in `itemized`; `created`: a new entry on the target. */
  const lines: { description: string; line: string; deletes?: { path: string; dir: boolean }[]; overwrites?: string[]; counted?: false; created?: true }[] = [
    { description: 'a size change overwrites', line: '>f.s....... a', overwrites: ['a'] },
    { description: 'a time change overwrites', line: '>f..t...... a', overwrites: ['a'] },
    { description: 'a transfer-time change (T) overwrites', line: '>f..T...... a', overwrites: ['a'] },
    { description: 'a checksum change overwrites', line: '>fc........ a', overwrites: ['a'] },
    { description: 'a new file does not overwrite', line: '>f+++++++++ a', created: true },
    // rsync writes `<f` when the receiver is remote (a push over ssh): the same overwrite.
    { description: 'a size and time change sent to a remote target overwrites', line: '<f.st...... a', overwrites: ['a'] },
    { description: 'a time change sent to a remote target overwrites', line: '<f..t...... a', overwrites: ['a'] },
    { description: 'a new file sent to a remote target does not overwrite', line: '<f+++++++++ a', created: true },
    { description: 'perms only do not overwrite', line: '.f...p..... a' },
    { description: 'owner and group only do not overwrite', line: '.f....og... a' },
    { description: 'a local change line (c) of a file is not a send', line: 'cf......... a' },
    { description: 'a new directory does not overwrite', line: 'cd+++++++++ a/', created: true },
    { description: 'a new symlink does not overwrite', line: 'cL+++++++++ a -> b', created: true },
    { description: 'a changed symlink does not overwrite', line: 'cL..t...... a -> b' },
    { description: 'a hard link (h) is not a send', line: 'hf+++++++++ a => b', created: true },
    { description: 'a deleted file', line: '*deleting   a', deletes: [{ path: 'a', dir: false }] },
    { description: 'a deleted directory loses its slash', line: '*deleting   a/b/', deletes: [{ path: 'a/b', dir: true }] },
    { description: 'a deleted name with spaces keeps them', line: '*deleting    lead and trail ', deletes: [{ path: ' lead and trail ', dir: false }] },
    { description: 'a deleted name with " -> " in it is whole', line: '*deleting   x -> y', deletes: [{ path: 'x -> y', dir: false }] },
    { description: 'an overwritten name with " -> " in it is whole', line: '>f.s....... x -> y', overwrites: ['x -> y'] },
    { description: 'the root itself is never a delete', line: '*deleting   ./' },
    { description: "a directory's time alone is no change to count (rsync sends it in whole seconds over ssh)", line: '.d..t...... a/', counted: false },
    { description: "a directory's permissions count", line: '.d...p..... a/' },
    { description: 'a summary line is skipped', line: 'sent 1,234 bytes  received 56 bytes  2,580.00 bytes/sec', counted: false },
    { description: 'a short line is skipped', line: 'total', counted: false },
    { description: 'an empty line is skipped', line: '', counted: false },
  ];
  for (const c of lines) {
    it(c.description, () => {
      expect(parseItemized(`${c.line}\n`)).toEqual({ deletes: c.deletes ?? [], overwrites: c.overwrites ?? [], itemized: c.counted === false ? 0 : 1, creates: c.created ? 1 : 0 });
    });
  }
});

describe('parseItemized on real rsync output', () => {
  const DIR = mkdtempSync(join(tmpdir(), 'tidemark-itemize-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));
  const T0 = 1_600_000_000;

  /** Writes a latin1 byte-string path below `root` with fixed mtime and mode. */
  const file = (root: string, path: string, content: string, mtime = T0, mode = 0o644) => {
    const full = Buffer.from(join(root, path), 'latin1');
    writeFileSync(full, content);
    chmodSync(full, mode);
    utimesSync(full, mtime, mtime);
  };
  const dir = (root: string, path: string) => mkdirSync(Buffer.from(join(root, path), 'latin1'), { recursive: true });

  const src = join(DIR, 's');
  const dst = join(DIR, 't');
  dir(src, 'd');
  dir(src, 'newdir');
  dir(dst, 'd');
  dir(dst, 'only/sub');
  // Both sides, identical.
  file(src, 'same', 'same');
  file(dst, 'same', 'same');
  // Existing on the target, content replaced (size, time, or both differ).
  file(src, 'upd', 'new content');
  file(dst, 'upd', 'old');
  file(src, 'tim', 'abc');
  file(dst, 'tim', 'abc', T0 - 100);
  file(src, 'x -> y', 'source!!');
  file(dst, 'x -> y', 't');
  file(src, 'd/x', 'x', T0 + 50);
  file(dst, 'd/x', 'x');
  file(src, 'sz\n\xfe', 'longer');
  file(dst, 'sz\n\xfe', 's');
  // Perms only: nothing overwritten.
  file(src, 'p', 'p', T0, 0o644);
  file(dst, 'p', 'p', T0, 0o600);
  // New on the target: nothing overwritten.
  file(src, 'new', 'n');
  file(src, 'newdir/f', 'f');
  symlinkSync('x', join(src, 'link'));
  file(src, 'caf\xc3\xa9', 'utf-8 name, new');
  // Only on the target: deleted.
  file(dst, 'only/sub/f', 'f');
  file(dst, 'd/extra', 'e');
  file(dst, 'nl\nname', 'n');
  file(dst, 'tab\tname', 't');
  file(dst, 'back\\#123', 'b');
  file(dst, 'hi\xff', 'h');
  file(dst, 'del -> me', 'd');
  file(dst, '\xc3\xa9t\xc3\xa9', 'utf-8 name, deleted');

  const expectedDeletes = [
    { path: 'back\\#123', dir: false },
    { path: 'd/extra', dir: false },
    { path: 'del -> me', dir: false },
    { path: 'hi\xff', dir: false },
    { path: 'nl\nname', dir: false },
    { path: 'only', dir: true },
    { path: 'only/sub', dir: true },
    { path: 'only/sub/f', dir: false },
    { path: 'tab\tname', dir: false },
    { path: '\xc3\xa9t\xc3\xa9', dir: false },
  ];
  const expectedOverwrites = ['d/x', 'sz\n\xfe', 'tim', 'upd', 'x -> y'];
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

  for (const locale of ['C', 'C.UTF-8']) {
    it(`gives the exact deletes and overwrites (LC_ALL=${locale})`, () => {
      const output = execFileSync('rsync', ['-n', '-r', '--links', '--times', '--perms', '--delete', '--itemize-changes', ITEMIZE_FORMAT, `${src}/`, `${dst}/`], {
        encoding: 'latin1',
        env: { ...process.env, LC_ALL: locale },
      });
      // The output really carries the escapes this parser must undo.
      expect(output).toContain('nl\\#012name');
      expect(output).toContain('back\\#134#123');
      expect(output).toContain('hi\\#377');
      expect(output).toContain('>f+++++++++ new');
      expect(output).toContain('.f...p..... p');
      const result = parseItemized(output);
      expect([...result.deletes].sort(byPath)).toEqual(expectedDeletes);
      expect([...result.overwrites].sort()).toEqual(expectedOverwrites);
    });
  }

  it('counts no change at all for a target that is an exact copy (a restart after a clean stop)', () => {
    const copy = join(DIR, 'copy');
    execFileSync('cp', ['-a', `${src}/.`, copy]);
    const output = execFileSync('rsync', ['-n', '-r', '--links', '--times', '--perms', '--delete', '--itemize-changes', ITEMIZE_FORMAT, `${src}/`, `${copy}/`], { encoding: 'latin1' });
    expect(parseItemized(output)).toEqual({ deletes: [], overwrites: [], itemized: 0, creates: 0 });
    // One change is enough to count.
    file(copy, 'same', 'changed!');
    const changed = execFileSync('rsync', ['-n', '-r', '--links', '--times', '--perms', '--delete', '--itemize-changes', ITEMIZE_FORMAT, `${src}/`, `${copy}/`], { encoding: 'latin1' });
    expect(parseItemized(changed).itemized).toBe(1);
  });
});
