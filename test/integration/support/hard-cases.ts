// The hard cases of LSYNCD.md ("Hard cases a replacement must get right", and the bugs not to
// copy), each against a real SyncRunner: real watcher, real rsync, real temp directories, and a
// target that is local or across the loopback sshd (the caller's mirror factory decides).
// Every case mutates the source with plain fs calls after the mirror is up, waits for the
// oracle to call the trees equal, and then probes the touched directories once more: a write
// and a delete there must converge too, which catches a watch or an index entry left stale.
// The identity checks (inode and birth time) hold on both kinds of target: a rename is made
// there as a rename (rename(2) locally, `mv -T` over ssh), never as a fresh copy.
import { afterEach, describe, expect, it } from 'vitest';
import { chmod, link, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeleteMode } from '../../../src-main/core/config/model';
import { waitForConvergence, type CompareOptions } from '../../fixtures/tree-oracle';
import { printLogsOnFailure, type LocalMirror, type StartMirror } from './local-mirror';
import { stateBecomes } from './test-sync';

export interface HardCasesSettings {
  /** How long the trees may take to become equal after each step (default 15 s). */
  readonly convergeMs?: number;
}

const exists = (path: string) => lstat(path).then(() => true, () => false);
/**
 * An entry's identity on disk: its inode and its birth time. The inode number alone proves
 * nothing, because ext4 hands a freed number out again at once: a file deleted on the target and
 * sent afresh often gets the number of the one it replaced. A rename keeps both.
 */
async function identity(path: string): Promise<string> {
  const st = await lstat(path, { bigint: true });
  return `inode ${st.ino} born ${st.birthtimeNs}`;
}

/** Every entry below `dir` with its content (files) or target (links), to prove it untouched. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, name);
    const st = await lstat(path);
    if (st.isFile()) out.push(`${name} file ${st.ino} ${await readFile(path, 'utf8')}`);
    else if (st.isSymbolicLink()) out.push(`${name} -> ${await readlink(path)}`);
    else out.push(`${name} ${st.isDirectory() ? 'dir' : 'other'} ${st.ino}`);
  }
  return out;
}

async function fill(dir: string, count: number, prefix = 'f'): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 1; i <= count; i++) await writeFile(join(dir, `${prefix}${i}`), `${prefix}${i} in ${dir}`);
}

/** A file in an outside directory that anyone may overwrite: a write through a link would land. */
async function writePrecious(outside: string): Promise<void> {
  await writeFile(join(outside, 'precious'), 'must stay');
  await chmod(join(outside, 'precious'), 0o666);
}

/**
 * Registers every hard case as `${label}: <group>` tests, each against a mirror from
 * `startMirror`. Call it once per test file, at the top level (it registers an afterEach).
 */
