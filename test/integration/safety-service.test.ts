// The safety layer's API for the app (SafetyService), on real mirrors: which targets wait, on
// what, and the decisions, with clear refusals for requests that do not fit.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncRunner } from '../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner } from '../../src-main/core/transport/process-runner';
import { SafetyRequestError, SafetyService } from '../../src-main/services/safety-service';
import { printLogsOnFailure, startLocalMirror, type LocalMirror } from './support/local-mirror';
import { stateBecomes, testSync } from './support/test-sync';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  cleanups = [];
});

/** A second, healthy target with its own id, as a daemon's second sync{} would be. */
async function healthyRunner(): Promise<{ runner: SyncRunner; target: string }> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-service-'));
  await mkdir(join(base, 'src'));
  await writeFile(join(base, 'src/a'), 'a');
  const runner = new SyncRunner({ id: 'Sync2', config: testSync({ source: join(base, 'src'), target: { kind: 'local', dir: join(base, 'dst') } }), clock: systemClock, runner: spawnRunner });
  await runner.start();
  await runner.settled();
  cleanups.push(async () => {
    await runner.stop();
    await rm(base, { recursive: true, force: true });
  });
  return { runner, target: join(base, 'dst') };
}

async function twoTargets(): Promise<{ waiting: LocalMirror; fine: { target: string }; service: SafetyService }> {
  const waiting = await startLocalMirror({
    prepare: async (s, t) => {
      await writeFile(join(s, 'shared'), 'shared');
      await mkdir(join(t, 'notes'), { recursive: true });
      await writeFile(join(t, 'notes/only-here'), 'written on the target');
    },
  });
  cleanups.push(() => waiting.dispose());
  printLogsOnFailure(waiting);
  const fine = await healthyRunner();
  return { waiting, fine, service: new SafetyService(() => [waiting.runner, fine.runner]) };
}

describe('SafetyService', () => {
  it('lists which target waits for a decision and on what; the other target syncs on', async () => {
    const { waiting, fine, service } = await twoTargets();
    await stateBecomes(waiting, 'awaiting-decision');
    const [first, second] = service.targets();
    expect(first?.state.kind).toBe('awaiting-decision');
    expect(first?.report?.entries.map((entry) => `${entry.risk} ${entry.path}`)).toEqual(['target-only notes', 'target-only notes/only-here']);
    expect(second?.state.kind).toBe('idle');
    expect(second?.report).toBeNull();
    expect(await readFile(join(fine.target, 'a'), 'utf8')).toBe('a');
  });

  it('pulls the waiting target\'s files back into the source and lets it go on', async () => {
    const { waiting, service } = await twoTargets();
    await stateBecomes(waiting, 'awaiting-decision');
    const target = service.targets()[0]!.target;
    expect((await service.decide(target, 'pull')).kind).toBe('ok');
    await waiting.runner.settled();
    expect(waiting.runner.state.kind).toBe('idle');
    expect(await readFile(join(waiting.source, 'notes/only-here'), 'utf8')).toBe('written on the target');
    expect(await readFile(join(waiting.target, 'shared'), 'utf8')).toBe('shared');
  });

  it('refuses what does not fit: an unknown target, an unknown action, a path not in the report, a target not waiting', async () => {
    const { waiting, service } = await twoTargets();
    await stateBecomes(waiting, 'awaiting-decision');
    const [first, second] = service.targets();
    await expect(service.decide('Nope', 'pull')).rejects.toThrow(SafetyRequestError);
    await expect(service.decide(first!.target, 'shred' as never)).rejects.toThrow(/unknown action 'shred'/);
    await expect(service.decide(first!.target, 'delete', ['shared'])).rejects.toThrow(/not in the report/);
    await expect(service.decide(second!.target, 'delete')).rejects.toThrow(/not waiting for a decision \(it is idle\)/);
    // Nothing was touched by the refusals.
    expect(await readFile(join(waiting.target, 'notes/only-here'), 'utf8')).toBe('written on the target');
    expect(waiting.runner.state.kind).toBe('awaiting-decision');
  });

  it('keeps entries by decision and releases them again', async () => {
    const { waiting, service } = await twoTargets();
    await stateBecomes(waiting, 'awaiting-decision');
    const target = service.targets()[0]!.target;
    expect((await service.decide(target, 'keep')).kind).toBe('ok');
    await waiting.runner.settled();
    expect(service.targets()[0]?.kept).toEqual(['notes']);
    expect(waiting.runner.state.kind).toBe('idle');
    expect(service.release(target, 'all')).toBe(1);
    // Released, the entries are target-only again: the resync asks once more, touching nothing.
    await stateBecomes(waiting, 'awaiting-decision');
    expect(await readFile(join(waiting.target, 'notes/only-here'), 'utf8')).toBe('written on the target');
  });
});

describe('SafetyService and the breaker', () => {
  it("lists a held mass delete with the window's deletions, refuses an unknown path, and pull through it restores the whole window while the other target syncs on", async () => {
    const m = await startLocalMirror({
      delaySeconds: 0,
      prepare: async (s) => {
        for (let d = 0; d < 10; d++) for (let f = 0; f < 10; f++) {
          await mkdir(join(s, `d${d}`), { recursive: true });
          await writeFile(join(s, `d${d}/f${f}`), `${d}.${f}`);
        }
      },
    });
    cleanups.push(() => m.dispose());
    printLogsOnFailure(m);
    const fine = await healthyRunner();
    const service = new SafetyService(() => [m.runner, fine.runner]);
    await m.runner.settled();
    // One directory at a time: 9 batches of 11 deletions, none of which alone would trip the breaker.
    for (let d = 0; d < 9; d++) {
      await rm(join(m.source, `d${d}`), { recursive: true });
      await m.runner.settled();
    }
    await stateBecomes(m, 'awaiting-decision');
    const [held, other] = service.targets();
    expect(held!.report!.reason).toBe('mass-delete');
    const entries = held!.report!.entries;
    expect(entries.some((entry) => entry.heldIn?.startsWith('window-'))).toBe(true);
    expect(entries.filter((entry) => entry.atRisk)).toHaveLength(9 * 11);
    expect(other!.report).toBeNull();
    await expect(service.decide(held!.target, 'pull', ['no/such/path'])).rejects.toThrow(/not in the report/);

    expect((await service.decide(held!.target, 'pull')).kind).toBe('ok');
    for (let d = 0; d < 10; d++) expect(await readFile(join(m.source, `d${d}/f9`), 'utf8')).toBe(`${d}.9`);
    await m.runner.settled();
    expect(service.targets()[0]!.report).toBeNull();
  });
});
