// Stopping (TERM) while a target retries: nothing new runs once stop() is called, not even a
// retry that falls due in the same tick, and a transfer that fails after it arms no retry. The
// runner case is the race that was seen: SyncRunner.stop() used to stop the session only after
// the watcher had closed, and a retry falling due in between started a new rsync.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome, Plan } from '../../../src-shared/model/sync';
import { SyncRunner } from '../../../src-main/core/daemon/sync-runner';
import { SyncSession } from '../../../src-main/core/session/session';
import { spawnRunner } from '../../../src-main/core/transport/process-runner';
import type { SafeTransport } from '../../../src-main/core/transport/transport';
import { testSync } from '../../integration/support/test-sync';
import { createFakeClock } from '../queue/fake-clock';
import { flush, plan, scriptedTransport } from './scripted-transport';

const RETRY: Outcome = { kind: 'retry', reason: '/dst/: rsync exited 23 (partial transfer due to error)', code: 23 };

describe('SyncSession.stop() while retrying', () => {
  it('runs nothing when stop() and the retry falling due come in the same tick', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([RETRY]);
    const session = new SyncSession({ id: 't', transport, clock, backoff: { baseMs: 1000, maxMs: 1000 } });
    session.enqueue(plan('a'));
    await flush();
    expect(session.state).toMatchObject({ kind: 'retrying', nextAt: 1000 });
    const stopped = session.stop();
    clock.advance(1000);
    await stopped;
    await flush();
    expect(applied).toHaveLength(1);
    expect(clock.armed()).toBe(0);
    expect(session.pendingPlans).toEqual([plan('a')]);
  });

  it('arms no retry for a transfer that fails after stop() (one ended by TERM), and keeps its plan journaled', async () => {
    const clock = createFakeClock();
    const { transport, applied, holdNext, release } = scriptedTransport([{ kind: 'retry', reason: 'rsync killed by signal SIGTERM' }]);
    const journaled: (readonly Plan[])[] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journaled.push(plans) });
    holdNext();
    session.enqueue(plan('a'));
    await flush();
    const stopped = session.stop();
    release();
    await stopped;
    expect(applied).toHaveLength(1);
    expect(clock.armed()).toBe(0);
    expect(session.state.kind).toBe('syncing');
    expect(session.pendingPlans).toEqual([plan('a')]);
    expect(journaled.at(-1)).toEqual([plan('a')]);
  });

  it('journals a plan queued while stopping (the last batch of the watcher), and never runs it', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([]);
    const journaled: (readonly Plan[])[] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journaled.push(plans) });
    await session.stop();
    session.enqueue(plan('late'));
    session.syncNow();
    session.resume();
    await flush();
    expect(applied).toEqual([]);
    expect(journaled.at(-1)).toEqual([plan('late')]);
  });
});

describe('SyncRunner.stop() as a retry falls due', () => {
  let base: string | undefined;
  afterEach(async () => {
    if (base) await rm(base, { recursive: true, force: true });
    base = undefined;
  });

  /** A target whose every transfer answers with the next outcome (ok when none is left); nothing is at risk on it. */
  function scriptedTarget(outcomes: Outcome[], applied: Plan[]): SafeTransport {
    const ok: Outcome = { kind: 'ok', moved: 0, listed: 0 };
    return {
      description: '/dst/',
      apply: async (p) => {
        applied.push(p);
        return outcomes.shift() ?? ok;
      },
      close: async () => undefined,
      dryRun: async () => ({ deletes: [], overwrites: [], itemized: 1 }),
      statTarget: async () => new Map(),
      pull: async () => ok,
      moveToTrash: async () => ok,
      replaceFromSource: async () => ok,
      isEmpty: async () => true,
      listTrash: async () => [],
      pruneTrash: async () => ok,
      removeTrashStamp: async () => ok,
      restoreFromTrash: async () => ok,
    };
  }

  it('starts no new transfer when the retry falls due while the watcher closes', async () => {
    base = await mkdtemp(join(tmpdir(), 'tidemark-stop-'));
    const clock = createFakeClock();
    const applied: Plan[] = [];
    const runner = new SyncRunner({
      id: 't',
      config: testSync({ source: base, target: { kind: 'local', dir: '/nonexistent-target' } }),
      clock,
      runner: spawnRunner,
      backoff: { baseMs: 1000, maxMs: 1000 },
      rootPollMs: 60_000,
      transport: () => scriptedTarget([RETRY, RETRY], applied),
    });
    await runner.start();
    for (let i = 0; i < 100 && runner.state.kind !== 'retrying'; i++) await flush();
    expect(runner.state).toMatchObject({ kind: 'retrying', attempt: 1 });
    expect(applied).toHaveLength(1);
    // TERM: stop() begins, and the retry falls due before it has finished (the watcher closing).
    const stopped = runner.stop();
    clock.advance(1000);
    await stopped;
    await flush();
    expect(applied).toHaveLength(1);
    expect(clock.armed()).toBe(0);
  });
});