export function describeHardCases(label: string, startMirror: StartMirror, settings: HardCasesSettings = {}): void {
  const convergeMs = settings.convergeMs ?? 15_000;
  let mirror: LocalMirror | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await mirror?.dispose();
    mirror = undefined;
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  const start: StartMirror = async (options = {}) => {
    mirror = await startMirror(options);
    printLogsOnFailure(mirror);
    return mirror;
  };

  /**
   * The trees become equal, the daemon runs out of work, and they are still equal: a late
   * transfer that undoes the result, or a pending one that the next step would race with, fails.
   */
  async function converge(m: LocalMirror, options: CompareOptions = {}): Promise<void> {
    await waitForConvergence(m.source, m.target, convergeMs, options);
    await m.runner.settled();
    await waitForConvergence(m.source, m.target, convergeMs, options);
  }

  /** A write, then a delete, in `dir` (relative): each must reach the target. */
  async function probe(m: LocalMirror, dir = '', options: CompareOptions = {}): Promise<void> {
    const file = join(m.source, dir, 'probe.txt');
    await writeFile(file, `probe of ${dir || '.'}`);
    await converge(m, options);
    await expect(readFile(join(m.target, dir, 'probe.txt'), 'utf8')).resolves.toBe(`probe of ${dir || '.'}`);
    await unlink(file);
    await converge(m, options);
  }

  /**
   * A scratch directory outside the mirrored tree, removed after the test. World-writable, so
   * that a remote target's unprivileged user could write through a link into it as well.
   */
  async function outsideDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-outside-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await chmod(dir, 0o777);
    return dir;
  }

  describe(`${label}: rename chains and swaps`, () => {
    it('follows a chain of file renames a -> b -> c', async () => {
      const m = await start({ prepare: (s) => writeFile(join(s, 'a'), 'chained') });
      const before = await identity(join(m.target, 'a'));
      await rename(join(m.source, 'a'), join(m.source, 'b'));
      await rename(join(m.source, 'b'), join(m.source, 'c'));
      await converge(m);
      // A chain of renames is still a rename on the target, not a re-send.
      expect(await identity(join(m.target, 'c'))).toBe(before);
      await probe(m);
    });

    it('follows a chain of directory renames d1 -> d2 -> d3, and one with pauses in between', async () => {
      const m = await start({
        prepare: async (s) => {
          await fill(join(s, 'd1/sub'), 5);
          await fill(join(s, 'p1'), 3);
        },
      });
      const before = await identity(join(m.target, 'd1/sub/f1'));
      await rename(join(m.source, 'd1'), join(m.source, 'd2'));
      await rename(join(m.source, 'd2'), join(m.source, 'd3'));
      await converge(m);
      expect(await identity(join(m.target, 'd3/sub/f1'))).toBe(before);
      for (const [from, to] of [['p1', 'p2'], ['p2', 'p3'], ['p3', 'p4']] as const) {
        await rename(join(m.source, from), join(m.source, to));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      await converge(m);
      await probe(m, 'd3/sub');
      await probe(m, 'p4');
    });

    it('swaps two files through a temporary name', async () => {
      const m = await start({
        prepare: async (s) => {
          await writeFile(join(s, 'a'), 'content of a');
          await writeFile(join(s, 'b'), 'content of b, longer');
        },
      });
      await rename(join(m.source, 'a'), join(m.source, 't'));
      await rename(join(m.source, 'b'), join(m.source, 'a'));
      await rename(join(m.source, 't'), join(m.source, 'b'));
      await converge(m);
      expect(await readFile(join(m.target, 'a'), 'utf8')).toBe('content of b, longer');
      expect(await exists(join(m.target, 't'))).toBe(false);
      await probe(m);
    });

    it('swaps two directories through a temporary name', async () => {
      const m = await start({
        prepare: async (s) => {
          await fill(join(s, 'a/inner'), 4, 'a');
          await fill(join(s, 'b'), 6, 'b');
        },
      });
      await rename(join(m.source, 'a'), join(m.source, 't'));
      await rename(join(m.source, 'b'), join(m.source, 'a'));
      await rename(join(m.source, 't'), join(m.source, 'b'));
      await converge(m);
      // The swapped directories are watched under their new names.
      await probe(m, 'a');
      await probe(m, 'b/inner');
    });

    it('swaps two directories with pauses, so each rename is its own batch', async () => {
      const m = await start({
        prepare: async (s) => {
          await fill(join(s, 'a'), 3, 'a');
          await fill(join(s, 'b'), 3, 'b');
        },
      });
      const idA = await identity(join(m.target, 'a/a1'));
      for (const [from, to] of [['a', 't'], ['b', 'a'], ['t', 'b']] as const) {
        await rename(join(m.source, from), join(m.source, to));
        await converge(m);
      }
      expect(await identity(join(m.target, 'b/a1'))).toBe(idA);
      await probe(m, 'a');
      await probe(m, 'b');
    });
  });

  describe(`${label}: renaming directories`, () => {
    it('mirrors a directory renamed right after it was created and filled (no stray copies)', async () => {
      const m = await start();
      await mkdir(join(m.source, 'd'));
      for (let i = 1; i <= 20; i++) await writeFile(join(m.source, `d/f${i}`), `file ${i}`);
      await rename(join(m.source, 'd'), join(m.source, 'e'));
      await converge(m);
      expect(await exists(join(m.target, 'd'))).toBe(false);
      expect((await readdir(join(m.target, 'e'))).length).toBe(20);
      await probe(m, 'e');
      // Every file is known under its new name: deleting them all empties the target too.
      for (let i = 1; i <= 20; i++) await unlink(join(m.source, `e/f${i}`));
      await converge(m);
    });

    it('mirrors a synced directory that is filled further and renamed at once (LSYNCD.md bug 4)', async () => {
      const m = await start();
      await fill(join(m.source, 'd/sub'), 5);
      await converge(m);
      const before = await identity(join(m.target, 'd/sub/f1'));
      await fill(join(m.source, 'd/sub'), 10, 'g');
      await mkdir(join(m.source, 'd/new/deeper'), { recursive: true });
      await writeFile(join(m.source, 'd/new/deeper/x'), 'x');
      await rename(join(m.source, 'd'), join(m.source, 'e'));
      await writeFile(join(m.source, 'e/sub/after-rename'), 'written after the rename');
      await converge(m);
      expect(await identity(join(m.target, 'e/sub/f1'))).toBe(before);
      await probe(m, 'e/sub');
      await probe(m, 'e/new/deeper');
      await rm(join(m.source, 'e/sub/after-rename'));
      await rm(join(m.source, 'e/sub/g3'));
      await converge(m);
    });

    it('writes into a directory in the same instant it is renamed, and deletes what was written', async () => {
      const m = await start({ prepare: (s) => fill(join(s, 'd'), 3) });
      await rename(join(m.source, 'd'), join(m.source, 'e'));
      await Promise.all([1, 2, 3, 4, 5].map((i) => writeFile(join(m.source, `e/w${i}`), `w${i}`)));
      await converge(m);
      for (let i = 1; i <= 5; i++) await unlink(join(m.source, `e/w${i}`));
      await converge(m);
    });

    it('renames a file over an existing file', async () => {
      const m = await start({
        prepare: async (s) => {
          await writeFile(join(s, 'new'), 'the new content');
          await writeFile(join(s, 'old'), 'old');
        },
      });
      const before = await identity(join(m.target, 'new'));
      await rename(join(m.source, 'new'), join(m.source, 'old'));
      await converge(m);
      expect(await readFile(join(m.target, 'old'), 'utf8')).toBe('the new content');
      expect(await identity(join(m.target, 'old'))).toBe(before);
      await probe(m);
    });

    it('renames a directory over an existing empty directory without nesting it (LSYNCD.md bug 3)', async () => {
      const m = await start({
        prepare: async (s) => {
          await fill(join(s, 'd/sub'), 3);
          await mkdir(join(s, 'e'));
        },
      });
      const before = await identity(join(m.target, 'd/sub/f1'));
      await rename(join(m.source, 'd'), join(m.source, 'e'));
      await converge(m);
      expect(await exists(join(m.target, 'e/d'))).toBe(false);
      expect(await exists(join(m.target, 'd'))).toBe(false);
      expect(await identity(join(m.target, 'e/sub/f1'))).toBe(before);
      await probe(m, 'e');
      await probe(m, 'e/sub');
    });

    it('renames a file over a symlink to an outside directory: the link is replaced, never written through', async () => {
      const outside = await outsideDir();
      await writePrecious(outside);
      const m = await start({
        prepare: async (s) => {
          await symlink(outside, join(s, 'link'));
          await writeFile(join(s, 'f'), 'replaces the link');
        },
      });
      expect((await readlink(join(m.target, 'link')))).toBe(outside);
      const untouched = await snapshot(outside);
      await rename(join(m.source, 'f'), join(m.source, 'link'));
      await converge(m);
      expect((await lstat(join(m.target, 'link'))).isFile()).toBe(true);
      expect(await readFile(join(m.target, 'link'), 'utf8')).toBe('replaces the link');
      expect(await snapshot(outside)).toEqual(untouched);
      await probe(m);
    });

    it('replaces a symlink to an outside directory by a real directory without writing through it', async () => {
      const outside = await outsideDir();
      await writePrecious(outside);
      const m = await start({ prepare: (s) => symlink(outside, join(s, 'link')) });
      const untouched = await snapshot(outside);
      await unlink(join(m.source, 'link'));
      await mkdir(join(m.source, 'link'));
      await writeFile(join(m.source, 'link/precious'), 'overwritten?');
      await writeFile(join(m.source, 'link/new'), 'new');
      await converge(m);
      expect((await lstat(join(m.target, 'link'))).isDirectory()).toBe(true);
      expect(await snapshot(outside)).toEqual(untouched);
      await probe(m, 'link');
      expect(await snapshot(outside)).toEqual(untouched);
    });

    it('moves entries out of and into a directory that replaced a symlink to an outside directory, never through the link', async () => {
      const outside = await outsideDir();
      await writePrecious(outside);
      await mkdir(join(outside, 'd'));
      await chmod(join(outside, 'd'), 0o777);
      // A batch delay of 1 s puts the replacement and the moves in one batch, so the target still
      // has the link when the renames are made.
      const m = await start({
        delaySeconds: 1,
        prepare: async (s) => {
          await symlink(outside, join(s, 'link'));
          await fill(join(s, 'moving'), 2);
        },
      });
      const untouched = await snapshot(outside);
      await unlink(join(m.source, 'link'));
      await mkdir(join(m.source, 'link'));
      // Long enough for the new directory to be watched, so its renames are seen as renames.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writeFile(join(m.source, 'link/precious'), 'mine');
      await mkdir(join(m.source, 'link/d'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await rename(join(m.source, 'link/precious'), join(m.source, 'g'));
      await rename(join(m.source, 'link/d'), join(m.source, 'd2'));
      await rename(join(m.source, 'moving'), join(m.source, 'link/moved'));
      await converge(m);
      expect((await lstat(join(m.target, 'link'))).isDirectory()).toBe(true);
      expect(await snapshot(outside)).toEqual(untouched);
      await probe(m, 'link/moved');
    });
  });

  describe(`${label}: a name deleted and re-created as another type`, () => {
    const cases: { description: string; before: (path: string) => Promise<void>; after: (path: string) => Promise<void>; probeDir?: boolean }[] = [
      {
        description: 'file -> dir',
        before: (p) => writeFile(p, 'a file first'),
        after: async (p) => {
          await unlink(p);
          await fill(p, 3);
        },
        probeDir: true,
      },
      {
        description: 'dir -> file',
        before: (p) => fill(join(p, 'sub'), 3),
        after: async (p) => {
          await rm(p, { recursive: true });
          await writeFile(p, 'a file now');
        },
      },
      {
        description: 'file -> symlink',
        before: (p) => writeFile(p, 'a file first'),
        after: async (p) => {
          await unlink(p);
          await symlink('elsewhere', p);
        },
      },
      {
        description: 'symlink -> dir',
        before: (p) => symlink('.', p),
        after: async (p) => {
          await unlink(p);
          await fill(p, 2);
        },
        probeDir: true,
      },
      {
        description: 'dir -> symlink',
        before: (p) => fill(p, 2),
        after: async (p) => {
          await rm(p, { recursive: true });
          await symlink('/', p);
        },
      },
      {
        description: 'symlink -> file',
        before: (p) => symlink('x', p),
        after: async (p) => {
          await unlink(p);
          await writeFile(p, 'file');
        },
      },
    ];

    for (const c of cases) {
      it(`${c.description}, live and after a startup sync`, async () => {
        const m = await start({ prepare: (s) => c.before(join(s, 'synced')) });
        // 'fresh' is created and changed type while the mirror runs; 'synced' existed at startup.
        await c.before(join(m.source, 'fresh'));
        await converge(m);
        await c.after(join(m.source, 'synced'));
        await c.after(join(m.source, 'fresh'));
        await converge(m);
        // And the same change made before the first sync of the name could even run.
        await c.before(join(m.source, 'quick'));
        await c.after(join(m.source, 'quick'));
        await converge(m);
        if (c.probeDir) {
          await probe(m, 'synced');
          await probe(m, 'quick');
        } else {
          await probe(m);
        }
      });
    }
  });

  describe(`${label}: content and attributes`, () => {
    it('keeps up with an editor saving atomically 50 times (write a temp file, rename it over)', async () => {
      const m = await start({ prepare: (s) => writeFile(join(s, 'doc.txt'), 'version 0') });
      for (let i = 1; i <= 50; i++) {
        await writeFile(join(m.source, '.doc.txt.swp'), `version ${i} `.repeat(i));
        await rename(join(m.source, '.doc.txt.swp'), join(m.source, 'doc.txt'));
      }
      await converge(m);
      expect(await readFile(join(m.target, 'doc.txt'), 'utf8')).toBe('version 50 '.repeat(50));
      expect(await exists(join(m.target, '.doc.txt.swp'))).toBe(false);
      await probe(m);
    });

    it('ships permission-only changes of files and directories', async () => {
      const m = await start({
        prepare: async (s) => {
          await writeFile(join(s, 'f'), 'same content');
          await chmod(join(s, 'f'), 0o644);
          await fill(join(s, 'd'), 1);
          await chmod(join(s, 'd'), 0o755);
        },
      });
      await chmod(join(m.source, 'f'), 0o600);
      await chmod(join(m.source, 'd'), 0o700);
      await chmod(join(m.source, 'd/f1'), 0o751);
      await converge(m);
      expect((await stat(join(m.target, 'f'))).mode & 0o7777).toBe(0o600);
      expect((await stat(join(m.target, 'd'))).mode & 0o7777).toBe(0o700);
      expect((await stat(join(m.target, 'd/f1'))).mode & 0o7777).toBe(0o751);
      await chmod(join(m.source, 'f'), 0o640);
      await converge(m);
      expect((await stat(join(m.target, 'f'))).mode & 0o7777).toBe(0o640);
    });

    it('copies symlinks of every kind as links', async () => {
      const outside = await outsideDir();
      const m = await start({ prepare: (s) => fill(join(s, 'dir'), 1) });
      const links: [string, string][] = [
        ['relative', 'dir/f1'],
        ['relative-up', '../src/dir'],
        ['absolute', join(m.source, 'dir/f1')],
        ['dangling', 'does/not/exist'],
        ['outside', outside],
        ['to-dir', 'dir'],
        ['dir/to-parent', '..'],
        ['self', 'self'],
      ];
      for (const [name, to] of links) await symlink(to, join(m.source, name));
      await converge(m);
      for (const [name, to] of links) expect(await readlink(join(m.target, name))).toBe(to);
      // Retargeting a link: rename a new link over it.
      await symlink('dir', join(m.source, 'tmp-link'));
      await rename(join(m.source, 'tmp-link'), join(m.source, 'dangling'));
      await converge(m);
      expect(await readlink(join(m.target, 'dangling'))).toBe('dir');
      expect(await readdir(outside)).toEqual([]);
    });

    it('ships the last content of a file rewritten every 10 ms for 2 s', async () => {
      const m = await start({ prepare: (s) => writeFile(join(s, 'busy'), '') });
      const until = Date.now() + 2000;
      let last = '';
      for (let i = 0; Date.now() < until; i++) {
        last = `write ${i} `.repeat(1 + (i % 7));
        await writeFile(join(m.source, 'busy'), last);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await converge(m);
      expect(await readFile(join(m.target, 'busy'), 'utf8')).toBe(last);
    });

    it('deletes 1,000 files at once (rm -rf of their directory, and 1,000 single unlinks) once the mass-delete breaker is answered', async () => {
      const m = await start({
        prepare: async (s) => {
          for (const dir of ['tree', 'flat']) {
            await mkdir(join(s, dir));
            await Promise.all(Array.from({ length: 1000 }, (_, i) => writeFile(join(s, dir, `file-${i}`), `${i}`)));
          }
        },
      });
      expect((await readdir(join(m.target, 'flat'))).length).toBe(1000);
      await rm(join(m.source, 'tree'), { recursive: true });
      await Promise.all(Array.from({ length: 1000 }, (_, i) => unlink(join(m.source, 'flat', `file-${i}`))));
      // 1,001 deletions in one batch are more than maxDeletes (1,000) allows: nothing goes until asked.
      await stateBecomes(m, 'awaiting-decision');
      expect(m.runner.report?.reason).toBe('mass-delete');
      expect((await readdir(join(m.target, 'tree'))).length).toBe(1000);
      // Approving deletes what was held back; a later batch of the same run may ask again.
      for (let asked = 0; m.runner.state.kind === 'awaiting-decision' && asked < 5; asked++) {
        expect((await m.runner.decide('delete')).kind).toBe('ok');
        await m.runner.settled();
      }
      await converge(m);
      expect(await exists(join(m.target, 'tree'))).toBe(false);
      expect(await readdir(join(m.target, 'flat'))).toEqual([]);
      await probe(m, 'flat');
    });

    it('turns an excluded name into an included one and back (x.tmp -> x -> x.tmp)', async () => {
      const ignoreTmp = { ignore: (rel: Buffer) => rel.toString('latin1').endsWith('.tmp') };
      const m = await start({ filters: [{ action: '-', pattern: '*.tmp' }] });
      await writeFile(join(m.source, 'x.tmp'), 'scratch');
      await converge(m, ignoreTmp);
      await m.runner.settled();
      expect(await exists(join(m.target, 'x.tmp'))).toBe(false);
      await rename(join(m.source, 'x.tmp'), join(m.source, 'x'));
      await converge(m, ignoreTmp);
      expect(await readFile(join(m.target, 'x'), 'utf8')).toBe('scratch');
      expect(await exists(join(m.target, 'x.tmp'))).toBe(false);
      await rename(join(m.source, 'x'), join(m.source, 'x.tmp'));
      await converge(m, ignoreTmp);
      await m.runner.settled();
      expect(await exists(join(m.target, 'x'))).toBe(false);
      expect(await exists(join(m.target, 'x.tmp'))).toBe(false);
      // A directory of the same kind: excluded names stay out below it too.
      await mkdir(join(m.source, 'work.tmp'));
      await writeFile(join(m.source, 'work.tmp/a'), 'a');
      await rename(join(m.source, 'work.tmp'), join(m.source, 'work'));
      await writeFile(join(m.source, 'work/b.tmp'), 'b');
      await converge(m, ignoreTmp);
      await m.runner.settled();
      expect(await readdir(join(m.target, 'work'))).toEqual(['a']);
      await rename(join(m.source, 'work'), join(m.source, 'work.tmp'));
      await converge(m, ignoreTmp);
      await m.runner.settled();
      expect((await readdir(m.target)).filter((name) => name !== '.tidemark-trash')).toEqual([]);
    });

    it('copies both names of a hard link, and follows changes through either', async () => {
      const m = await start({ prepare: (s) => writeFile(join(s, 'one'), 'shared inode') });
      await link(join(m.source, 'one'), join(m.source, 'two'));
      await converge(m);
      await writeFile(join(m.source, 'two'), 'changed through two');
      await converge(m);
      expect(await readFile(join(m.target, 'one'), 'utf8')).toBe('changed through two');
      await link(join(m.source, 'two'), join(m.source, 'three'));
      await unlink(join(m.source, 'one'));
      await converge(m);
      // Both remaining names deleted in one go.
      await unlink(join(m.source, 'two'));
      await unlink(join(m.source, 'three'));
      await converge(m);
      expect((await readdir(m.target)).filter((name) => name !== '.tidemark-trash')).toEqual([]);
    });
  });

  describe(`${label}: the four delete modes (reconcile = 'delete', as lsyncd)`, () => {
    /** Source and target share 'shared' and 'dir/gone'; the target alone has 'target-only'. */
    async function startWith(mode: DeleteMode): Promise<LocalMirror> {
      return start({
        delete: mode,
        // lsyncd's behaviour, chosen explicitly: the safe default asks first (the safety suite).
        safety: { reconcile: 'delete' },
        prepare: async (s, t) => {
          await fill(join(s, 'dir'), 2);
          await writeFile(join(s, 'shared'), 'shared');
          await writeFile(join(s, 'dir/gone'), 'to be deleted');
          await mkdir(join(t, 'dir'), { recursive: true });
          await writeFile(join(t, 'target-only'), 'only on the target');
          await writeFile(join(t, 'dir/target-only'), 'only on the target');
        },
      });
    }

    /** Deletes 'dir/gone' and renames 'dir', then waits until a later write has arrived. */
    async function mutate(m: LocalMirror, keep: string[]): Promise<void> {
      await unlink(join(m.source, 'dir/gone'));
      await writeFile(join(m.source, 'dir/f1'), 'changed');
      await rename(join(m.source, 'dir/f2'), join(m.source, 'dir/f2-renamed'));
      await writeFile(join(m.source, 'marker'), 'written last');
      const ignore = (rel: Buffer) => keep.some((k) => rel.toString('latin1') === k);
      await converge(m, { ignore });
      await m.runner.settled();
    }

    const startupCases: { mode: DeleteMode; startupDeletes: boolean; liveDeletes: boolean }[] = [
      { mode: false, startupDeletes: false, liveDeletes: false },
      { mode: 'running', startupDeletes: false, liveDeletes: true },
      { mode: 'startup', startupDeletes: true, liveDeletes: false },
      { mode: true, startupDeletes: true, liveDeletes: true },
    ];
    for (const { mode, startupDeletes, liveDeletes } of startupCases) {
      it(`delete = ${JSON.stringify(mode)}: ${startupDeletes ? 'deletes' : 'keeps'} target-only files at startup, ${liveDeletes ? 'deletes' : 'keeps'} live`, async () => {
        const m = await startWith(mode);
        expect(await exists(join(m.target, 'target-only'))).toBe(!startupDeletes);
        expect(await exists(join(m.target, 'dir/target-only'))).toBe(!startupDeletes);
        const kept = [
          ...(startupDeletes ? [] : ['target-only', 'dir/target-only']),
          ...(liveDeletes ? [] : ['dir/gone', 'dir/f2']),
        ];
        await mutate(m, kept);
        expect(await exists(join(m.target, 'dir/gone'))).toBe(!liveDeletes);
        expect(await exists(join(m.target, 'dir/f2'))).toBe(!liveDeletes);
        expect(await readFile(join(m.target, 'dir/f2-renamed'), 'utf8')).toBe('f2 in ' + join(m.source, 'dir'));
        expect(await exists(join(m.target, 'target-only'))).toBe(!startupDeletes);
        // Live deletes never touch target-only files outside what changed.
        await rm(join(m.source, 'dir'), { recursive: true });
        await writeFile(join(m.source, 'marker'), 'written last, again');
        await converge(m, { ignore: (rel) => [...kept, 'dir', 'dir/f1', 'dir/f2-renamed'].includes(rel.toString('latin1')) });
        await m.runner.settled();
        expect(await exists(join(m.target, 'dir'))).toBe(!liveDeletes);
        expect(await exists(join(m.target, 'target-only'))).toBe(!startupDeletes);
      });
    }
  });
}
