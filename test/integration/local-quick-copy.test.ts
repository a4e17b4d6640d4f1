// The in-process fast path for small files (transport/quick-copy.ts), on real directories: what
// it copies, what it refuses (so rsync does the whole batch), and that the rsync after it leaves
// the target exact to the nanosecond without replacing the file the copy put there.
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFilters } from '../../src-main/core/plan/filter';
import { quickCopy } from '../../src-main/core/transport/quick-copy';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { startLocalMirror, type LocalMirror } from './support/local-mirror';

let base: string;
let mirror: LocalMirror | undefined;
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
  if (base) await rm(base, { recursive: true, force: true });
});

const noFilter = compileFilters([]);

/** A source and a target, with `source/dir/file` (mode 0640) and `target/dir` ready. */
async function dirs(): Promise<{ source: string; target: string }> {
  base = await mkdtemp(join(tmpdir(), 'tidemark-quick-'));
  const source = join(base, 'src');
  const target = join(base, 'dst');
  await mkdir(join(source, 'dir'), { recursive: true });
  await mkdir(join(target, 'dir'), { recursive: true });
  await writeFile(join(source, 'dir/file'), 'small content');
  await chmod(join(source, 'dir/file'), 0o640);
  return { source, target };
}

describe('quickCopy', () => {
  it('copies small regular files with their content, mode and (to the microsecond) mtime', async () => {
    const { source, target } = await dirs();
    await utimes(join(source, 'dir/file'), 1_700_000_000, 1_700_000_000.123456);
    expect(quickCopy(['dir/file'], source, target, noFilter)).toBe(true);
    expect(await readFile(join(target, 'dir/file'), 'utf8')).toBe('small content');
    const copied = await stat(join(target, 'dir/file'));
    expect(copied.mode & 0o777).toBe(0o640);
    expect(Math.abs(copied.mtimeMs - 1_700_000_000_123.456)).toBeLessThan(0.01);
    // No temporary name is left behind.
    expect(await readdir(join(target, 'dir'))).toEqual(['file']);
  });

  const refusals: { description: string; arrange: (source: string, target: string, outside: string) => Promise<void>; paths: string[]; filter?: string }[] = [
    { description: 'a directory on the way in the target is a symlink', arrange: async (_s, t, outside) => { await rm(join(t, 'dir'), { recursive: true }); await symlink(outside, join(t, 'dir')); }, paths: ['dir/file'] },
    { description: 'the destination is a symlink', arrange: async (_s, t, outside) => symlink(join(outside, 'victim'), join(t, 'dir/file')), paths: ['dir/file'] },
    { description: 'the destination is a directory', arrange: async (_s, t) => mkdir(join(t, 'dir/file')), paths: ['dir/file'] },
    { description: 'the target directory is missing', arrange: async (_s, t) => rm(join(t, 'dir'), { recursive: true }), paths: ['dir/file'] },
    { description: 'the source is a directory', arrange: async () => undefined, paths: ['dir'] },
    { description: 'the source is a symlink', arrange: async (s) => symlink('file', join(s, 'dir/link')), paths: ['dir/link'] },
    { description: 'the source is larger than 256 KiB', arrange: async (s) => writeFile(join(s, 'dir/file'), Buffer.alloc(256 * 1024 + 1)), paths: ['dir/file'] },
    { description: 'the source is gone', arrange: async () => undefined, paths: ['dir/missing'] },
    { description: 'the file is excluded', arrange: async () => undefined, paths: ['dir/file'], filter: 'file' },
    { description: 'more than 8 files', arrange: async (s) => { for (let i = 0; i < 9; i++) await writeFile(join(s, `dir/f${i}`), 'x'); }, paths: Array.from({ length: 9 }, (_, i) => `dir/f${i}`) },
  ];
  for (const c of refusals) {
    it(`leaves the whole batch to rsync when ${c.description}`, async () => {
      const { source, target } = await dirs();
      const outside = join(base, 'outside');
      await mkdir(outside);
      await c.arrange(source, target, outside);
      const before = await snapshot(target);
      const filter = compileFilters(c.filter ? [{ action: '-', pattern: c.filter }] : []);
      expect(quickCopy(c.paths, source, target, filter)).toBe(false);
      expect(await snapshot(target)).toEqual(before);
      expect(await readdir(outside)).toEqual([]);
    });
  }
});

describe('the fast path inside a running mirror', () => {
  it('lands a small file at once, and the rsync after it fixes the nanoseconds without replacing it', async () => {
    mirror = await startLocalMirror();
    // Written beside the tree and moved in, as editors save: the first event sees it whole.
    await writeFile(join(mirror.source, '../note.txt'), 'saved by an editor');
    await rename(join(mirror.source, '../note.txt'), join(mirror.source, 'note.txt'));
    const landed = join(mirror.target, 'note.txt');
    let inode: number | undefined;
    for (let i = 0; i < 1000 && inode === undefined; i++) {
      inode = await lstat(landed).then((s) => s.ino, () => undefined);
      if (inode === undefined) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await mirror.runner.settled();
    // The oracle compares mtimes to the nanosecond: rsync corrected them in place.
    await waitForConvergence(mirror.source, mirror.target, 10_000);
    expect((await lstat(landed)).ino).toBe(inode);
  });
});

/** Every name below `dir` with its kind, to prove a refused copy touched nothing. */
async function snapshot(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return Promise.all(names.sort().map(async (name) => `${name} ${(await lstat(join(dir, name))).isSymbolicLink() ? 'link' : 'entry'}`));
}
