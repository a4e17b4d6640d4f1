// The safety layer's guards on a running mirror, registered by describeSafety (safety-suite.ts):
// the source root guard (removed, moved away and back, replaced), the "emptied" guard and the
// mass-delete breaker, and the replay of the journal of plans not shipped before a stop.
import { describe, expect, it } from 'vitest';
import { mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Move, PathChange } from '../../../src-shared/model/sync';
import { compileFilters } from '../../../src-main/core/plan/filter';
import { planBatch } from '../../../src-main/core/plan/planner';
import type { LocalMirror } from './local-mirror';
import { exists, identity, mirrorNames, put, read, reasonBecomes, recordStates, rows, sleep, snapshot, type SafetyKit } from './safety-kit';
import { stateBecomes } from './test-sync';

/** top.txt and d/ with five files and a subdirectory. */
async function smallTree(source: string): Promise<void> {
  await put(source, 'top.txt', 'top');
  for (let i = 1; i <= 5; i++) await put(source, `d/f${i}`, `d/f${i}`);
  await put(source, 'd/sub/g', 'g');
}

/**
 * The breaker judges one batch. With delay = 0 every event ships at once, so the first unlinks
 * of a burst would go before the rest arrive; a delay gathers the burst into one batch, as any
 * real config's delay (lsyncd's default is 15 s) does.
 */
const BATCH_DELAY = 1;

const name = (i: number) => `f${String(i).padStart(3, '0')}`;

/** `count` files at the root, or below `dir`: f001, f002, ... holding `file <n>`. */
function flatTree(count: number, dir = ''): (source: string) => Promise<void> {
  return async (source) => {
    for (let i = 1; i <= count; i++) await put(source, join(dir, name(i)), `file ${i}`);
  };
}

async function deleteFiles(root: string, dir: string, from: number, to: number): Promise<void> {
  for (let i = from; i <= to; i++) await unlink(join(root, dir, name(i)));
}

async function countFiles(root: string, dir: string): Promise<number> {
  return (await readdir(join(root, dir))).length;
}

