// The mass-delete breaker on a running mirror at its defaults (1,000 entries, 50 %, a 60 s
// window), registered for a local and an rsyncssh target: a slow `rm -rf` trips it whatever the
// delay and a pull restores the whole window; a hold lets everything else flow; what is not a
// mass delete (temporary files, a moved directory) never trips it.
import { describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTrees, formatDifferences, scanTree } from '../../fixtures/tree-oracle';
import { arrives, exists, identity, mirrorNames, put, read, recordStates, sleep, TRASH, type SafetyKit } from './safety-kit';
import { stateBecomes } from './test-sync';

const DIRS = 40;
const FILES = 50;
/** Entries of the slow-delete tree: 40 directories of 50 files each. */
const ENTRIES = DIRS * (FILES + 1);
const REMOVED = 36; // 90 % of the tree

/** 40 directories d01..d40 of 50 small files each. */
async function wideTree(source: string): Promise<void> {
  for (let d = 1; d <= DIRS; d++) {
    for (let f = 1; f <= FILES; f++) await put(source, `d${String(d).padStart(2, '0')}/f${f}`, `${d}/${f}`);
  }
}

/** The mirror's entries on the target (its trash and the breaker's window left out). */
async function mirrored(target: string): Promise<number> {
  return (await scanTree(target, { ignore: (rel) => rel.toString('latin1') === TRASH })).size;
}

async function expectSameTree(a: string, b: string): Promise<void> {
  const diffs = await compareTrees(a, b, { mtime: 'none' });
  expect(diffs, formatDifferences(diffs)).toEqual([]);
}

