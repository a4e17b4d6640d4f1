// The safety layer (issue 6) against a real SyncRunner: real inotify, real rsync, a target that
// is local or across the loopback sshd (the caller's mirror factory decides). This file holds
// the startup check and the four decisions on it; safety-live-suite.ts holds the guards of a
// running mirror (the source root, the mass-delete breaker) and the journal's replay.
// The restart case is the one lsyncd gets wrong: a daemon started again on a target where
// someone wrote files deletes them at once (delete = true); here it asks first.
import { describe, expect, it } from 'vitest';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalMirror, StartMirror, SuiteMirrorOptions } from './local-mirror';
import { describeLiveSafety } from './safety-live-suite';
import { arrives, exists, expectMtime, HOUR, mirrorNames, put, read, rows, safetyKit, snapshot, T0, TRASH, TRASH_STAMP, withoutTrash } from './safety-kit';
import { stateBecomes } from './test-sync';

export interface SafetySettings {
  /** How long the trees may take to become equal after each step (default 15 s). */
  readonly convergeMs?: number;
  /** How much later than the truth a target's reported mtime may be (an rsync daemon's listing has whole seconds: 999). */
  readonly targetMtimeSlackMs?: number;
  /** Whether a rename is made on the target (keeping inodes), or sent as a transfer plus a delete (an rsync daemon). */
  readonly renames?: 'rename' | 'transfer';
}

const NOTES = 'written on the target';
const DEEP = 'deep on the target';
const TARGET_EDIT = 'edited on the target';

/** The source of every startup case: a.txt, sub/b.txt, newer.txt, older.txt, all at T0. */
async function sourceTree(source: string): Promise<void> {
  await put(source, 'a.txt', 'a', T0);
  await put(source, 'sub/b.txt', 'b', T0);
  await put(source, 'newer.txt', 'source v1', T0);
  await put(source, 'older.txt', 'source current', T0);
}

/** What someone did on the target while the daemon was down (any subset). */
interface TargetEdits {
  /** notes.txt and extra/deep.txt, only on the target. */
  readonly targetOnly?: boolean;
  /** newer.txt rewritten there an hour after the source's copy. */
  readonly newer?: boolean;
  /** older.txt rewritten there with an mtime an hour before the source's copy. */
  readonly older?: boolean;
}

async function editTarget(target: string, edits: TargetEdits): Promise<void> {
  if (edits.targetOnly) {
    await put(target, 'notes.txt', NOTES, T0 + 100.25);
    await put(target, 'extra/deep.txt', DEEP, T0 + 200.5);
  }
  if (edits.newer) await put(target, 'newer.txt', TARGET_EDIT, T0 + HOUR);
  if (edits.older) await put(target, 'older.txt', 'stale target copy', T0 - HOUR);
}

/**
 * Registers the safety cases as `${label}: <group>` tests, each against a mirror from
 * `startMirror` (which must offer restart). Call it once per test file, at the top level.
 */
