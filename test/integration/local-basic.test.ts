import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, rename, rm, writeFile, symlink, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { compareTrees, formatDifferences, waitForConvergence } from '../fixtures/tree-oracle';
import { startLocalMirror, type LocalMirror } from './support/local-mirror';

let mirror: LocalMirror | undefined;
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
});

// default.direct (lsyncd's cp/mv/rm actions) and default.rsync share the local transport:
// renames in place for moves, one rsync per batch for content and deletes.
for (const kind of ['rsync', 'direct'] as const) describe(`local mirror: basics, default.${kind}`, () => {
  it('copies the existing tree at startup and live changes after it', async () => {
    mirror = await startLocalMirror({
      kind,
      prepare: async (source) => {
        await mkdir(join(source, 'a/b'), { recursive: true });
        await writeFile(join(source, 'a/b/one.txt'), 'one');
      },
    });
    expect(formatDifferences(await compareTrees(mirror.source, mirror.target))).toBe('no differences');
    await writeFile(join(mirror.source, 'two.txt'), 'two');
    await mkdir(join(mirror.source, 'new/deep'), { recursive: true });
    await writeFile(join(mirror.source, 'new/deep/three.txt'), 'three');
    await symlink('two.txt', join(mirror.source, 'link'));
    await chmod(join(mirror.source, 'a/b/one.txt'), 0o600);
    await waitForConvergence(mirror.source, mirror.target, 10_000);
  });

  it('sends a directory rename as a rename: the target keeps its inodes', async () => {
    mirror = await startLocalMirror({
      kind,
      prepare: async (source) => {
        await mkdir(join(source, 'dir'), { recursive: true });
        await writeFile(join(source, 'dir/file.bin'), Buffer.alloc(100_000, 7));
      },
    });
    const { stat } = await import('node:fs/promises');
    const before = (await stat(join(mirror.target, 'dir/file.bin'))).ino;
    await rename(join(mirror.source, 'dir'), join(mirror.source, 'renamed'));
    await waitForConvergence(mirror.source, mirror.target, 10_000);
    expect((await stat(join(mirror.target, 'renamed/file.bin'))).ino).toBe(before);
  });

  it('deletes what the source deletes', async () => {
    mirror = await startLocalMirror({
      kind,
      prepare: async (source) => {
        await mkdir(join(source, 'gone/deeper'), { recursive: true });
        await writeFile(join(source, 'gone/deeper/x'), 'x');
        await writeFile(join(source, 'keep'), 'k');
      },
    });
    await rm(join(mirror.source, 'gone'), { recursive: true });
    await waitForConvergence(mirror.source, mirror.target, 10_000);
  });
});

describe('local mirror: a full sync split across several rsyncs', () => {
  /** Top-level dirs, nested dirs, top-level files, and target-only entries at every level. */
  async function prepare(source: string, target: string): Promise<void> {
    for (const dir of ['a', 'b', 'c', 'd', 'e']) {
      await mkdir(join(source, dir, 'deep'), { recursive: true });
      await writeFile(join(source, dir, 'deep/file'), `in ${dir}`);
    }
    await writeFile(join(source, 'top.txt'), 'top');
    await chmod(source, 0o750);
    await mkdir(join(target, 'stale-dir/inner'), { recursive: true });
    await writeFile(join(target, 'stale-dir/inner/x'), 'target only');
    await writeFile(join(target, 'stale-top'), 'target only');
    await mkdir(join(target, 'c/deep/stale-nested'), { recursive: true });
  }

  it("mirrors everything, root attributes included, and with delete = true and reconcile = 'delete' (lsyncd's behaviour) removes target-only entries at every level", async () => {
    mirror = await startLocalMirror({ prepare, delete: true, safety: { reconcile: 'delete' } });
    expect(formatDifferences(await compareTrees(mirror.source, mirror.target))).toBe('no differences');
    const { stat } = await import('node:fs/promises');
    expect((await stat(mirror.target)).mode & 0o777).toBe(0o750);
  });

  it('with delete = false keeps target-only entries at every level', async () => {
    mirror = await startLocalMirror({ prepare, delete: false });
    const { lstat } = await import('node:fs/promises');
    for (const kept of ['stale-dir/inner/x', 'stale-top', 'c/deep/stale-nested']) {
      await expect(lstat(join(mirror.target, kept))).resolves.toBeTruthy();
    }
    const differences = await compareTrees(mirror.source, mirror.target);
    expect(differences.map((d) => `${d.kind} ${d.path}`).sort()).toEqual(['extra c/deep/stale-nested', 'extra stale-dir', 'extra stale-dir/inner', 'extra stale-dir/inner/x', 'extra stale-top']);
  });
});
