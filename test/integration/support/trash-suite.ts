// trash = true on a real mirror, local or remote: every delete and overwrite of running sync is
// kept on the target under .tidemark-trash/DAY/, renames over a file keep the file they replace,
// old days are pruned, the trash is never synced or deleted, and restore brings entries back.
import { afterEach, describe, expect, it } from 'vitest';
import { lstat, mkdir, readFile, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dailyTrashDir } from '../../../src-main/core/safety/trash-scripts';
import { waitForConvergence } from '../../fixtures/tree-oracle';
import { printLogsOnFailure, type LocalMirror, type StartMirror } from './local-mirror';

const exists = (path: string) => lstat(path).then(() => true, () => false);
const notTrash = { ignore: (rel: Buffer) => rel.toString('latin1').startsWith('.tidemark-trash') };

export function describeTrash(label: string, startMirror: StartMirror, convergeMs = 15_000): void {
  let mirror: LocalMirror | undefined;
  afterEach(async () => {
    await mirror?.dispose();
    mirror = undefined;
  });

  async function start(prepare: (source: string, target: string) => Promise<void>): Promise<LocalMirror> {
    const m = (mirror = await startMirror({ prepare, safety: { trash: true, trashDays: 7 } }));
    printLogsOnFailure(m);
    return m;
  }

  const today = (m: LocalMirror) => join(m.target, dailyTrashDir(Date.now()));
  const converge = (m: LocalMirror) => waitForConvergence(m.source, m.target, convergeMs, notTrash);

  describe(`${label}: trash = true`, () => {
    it('keeps deleted files and overwritten content in the day\'s trash, and the mirror stays exact', async () => {
      const m = await start(async (s) => {
        await mkdir(join(s, 'docs'));
        await writeFile(join(s, 'docs/report.txt'), 'first draft');
        await writeFile(join(s, 'docs/old.txt'), 'to be deleted');
        await mkdir(join(s, 'build/out'), { recursive: true });
        await writeFile(join(s, 'build/out/a.o'), 'object code');
      });
      await writeFile(join(m.source, 'docs/report.txt'), 'second draft, longer');
      await unlink(join(m.source, 'docs/old.txt'));
      await rm(join(m.source, 'build'), { recursive: true });
      await converge(m);
      expect(await readFile(join(today(m), 'docs/report.txt'), 'utf8')).toBe('first draft');
      expect(await readFile(join(today(m), 'docs/old.txt'), 'utf8')).toBe('to be deleted');
      expect(await readFile(join(today(m), 'build/out/a.o'), 'utf8')).toBe('object code');
      expect(await readFile(join(m.target, 'docs/report.txt'), 'utf8')).toBe('second draft, longer');
      expect(await exists(join(m.target, 'docs/old.txt'))).toBe(false);
    });

    it('keeps the file a rename replaces on the target', async () => {
      const m = await start(async (s) => {
        await writeFile(join(s, 'new.conf'), 'the new settings');
        await writeFile(join(s, 'app.conf'), 'the old settings');
      });
      await rename(join(m.source, 'new.conf'), join(m.source, 'app.conf'));
      await converge(m);
      expect(await readFile(join(m.target, 'app.conf'), 'utf8')).toBe('the new settings');
      expect(await readFile(join(today(m), 'app.conf'), 'utf8')).toBe('the old settings');
    });

    it('prunes trash days older than trashDays when it starts trashing, never syncs or deletes the trash, and restores from it', async () => {
      const m = await start(async (s, t) => {
        await writeFile(join(s, 'keep.txt'), 'v1');
        await mkdir(join(t, '.tidemark-trash/2000-01-01'), { recursive: true });
        await writeFile(join(t, '.tidemark-trash/2000-01-01/ancient'), 'old');
        await utimes(join(t, '.tidemark-trash/2000-01-01'), new Date('2000-01-02'), new Date('2000-01-02'));
        await mkdir(join(t, '.tidemark-trash/recent'), { recursive: true });
        await writeFile(join(t, '.tidemark-trash/recent/still-here'), 'recent');
      });
      await writeFile(join(m.source, 'keep.txt'), 'v2');
      await converge(m);
      // The first trashing run of the day prunes; the prune runs beside it.
      for (let i = 0; i < 100 && (await exists(join(m.target, '.tidemark-trash/2000-01-01'))); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await exists(join(m.target, '.tidemark-trash/2000-01-01'))).toBe(false);
      expect(await readFile(join(m.target, '.tidemark-trash/recent/still-here'), 'utf8')).toBe('recent');
      expect(await exists(join(m.source, '.tidemark-trash'))).toBe(false);
      // A full resync with deletes leaves the trash alone.
      m.runner.release('all');
      await m.runner.settled();
      expect(await readFile(join(today(m), 'keep.txt'), 'utf8')).toBe('v1');
      // Restore the day's copy of keep.txt: the source's newer file is not overwritten...
      const stamp = dailyTrashDir(Date.now()).split('/')[1]!;
      expect((await m.runner.transport.restoreFromTrash(stamp, ['keep.txt'])).kind).toBe('ok');
      expect(await readFile(join(m.source, 'keep.txt'), 'utf8')).toBe('v2');
      // ...while a deleted one comes back.
      await unlink(join(m.source, 'keep.txt'));
      await converge(m);
      expect((await m.runner.transport.restoreFromTrash(stamp, ['keep.txt'])).kind).toBe('ok');
      expect(await readFile(join(m.source, 'keep.txt'), 'utf8')).toBe('v2');
      await converge(m);
      const listed = await m.runner.transport.listTrash();
      expect(Array.isArray(listed) && listed.filter((entry) => entry.stamp === stamp).map((entry) => entry.path)).toEqual(['keep.txt']);
    });
  });
}