export function describeSafety(label: string, startMirror: StartMirror, settings: SafetySettings = {}): void {
  const kit = safetyKit(startMirror, settings.convergeMs ?? 15_000);
  const { start, restart, converge } = kit;

  /** A mirrored sourceTree, then a restart after `edits` on the target; the target as it was then. */
  async function restartAfter(edits: TargetEdits, options: SuiteMirrorOptions = {}): Promise<{ m: LocalMirror; before: string[] }> {
    const first = await start({ ...options, prepare: sourceTree });
    await converge(first);
    let before: string[] = [];
    const m = await restart(first, async (_, target) => {
      await editTarget(target, edits);
      before = await snapshot(target);
    });
    return { m, before };
  }

  describe(`${label}: the startup check (reconcile = 'ask')`, () => {
    it('a restart with delete = true finds files written only on the target (one in a target-only dir), reports them with size and mtime and touches nothing; pull puts them on both sides', async () => {
      const { m, before } = await restartAfter({ targetOnly: true });
      await stateBecomes(m, 'awaiting-decision');
      const report = m.runner.report!;
      expect(report.reason).toBe('startup');
      expect(rows(m)).toEqual([
        ['extra', 'target-only', 'dir', 0, true],
        ['extra/deep.txt', 'target-only', 'file', DEEP.length, true],
        ['notes.txt', 'target-only', 'file', NOTES.length, true],
      ]);
      expectMtime(m, 'notes.txt', T0 + 100.25, 'target', settings.targetMtimeSlackMs);
      expectMtime(m, 'extra/deep.txt', T0 + 200.5, 'target', settings.targetMtimeSlackMs);
      expect(report.groups).toEqual([{ dir: 'extra', count: 2, bytes: DEEP.length }, { dir: '', count: 1, bytes: NOTES.length }]);
      expect([report.atRisk, report.updates]).toEqual([3, 0]);
      expect(await snapshot(m.target)).toEqual(before);
      expect(await exists(m.source, 'notes.txt')).toBe(false);

      expect((await m.runner.decide('pull')).kind).toBe('ok');
      await converge(m);
      await stateBecomes(m, 'idle');
      for (const root of [m.source, m.target]) {
        expect(await read(root, 'notes.txt')).toBe(NOTES);
        expect(await read(root, 'extra/deep.txt')).toBe(DEEP);
        expect(await read(root, 'a.txt')).toBe('a');
      }
      expect(m.runner.report).toBeNull();
      // The mirror runs on as usual.
      await put(m.source, 'extra/later.txt', 'later');
      await converge(m);
      expect(await read(m.target, 'extra/later.txt')).toBe('later');
    });

    it('reports a file newer on the target (not an older one, which is a plain update) and overwrites neither until decided', async () => {
      const { m, before } = await restartAfter({ newer: true, older: true });
      await stateBecomes(m, 'awaiting-decision');
      const report = m.runner.report!;
      expect(report.entries).toHaveLength(1);
      expect(report.entries[0]).toMatchObject({ path: 'newer.txt', risk: 'newer-on-target', entry: 'file', size: TARGET_EDIT.length, sourceSize: 'source v1'.length, atRisk: true });
      expectMtime(m, 'newer.txt', T0 + HOUR, 'target', settings.targetMtimeSlackMs);
      expectMtime(m, 'newer.txt', T0, 'source');
      expect([report.atRisk, report.updates]).toEqual([1, 1]);
      expect(await snapshot(m.target)).toEqual(before);
      expect(await read(m.target, 'older.txt')).toBe('stale target copy');
    });

    it("keep leaves the newer target copy alone, across a later source edit and a restart; release('all') lets the source's version arrive", async () => {
      const { m: asked } = await restartAfter({ newer: true, older: true });
      await stateBecomes(asked, 'awaiting-decision');
      expect((await asked.runner.decide('keep')).kind).toBe('ok');
      await asked.runner.settled();
      await stateBecomes(asked, 'idle');
      expect(asked.runner.kept).toEqual(['newer.txt']);
      expect(await read(asked.target, 'newer.txt')).toBe(TARGET_EDIT);
      expect(await read(asked.target, 'older.txt')).toBe('source current');

      // The decision is persisted: a restart neither asks again nor touches the kept file.
      const m = await restart(asked);
      expect(m.runner.state.kind).toBe('idle');
      expect(m.runner.kept).toEqual(['newer.txt']);
      await put(m.source, 'newer.txt', 'source v2');
      await put(m.source, 'probe.txt', 'probe');
      await arrives(m, 'probe.txt', 'probe'); // written after newer.txt: that batch has run
      await m.runner.settled();
      expect(await read(m.target, 'newer.txt')).toBe(TARGET_EDIT);

      expect(m.runner.release('all')).toBe(1);
      expect(m.runner.kept).toEqual([]);
      await converge(m);
      expect(await read(m.target, 'newer.txt')).toBe('source v2');
      await stateBecomes(m, 'idle');
    });

    it('trash moves target-only and newer entries into .tidemark-trash/<stamp>/ with their content; the mirror converges and later full syncs leave the trash alone', async () => {
      const { m: asked } = await restartAfter({ targetOnly: true, newer: true });
      await stateBecomes(asked, 'awaiting-decision');
      expect(asked.runner.report!.atRisk).toBe(4);
      expect((await asked.runner.decide('trash')).kind).toBe('ok');
      await converge(asked, withoutTrash);
      await stateBecomes(asked, 'idle');
      const stamps = await readdir(join(asked.target, TRASH));
      expect(stamps).toHaveLength(1);
      expect(stamps[0]).toMatch(TRASH_STAMP);
      const bin = join(asked.target, TRASH, stamps[0]!);
      expect(await read(bin, 'notes.txt')).toBe(NOTES);
      expect(await read(bin, 'extra/deep.txt')).toBe(DEEP);
      expect(await read(bin, 'newer.txt')).toBe(TARGET_EDIT);
      expect(await exists(asked.target, 'notes.txt')).toBe(false);
      expect(await exists(asked.target, 'extra')).toBe(false);
      expect(await read(asked.target, 'newer.txt')).toBe('source v1');
      expect(await exists(asked.source, 'notes.txt')).toBe(false);
      const trash = await snapshot(join(asked.target, TRASH));

      // A restart's full sync with delete = true, then live deletes: the trash stays as it was.
      const m = await restart(asked);
      expect(m.runner.state.kind).toBe('idle');
      await put(m.source, 'c.txt', 'c');
      await converge(m, withoutTrash);
      await unlink(join(m.source, 'a.txt'));
      await converge(m, withoutTrash);
      expect(await exists(m.target, 'a.txt')).toBe(false);
      // The live delete of a.txt waits in the breaker's window (window-STAMP) for a minute; the decided trash is untouched.
      expect((await snapshot(join(m.target, TRASH))).filter((line) => !line.startsWith('window-'))).toEqual(trash);
    });

    it('delete removes target-only entries and overwrites newer ones; deciding one path leaves the target awaiting a decision on the rest', async () => {
      const { m } = await restartAfter({ targetOnly: true, newer: true });
      await stateBecomes(m, 'awaiting-decision');
      expect((await m.runner.decide('delete', ['notes.txt'])).kind).toBe('ok');
      await stateBecomes(m, 'awaiting-decision');
      expect(rows(m)).toEqual([
        ['extra', 'target-only', 'dir', 0, true],
        ['extra/deep.txt', 'target-only', 'file', DEEP.length, true],
        ['newer.txt', 'newer-on-target', 'file', TARGET_EDIT.length, true],
      ]);
      expect(await exists(m.target, 'notes.txt')).toBe(false);
      expect(await read(m.target, 'extra/deep.txt')).toBe(DEEP);
      expect(await read(m.target, 'newer.txt')).toBe(TARGET_EDIT);

      expect((await m.runner.decide('delete')).kind).toBe('ok');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await exists(m.target, 'extra')).toBe(false);
      expect(await read(m.target, 'newer.txt')).toBe('source v1');
      expect(await read(m.source, 'newer.txt')).toBe('source v1');
      expect(await exists(m.source, 'notes.txt')).toBe(false);
    });

    it("with delete = 'running' the startup does not delete: target-only files are listed as safe, nothing is asked, and they stay", async () => {
      const { m } = await restartAfter({ targetOnly: true }, { delete: 'running' });
      await m.runner.settled();
      await stateBecomes(m, 'idle');
      expect(await read(m.target, 'notes.txt')).toBe(NOTES);
      expect(await read(m.target, 'extra/deep.txt')).toBe(DEEP);
      expect(await exists(m.source, 'notes.txt')).toBe(false);
    });
  });

  describe(`${label}: reconcile decided in the config`, () => {
    const prepare = async (source: string, target: string) => {
      await sourceTree(source);
      await sourceTree(target);
      await editTarget(target, { targetOnly: true, newer: true, older: true });
    };

    it("reconcile = 'pull' pulls target-only and newer target files into the source at startup, without asking", async () => {
      const m = await start({ prepare, safety: { reconcile: 'pull' } });
      expect(m.runner.state.kind).not.toBe('awaiting-decision');
      await converge(m);
      await stateBecomes(m, 'idle');
      for (const root of [m.source, m.target]) {
        expect(await read(root, 'notes.txt')).toBe(NOTES);
        expect(await read(root, 'extra/deep.txt')).toBe(DEEP);
        expect(await read(root, 'newer.txt')).toBe(TARGET_EDIT);
        expect(await read(root, 'older.txt')).toBe('source current');
      }
    });

    it("reconcile = 'delete' is lsyncd's startup: target-only files deleted, newer ones overwritten, without asking", async () => {
      const m = await start({ prepare, safety: { reconcile: 'delete' } });
      expect(m.runner.state.kind).not.toBe('awaiting-decision');
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await exists(m.target, 'notes.txt')).toBe(false);
      expect(await exists(m.target, 'extra')).toBe(false);
      expect(await read(m.target, 'newer.txt')).toBe('source v1');
      expect(await read(m.target, 'older.txt')).toBe('source current');
    });

    it("reconcile = 'delete' with an empty source empties the target at startup", async () => {
      const m = await start({ prepare: (_, target) => editTarget(target, { targetOnly: true }), safety: { reconcile: 'delete' } });
      await converge(m);
      await stateBecomes(m, 'idle');
      expect(await mirrorNames(m.target)).toEqual([]);
      expect(await readdir(m.source)).toEqual([]);
    });
  });

  describeLiveSafety(label, kit, settings.renames ?? 'rename');
}