export function describeBreaker(label: string, kit: SafetyKit): void {
  const { start, converge } = kit;

  describe(`${label}: the breaker over a slow rm -rf (${DIRS} directories of ${FILES} files, one removed every 0.3 s)`, () => {
    // The three run at once: each spends most of its time waiting between two rm -rf.
    for (const delaySeconds of [0, 1, 5]) {
      it.concurrent(`delay = ${delaySeconds}: holds before the target has lost more than the limits allow, names the whole window, and pull restores all of it`, { timeout: 120_000 }, async (test) => {
        const { expect } = test;
        const m = await kit.startConcurrent(test, { prepare: wideTree, delaySeconds });
        await converge(m);
        const original = await mkdtemp(join(tmpdir(), 'tidemark-original-'));
        await cp(m.source, original, { recursive: true, preserveTimestamps: true });
        try {
          for (let d = 1; d <= REMOVED; d++) {
            await rm(join(m.source, `d${String(d).padStart(2, '0')}`), { recursive: true });
            await sleep(300);
          }
          await m.runner.settled();
          const reason = await stateBecomes(m, 'awaiting-decision');
          expect(reason).toMatch(/deletions were held back: .*(maxDeletes = 1000|maxDeletePercent = 50).*Everything else still syncs/);
          // The limits' promise: at most 1,000 entries, and at most half the tree, gone from the mirror.
          const kept = await mirrored(m.target);
          expect(kept).toBeGreaterThanOrEqual(ENTRIES - 1000);
          expect(kept).toBeGreaterThanOrEqual(ENTRIES / 2);
          // The report names every entry removed: those the window already deleted (waiting in its
          // directory of the trash) and those held back.
          const report = m.runner.report!;
          expect(report.reason).toBe('mass-delete');
          expect(report.entries.filter((entry) => entry.atRisk)).toHaveLength(REMOVED * (FILES + 1));
          const inWindow = report.entries.filter((entry) => entry.heldIn !== undefined);
          expect(inWindow.length).toBe(ENTRIES - kept);

          expect((await m.runner.decide('pull')).kind).toBe('ok');
          await expectSameTree(original, m.source);
          await converge(m);
          await stateBecomes(m, 'idle');
          // The window's directory is gone with the decision: the mirror is exact again.
          expect(await exists(m.target, TRASH)).toBe(false);
        } finally {
          await rm(original, { recursive: true, force: true });
        }
      });
    }
  });

  describe(`${label}: a held decision lets everything else through`, () => {
    it('rm -rf of every directory, then a new file: the new file, a change and a rename arrive while the deletions wait; a later delete joins the decision, the new file deleted again goes at once; delete then mirrors it all', async () => {
      const m = await start({
        delaySeconds: 1,
        prepare: async (source) => {
          for (let d = 1; d <= 20; d++) for (let f = 1; f <= 10; f++) await put(source, `dir${d}/file${f}`, `${d}.${f}`);
          await put(source, 'keep.txt', 'kept for now');
          await put(source, 'old-name.txt', 'renamed later');
        },
      });
      await converge(m);
      for (let d = 1; d <= 20; d++) await rm(join(m.source, `dir${d}`), { recursive: true });
      await put(m.source, 'index.html', 'new');
      await stateBecomes(m, 'awaiting-decision');
      await arrives(m, 'index.html', 'new');
      expect(await mirrorNames(m.target)).toHaveLength(23);

      await writeFile(join(m.source, 'keep.txt'), 'changed while held');
      const renamedInode = await identity(m.target, 'old-name.txt');
      await rename(join(m.source, 'old-name.txt'), join(m.source, 'new-name.txt'));
      await arrives(m, 'keep.txt', 'changed while held');
      await arrives(m, 'new-name.txt', 'renamed later');
      expect(await identity(m.target, 'new-name.txt')).toBe(renamedInode);
      expect(m.runner.holding).toMatch(/deletions were held back/);

      // An old file deleted now joins the decision; the new one, deleted again, is net zero and goes.
      await unlink(join(m.source, 'keep.txt'));
      await unlink(join(m.source, 'index.html'));
      await m.runner.settled();
      expect(await read(m.target, 'keep.txt')).toBe('changed while held');
      expect(await exists(m.target, 'index.html')).toBe(false);
      expect(m.runner.report!.entries.map((entry) => entry.path)).toContain('keep.txt');

      expect((await m.runner.decide('delete')).kind).toBe('ok');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await mirrorNames(m.target)).toEqual(['new-name.txt']);
    });
  });

  describe(`${label}: what is not a mass delete`, () => {
    it('200 temporary files created and deleted a second later in a tree of 12 (delay 0) never trip it', async () => {
      const m = await start({ delaySeconds: 0, prepare: async (source) => { for (let i = 0; i < 12; i++) await put(source, `keep${i}`, `${i}`); } });
      await converge(m);
      const states = recordStates(m);
      for (let i = 0; i < 200; i++) await put(m.source, `tmp/t${i}.o`, `object ${i}`);
      await arrives(m, 'tmp/t199.o', 'object 199');
      await sleep(1000);
      await rm(join(m.source, 'tmp'), { recursive: true });
      await converge(m);
      expect(states).not.toContain('awaiting-decision');
      expect((await mirrorNames(m.target)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `keep${i}`).sort());
    });

    it('moving a directory that holds most of the tree (201 of 211 entries) is a rename, not a delete', async () => {
      const m = await start({ delaySeconds: 0, prepare: async (source) => {
        for (let i = 0; i < 200; i++) await put(source, `big/f${i}`, `${i}`);
        for (let i = 0; i < 10; i++) await put(source, `small${i}`, `${i}`);
      } });
      await converge(m);
      const states = recordStates(m);
      const inode = await identity(m.target, 'big/f7');
      await rename(join(m.source, 'big'), join(m.source, 'moved'));
      await converge(m);
      await rename(join(m.source, 'moved'), join(m.source, 'moved-again'));
      await converge(m);
      expect(states).not.toContain('awaiting-decision');
      expect(await identity(m.target, 'moved-again/f7')).toBe(inode);
      expect(await readdir(join(m.target, 'moved-again'))).toHaveLength(200);
    });
  });
}
