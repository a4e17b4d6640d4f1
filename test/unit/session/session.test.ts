import { describe, expect, it } from 'vitest';
import type { Outcome, StatusEvent } from '../../../src-shared/model/sync';
import { SyncSession } from '../../../src-main/core/session/session';
import { backoffDelay } from '../../../src-main/core/session/backoff';
import { createFakeClock } from '../queue/fake-clock';
import { flush, plan, scriptedTransport, throwingTransport } from './scripted-transport';


describe('backoffDelay', () => {
  const cases = [
    { attempt: 1, expected: 1000 },
    { attempt: 2, expected: 2000 },
    { attempt: 4, expected: 8000 },
    { attempt: 7, expected: 60_000 },
    { attempt: 50, expected: 60_000 },
  ];
  for (const { attempt, expected } of cases) {
    it(`attempt ${attempt} waits ${expected} ms`, () => expect(backoffDelay(attempt, { baseMs: 1000, maxMs: 60_000 })).toBe(expected));
  }
});

describe('SyncSession', () => {
  it('runs a plan and goes idle, emitting one event per transition', async () => {
    const clock = createFakeClock(100);
    const { transport, applied } = scriptedTransport([]);
    const session = new SyncSession({ id: 't1', transport, clock });
    const events: StatusEvent[] = [];
    session.onStatus((e) => events.push(e));
    session.enqueue(plan('a'));
    await session.whenIdle();
    expect(applied).toEqual([plan('a')]);
    expect(events.map((e) => `${e.from.kind}->${e.to.kind}`)).toEqual(['starting->syncing', 'syncing->idle']);
    expect(events.every((e) => e.target === 't1' && e.at === 100)).toBe(true);
  });

  it('coalesces plans queued during a transfer into exactly one follow-up run', async () => {
    const clock = createFakeClock();
    const { transport, applied, holdNext, release } = scriptedTransport([]);
    const session = new SyncSession({ id: 't', transport, clock });
    holdNext();
    session.enqueue(plan('a'));
    await flush();
    session.enqueue(plan('b'));
    session.enqueue(plan('c', 'b/x'));
    release();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['b', 'c']]);
  });

  it('retries a failed plan with exponential backoff, ahead of newer work, and loses nothing', async () => {
    const clock = createFakeClock();
    const retry: Outcome = { kind: 'retry', reason: 'host down', code: 255 };
    const { transport, applied } = scriptedTransport([retry, retry]);
    const session = new SyncSession({ id: 't', transport, clock, backoff: { baseMs: 1000, maxMs: 60_000 } });
    session.enqueue(plan('a'));
    await flush();
    expect(session.state).toMatchObject({ kind: 'retrying', attempt: 1, nextAt: 1000 });
    session.enqueue(plan('b'));
    clock.advance(999);
    await flush();
    expect(applied).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(session.state).toMatchObject({ kind: 'retrying', attempt: 2, nextAt: 3000 });
    clock.advance(2000);
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a', 'b'], ['a', 'b']]);
    expect(session.state.kind).toBe('idle');
  });

  it('halts on a halt outcome, keeps the plan, and runs it after resume()', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([{ kind: 'halt', reason: 'host key changed' }]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await session.whenIdle();
    expect(session.state).toEqual({ kind: 'halted', reason: 'host key changed' });
    session.enqueue(plan('b'));
    await flush();
    expect(applied).toHaveLength(1);
    session.resume();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a', 'b']]);
  });

  it('holds work while paused and ships it on resume', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.pause();
    expect(session.state.kind).toBe('paused');
    session.enqueue(plan('a'));
    await flush();
    expect(applied).toHaveLength(0);
    session.resume();
    await session.whenIdle();
    expect(applied).toHaveLength(1);
  });

  it('syncNow skips the backoff wait', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([{ kind: 'retry', reason: 'x' }]);
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await flush();
    session.syncNow();
    await session.whenIdle();
    expect(applied).toHaveLength(2);
  });

  it('treats a transport that throws as a retry, never a crash', async () => {
    const clock = createFakeClock();
    const transport = throwingTransport;
    const session = new SyncSession({ id: 't', transport, clock });
    session.enqueue(plan('a'));
    await flush();
    expect(session.state).toMatchObject({ kind: 'retrying', reason: expect.stringContaining('EIO') });
  });
});

describe('SyncSession while the breaker holds deletions', () => {
  it('settles in awaiting-decision, yet runs every plan that comes; once the hold ends, resume() settles it idle', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([]);
    let held: string | null = 'the deletions were held back: test';
    const session = new SyncSession({ id: 't', transport, clock, holding: () => held });
    const kinds: string[] = [];
    session.onStatus((e) => kinds.push(e.to.kind));
    session.enqueue(plan('a'));
    await session.whenIdle();
    expect(session.state).toEqual({ kind: 'awaiting-decision', reason: 'the deletions were held back: test' });
    session.enqueue(plan('b'));
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['b']]);
    expect(kinds).toEqual(['syncing', 'awaiting-decision', 'syncing', 'awaiting-decision']);
    held = null;
    session.resume();
    expect(session.state.kind).toBe('idle');
  });

  it('a decision the startup check waits for still stops everything (no hold): nothing runs until resume()', async () => {
    const clock = createFakeClock();
    const { transport, applied } = scriptedTransport([{ kind: 'decide', reason: 'target-only files' }]);
    const session = new SyncSession({ id: 't', transport, clock, holding: () => null });
    session.enqueue(plan('a'));
    await session.whenIdle();
    expect(session.state.kind).toBe('awaiting-decision');
    session.enqueue(plan('b'));
    await flush();
    expect(applied).toHaveLength(1);
    session.resume();
    await session.whenIdle();
    expect(applied.map((p) => p.sync)).toEqual([['a'], ['a', 'b']]);
  });
});