export function describeLiveSafety(label: string, kit: SafetyKit, renames: 'rename' | 'transfer' = 'rename'): void {
  const { start, restart, converge } = kit;

  /** A mirrored smallTree and the target's snapshot once converged. */
  async function mirroredSmallTree(): Promise<{ m: LocalMirror; before: string[] }> {
    const m = await start({ prepare: smallTree });
    await converge(m);
    return { m, before: await snapshot(m.target) };
  }

  describe(`${label}: the source root guard`, () => {
    it('a source root removed by rm -rf halts the target, which stays byte-identical a second later', async () => {
      const { m, before } = await mirroredSmallTree();
      await rm(m.source, { recursive: true });
      expect(await stateBecomes(m, 'halted')).toMatch(/source root/);
      expect(await snapshot(m.target)).toEqual(before);
      await sleep(1200);
      expect(m.runner.state.kind).toBe('halted');
      expect(await snapshot(m.target)).toEqual(before);
    });

    it('a source root moved away halts the target; moved back, the same directory resumes by itself, converges and syncs later changes', async () => {
      const { m, before } = await mirroredSmallTree();
      const away = `${m.source}-away`;
      await rename(m.source, away);
      expect(await stateBecomes(m, 'halted')).toMatch(/source root/);
      await put(away, 'while-away.txt', 'written while away');
      await sleep(200);
      expect(m.runner.state.kind).toBe('halted');
      expect(await snapshot(m.target)).toEqual(before);

      await rename(away, m.source);
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await read(m.target, 'while-away.txt')).toBe('written while away');
      await put(m.source, 'd/sub/after.txt', 'after');
      await unlink(join(m.source, 'top.txt'));
      await converge(m);
      expect(await read(m.target, 'd/sub/after.txt')).toBe('after');
      expect(await exists(m.target, 'top.txt')).toBe(false);
    });

    it('a source root replaced by a new directory stays halted; resume() mirrors the new one by a checked full sync, which asks before deleting', async () => {
      const { m, before } = await mirroredSmallTree();
      await rm(m.source, { recursive: true });
      await stateBecomes(m, 'halted');
      await mkdir(m.source);
      await put(m.source, 'new.txt', 'the new source');
      await reasonBecomes(m, 'halted', /replaced/);
      await sleep(1200); // longer than a root poll: the new directory is not taken by itself
      expect(m.runner.state).toMatchObject({ kind: 'halted', reason: expect.stringMatching(/source root.*replaced/) });
      expect(await snapshot(m.target)).toEqual(before);

      m.runner.resume();
      await stateBecomes(m, 'awaiting-decision');
      expect(m.runner.report!.reason).toBe('startup');
      expect(rows(m).map(([path, risk]) => `${path} ${risk}`)).toEqual([
        'd target-only', 'd/f1 target-only', 'd/f2 target-only', 'd/f3 target-only', 'd/f4 target-only', 'd/f5 target-only',
        'd/sub target-only', 'd/sub/g target-only', 'top.txt target-only',
      ]);
      expect(await snapshot(m.target)).toEqual(before);
      expect((await m.runner.decide('delete')).kind).toBe('ok');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await mirrorNames(m.target)).toEqual(['new.txt']);
      expect(await read(m.target, 'new.txt')).toBe('the new source');
    });
  });

  describe(`${label}: the emptied guard`, () => {
    it('deleting all 20 files of the source (one rm each) waits for a decision with nothing deleted; delete then empties the target', async () => {
      const m = await start({ prepare: flatTree(20), delaySeconds: BATCH_DELAY });
      await converge(m);
      const before = await snapshot(m.target);
      await deleteFiles(m.source, '', 1, 20);
      await stateBecomes(m, 'awaiting-decision');
      expect(m.runner.report!.reason).toBe('mass-delete');
      expect(rows(m)).toEqual(Array.from({ length: 20 }, (_, i) => [name(i + 1), 'deleted-in-source', 'file', `file ${i + 1}`.length, true]));
      expect(m.runner.report!.atRisk).toBe(20);
      expect(await snapshot(m.target)).toEqual(before);
      expect(await readdir(m.source)).toEqual([]);

      expect((await m.runner.decide('delete')).kind).toBe('ok');
      await converge(m);
      expect(await mirrorNames(m.target)).toEqual([]);
    });

    it('deleting the last 9 files of the source goes through without asking (below the floor of 10)', async () => {
      const m = await start({ prepare: flatTree(9), delaySeconds: BATCH_DELAY });
      await converge(m);
      const states = recordStates(m);
      await deleteFiles(m.source, '', 1, 9);
      await converge(m);
      expect(await mirrorNames(m.target)).toEqual([]);
      expect(states).not.toContain('awaiting-decision');
    });
  });

  describe(`${label}: the mass-delete breaker`, () => {
    it('maxDeletes = 10: deleting 30 of 100 files waits with nothing deleted; pull restores them in the source, and deleted again, delete lets them go', async () => {
      const m = await start({ prepare: flatTree(100, 'many'), delaySeconds: BATCH_DELAY, safety: { maxDeletes: 10 } });
      await converge(m);
      const before = await snapshot(m.target);
      await deleteFiles(m.source, 'many', 1, 30);
      expect(await stateBecomes(m, 'awaiting-decision')).toMatch(/maxDeletes = 10/);
      expect(m.runner.report!.reason).toBe('mass-delete');
      expect(rows(m)).toEqual(Array.from({ length: 30 }, (_, i) => [`many/${name(i + 1)}`, 'deleted-in-source', 'file', `file ${i + 1}`.length, true]));
      expect(await snapshot(m.target)).toEqual(before);

      expect((await m.runner.decide('pull')).kind).toBe('ok');
      await converge(m);
      expect(await countFiles(m.source, 'many')).toBe(100);
      for (const i of [1, 15, 30]) {
        expect(await read(m.source, `many/${name(i)}`)).toBe(`file ${i}`);
        expect(await read(m.target, `many/${name(i)}`)).toBe(`file ${i}`);
      }

      await deleteFiles(m.source, 'many', 1, 30);
      await stateBecomes(m, 'awaiting-decision');
      expect(m.runner.report!.atRisk).toBe(30);
      expect(await countFiles(m.target, 'many')).toBe(100);
      expect((await m.runner.decide('delete')).kind).toBe('ok');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await countFiles(m.target, 'many')).toBe(70);
      expect(await exists(m.target, `many/${name(30)}`)).toBe(false);
      expect(await read(m.target, `many/${name(31)}`)).toBe('file 31');
    });

    it('with the default maxDeletePercent (50), deleting 80 of 100 files waits; keep leaves them on the target', async () => {
      const m = await start({ prepare: flatTree(100, 'many'), delaySeconds: BATCH_DELAY });
      await converge(m);
      await deleteFiles(m.source, 'many', 1, 80);
      expect(await stateBecomes(m, 'awaiting-decision')).toMatch(/maxDeletePercent = 50/);
      expect(m.runner.report!.atRisk).toBe(80);
      expect(await countFiles(m.target, 'many')).toBe(100);

      expect((await m.runner.decide('keep')).kind).toBe('ok');
      await m.runner.settled();
      await stateBecomes(m, 'idle');
      expect(m.runner.kept).toHaveLength(80);
      expect(await countFiles(m.source, 'many')).toBe(20);
      expect(await countFiles(m.target, 'many')).toBe(100);
      expect(await read(m.target, `many/${name(1)}`)).toBe('file 1');
    });

    it('with maxDeletes = false and maxDeletePercent = false, deleting 80 of 100 files (which the defaults hold back) just goes through', async () => {
      const m = await start({ prepare: flatTree(100, 'many'), delaySeconds: BATCH_DELAY, safety: { maxDeletes: false, maxDeletePercent: false } });
      await converge(m);
      const states = recordStates(m);
      await deleteFiles(m.source, 'many', 1, 80);
      await converge(m);
      expect(await countFiles(m.target, 'many')).toBe(20);
      expect(states).not.toContain('awaiting-decision');
    });
  });

  describe(`${label}: the journal`, () => {
    it("replays plans not shipped before a stop: the journaled delete counts as the user's own (nothing asked) and the journaled dir rename stays a rename", async () => {
      const first = await start({
        prepare: async (source) => {
          await put(source, 'keep.txt', 'keep');
          await put(source, 'gone.txt', 'gone');
          await put(source, 'd1/f1', 'f1');
          await put(source, 'd1/sub/g', 'g');
        },
      });
      await converge(first);
      const dirBefore = await identity(first.target, 'd1');
      const fileBefore = await identity(first.target, 'd1/sub/g');
      // The two batches the watcher would have made of these changes, had the runner seen them.
      // The first replays alone; the second waits behind it and merges with the startup's full
      // sync, whose check (a dry run made before the renames) must count gone.txt and d1 as the
      // user's own deletes, not as entries only on the target.
      const plan = (changes: [string, PathChange][], moves: Move[]) =>
        planBatch(
          { changes: new Map(changes), moves, resync: [], eventCount: changes.length, firstAt: Date.now(), firedAt: Date.now() },
          { deleteMode: true, filter: compileFilters([]), maxListedPaths: 50_000 },
        );
      const plans = [
        plan([['new.txt', 'create']], []),
        plan([['gone.txt', 'delete'], ['d1', 'delete'], ['d2', 'create']], [{ from: 'd1', to: 'd2', entry: 'dir' }]),
      ];
      expect(plans).toMatchObject([
        { sync: ['new.txt'], deletes: [], allowDelete: true, full: false },
        { sync: ['d1', 'd2', 'gone.txt'], deletes: ['d1', 'gone.txt'], landed: ['d2'], allowDelete: true, full: false },
      ]);
      const journal = join(first.stateDir!, 'journal.json');

      const m = await restart(first, async (source) => {
        await put(source, 'new.txt', 'new');
        await unlink(join(source, 'gone.txt'));
        await rename(join(source, 'd1'), join(source, 'd2'));
        await writeFile(journal, JSON.stringify({ version: 1, plans }));
      });
      expect(m.runner.state.kind).toBe('idle');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await exists(m.target, 'gone.txt')).toBe(false);
      expect(await exists(m.target, 'd1')).toBe(false);
      if (renames === 'rename') {
        expect(await identity(m.target, 'd2')).toBe(dirBefore);
        expect(await identity(m.target, 'd2/sub/g')).toBe(fileBefore);
      }
      expect(await read(m.target, 'd2/f1')).toBe('f1');
      expect(await read(m.target, 'new.txt')).toBe('new');
      // The journal is written at most every 100 ms: it goes soon after the last batch ships.
      for (let i = 0; i < 40 && (await exists(m.stateDir!, 'journal.json')); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await exists(m.stateDir!, 'journal.json')).toBe(false);
    });
  });
}
