import { describe, expect, it } from 'vitest';
import type { Outcome, Plan, StatusEvent } from '../../../src-shared/model/sync';
import { SyncSession, type SessionLog } from '../../../src-main/core/session/session';
import { createFakeClock } from '../queue/fake-clock';
import { flush, plan, scriptedTransport, throwingTransport } from './scripted-transport';

const DECIDE: Outcome = { kind: 'decide', reason: '/dst/: 3 entries only on the target (12 B) that the sync would delete: a decision is needed' };

describe('SyncSession: a decision awaited', () => {
  it('holds the plan, waits in awaiting-decision, and whenIdle() resolves', async () => {
    const clock = createFakeClock(5);
    const { transport, applied } = scriptedTransport([DECIDE]);
    const logs: Parameters<SessionLog>[] = [];
    const session = new SyncSession({ id: 't', transport, clock, log: (...line) => logs.push(line) });
    const events: StatusEvent[] = [];
    session.onStatus((e) => events.push(e));
    session.enqueue(plan('a'));
    await session.whenIdle();
    expect(applied).toEqual([plan('a')]);
    expect(session.state).toEqual({ kind: 'awaiting-decision', reason: DECIDE.reason });
    expect(session.pendingPlans).toEqual([plan('a')]);
    expect(events.map((e) => `${e.from.kind}->${e.to.kind}`)).toEqual(['starting->syncing', 'syncing->awaiting-decision']);
    // The log line drops the transport's own "/dst/: " prefix from the reason.
    expect(logs).toEqual([['Error', '/dst/: waiting for a decision: 3 entries only on the target (12 B) that the sync would delete: a decision is needed']]);
  });

  it('runs nothing new while awaiting, then resume() runs the held plan merged with the new ones', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([DECIDE]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.enqueue(plan('b'));
    session.enqueue(plan('c'));
    session.syncNow();
    await flush();
    clock.advance(3_600_000);
    await flush();
    expect(applied).toHaveLength(1);
    expect(session.state.kind).toBe('awaiting-decision');
    expect(session.pendingPlans).toEqual([plan('a'), plan('b'), plan('c')]);
    session.resume();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a', 'b', 'c']]);
    expect(session.state).toEqual({ kind: 'idle', lastSyncAt: 3_600_000 });
    expect(session.pendingPlans).toEqual([]);
  });

  it('asks again when the re-run still needs a decision', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([DECIDE, { kind: 'decide', reason: 'still' }]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.resume();
    await session.whenIdle();
    expect(applied).toHaveLength(2);
    expect(session.state).toEqual({ kind: 'awaiting-decision', reason: 'still' });
    expect(session.pendingPlans).toEqual([plan('a')]);
  });

  it('pause() while awaiting shows paused; resume() then re-runs the held plan (the transport checks it again)', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([DECIDE]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.pause();
    expect(session.state.kind).toBe('paused');
    session.resume();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a']]);
    expect(session.state.kind).toBe('idle');
  });

  it('resume() does nothing on an idle session', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.resume();
    await flush();
    expect(applied).toHaveLength(1);
    expect(session.state.kind).toBe('idle');
  });
});

describe('SyncSession: the journal (onUnshipped)', () => {
  it('reports the queue on enqueue, queued + in flight during a run, and [] after an ok run', async () => {
    const clock = createFakeClock();
    const { transport, holdNext, release } = scriptedTransport([]);
    const journal: Plan[][] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journal.push([...plans]) });
    holdNext();
    session.enqueue(plan('a'));
    await flush();
    session.enqueue(plan('b'));
    release();
    await session.whenIdle();
    expect(journal).toEqual([
      [plan('a')], // enqueued
      [plan('a'), plan('b')], // a in flight, b queued
      [plan('b')], // a shipped
      [], // b shipped
    ]);
  });

  it('keeps a failed plan listed until it ships', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([{ kind: 'retry', reason: 'host down' }]);
    const journal: Plan[][] = [];
    const session = new SyncSession({ id: 't', transport, clock, backoff: { baseMs: 1000, maxMs: 1000 }, onUnshipped: (plans) => journal.push([...plans]) });
    session.enqueue(plan('a'));
    await flush();
    expect(session.state.kind).toBe('retrying');
    expect(journal.at(-1)).toEqual([plan('a')]);
    session.enqueue(plan('b'));
    expect(journal.at(-1)).toEqual([plan('a'), plan('b')]);
    clock.advance(1000);
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a', 'b']]);
    expect(journal.at(-1)).toEqual([]);
  });

  it('keeps a plan that awaits a decision, or halted, listed', async () => {
    for (const outcome of [DECIDE, { kind: 'halt', reason: 'host key changed' } as Outcome]) {
      const clock = createFakeClock();
      const { transport } = scriptedTransport([outcome]);
      const journal: Plan[][] = [];
      const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journal.push([...plans]) });
      session.enqueue(plan('a'));
      await session.whenIdle();
      expect(journal.at(-1)).toEqual([plan('a')]);
      session.enqueue(plan('b'));
      expect(journal.at(-1)).toEqual([plan('a'), plan('b')]);
    }
  });

  it('lists a plan that throws as unshipped', async () => {
    const clock = createFakeClock();
    const transport = throwingTransport;
    const journal: Plan[][] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journal.push([...plans]) });
    session.enqueue(plan('a'));
    await flush();
    expect(session.state.kind).toBe('retrying');
    expect(journal.at(-1)).toEqual([plan('a')]);
  });
});

describe('SyncSession: replaceQueue', () => {
  it('replaces what a decision held, and resume() runs only the replacement', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([DECIDE]);
    const journal: Plan[][] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journal.push([...plans]) });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.enqueue(plan('b'));
    const full: Plan = { moves: [], sync: [], deletes: [], allowDelete: false, full: true };
    session.replaceQueue([full]);
    expect(session.pendingPlans).toEqual([full]);
    expect(journal.at(-1)).toEqual([full]);
    session.resume();
    await session.whenIdle();
    expect(applied).toEqual([plan('a'), full]);
    expect(journal.at(-1)).toEqual([]);
  });

  it('replaces a halted queue', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([{ kind: 'halt', reason: 'root gone' }]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.replaceQueue([plan('x'), plan('y')]);
    expect(session.pendingPlans).toEqual([plan('x'), plan('y')]);
    session.resume();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['x', 'y']]);
  });

  it('with no plans empties the queue and the journal', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([DECIDE]);
    const journal: Plan[][] = [];
    const session = new SyncSession({ id: 't', transport, clock, onUnshipped: (plans) => journal.push([...plans]) });
    session.enqueue(plan('a'));
    await session.whenIdle();
    session.replaceQueue([]);
    expect(session.pendingPlans).toEqual([]);
    expect(journal.at(-1)).toEqual([]);
    session.resume();
    await session.whenIdle();
    expect(applied).toHaveLength(1);
    expect(session.state.kind).toBe('idle');
  });

  it('copies the array it is given', () => {
    const clock = createFakeClock();
    const { transport } = scriptedTransport([]);
    const session = new SyncSession({ id: 't', transport, clock });
    const plans = [plan('a')];
    session.replaceQueue(plans);
    plans.push(plan('b'));
    expect(session.pendingPlans).toEqual([plan('a')]);
  });
});
