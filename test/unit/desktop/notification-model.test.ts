import { describe, expect, it } from 'vitest';
import type { TargetStatus } from '../../../src-shared/model/status';
import { DEFAULT_APP_SETTINGS } from '../../../src-shared/model/app-settings';
import { NotificationModel, type AppNotification, type HostKeyChange, type NotificationSwitches } from '../../../src-main/services/desktop/notification-model';
import { states, target } from './fixtures';

type Step = { at: number; view: readonly TargetStatus[] } | { at: number; hostKey: HostKeyChange } | { at: number; switches: NotificationSwitches };

const MIN = 60_000;
const allOn = DEFAULT_APP_SETTINGS.notifications;

/**
 * Plays steps into a NotificationModel as the adapter would (flushing at every nextFlushAt that
 * falls before the next step, and until `until`), and lists what was shown, when.
 */
function play(steps: readonly Step[], until: number, switches: NotificationSwitches = allOn): { at: number; shown: AppNotification }[] {
  const model = new NotificationModel(switches);
  const log: { at: number; shown: AppNotification }[] = [];
  const flushUpTo = (time: number) => {
    for (let due = model.nextFlushAt; due !== null && due <= time; due = model.nextFlushAt) {
      for (const shown of model.flush(due)) log.push({ at: due, shown });
    }
  };
  for (const step of steps) {
    flushUpTo(step.at);
    if ('view' in step) for (const shown of model.observe(step.view, step.at)) log.push({ at: step.at, shown });
    else if ('hostKey' in step) for (const shown of model.hostKeyChanged(step.hostKey, step.at)) log.push({ at: step.at, shown });
    else model.setSwitches(step.switches);
  }
  flushUpTo(until);
  return log;
}

/** The log as `at kind title` lines, what a table row can state. */
function lines(log: readonly { at: number; shown: AppNotification }[]): string[] {
  return log.map(({ at, shown }) => `${at} ${shown.kind} ${shown.title}`);
}

const web = (state: TargetStatus['state'], extra: Partial<TargetStatus> = {}) => target('web:1', state, extra);
const db = (state: TargetStatus['state'], extra: Partial<TargetStatus> = {}) => target('db:1', state, extra);

describe('notification kinds', () => {
  const cases: { description: string; steps: Step[]; until?: number; switches?: NotificationSwitches; expected: string[] }[] = [
    { description: 'quiet while all is well', steps: [{ at: 0, view: [web(states.starting)] }, { at: 10, view: [web(states.syncing)] }, { at: 20, view: [web(states.idle)] }], expected: [] },
    { description: 'a halt', steps: [{ at: 0, view: [web(states.idle)] }, { at: 1000, view: [web(states.halted)] }, { at: 2000, view: [web(states.halted)] }], expected: ['1000 halt web:1 halted'] },
    { description: 'a target first seen halted says so', steps: [{ at: 0, view: [web(states.halted)] }], expected: ['0 halt web:1 halted'] },
    { description: 'an error the engine gave up on', steps: [{ at: 0, view: [web(states.syncing)] }, { at: 1000, view: [web(states.error)] }], expected: ['1000 error web:1 cannot sync'] },
    {
      description: 'retries 1 and 2 stay quiet, the third speaks once, later ones stay quiet',
      steps: [
        { at: 0, view: [web(states.idle)] },
        { at: 1000, view: [web(states.retrying(1))] }, { at: 2000, view: [web(states.syncing)] },
        { at: 3000, view: [web(states.retrying(2))] }, { at: 4000, view: [web(states.syncing)] },
        { at: 5000, view: [web(states.retrying(3))] }, { at: 6000, view: [web(states.syncing)] },
        { at: 5 * MIN, view: [web(states.retrying(4))] }, { at: 6 * MIN, view: [web(states.retrying(5))] },
      ],
      expected: ['5000 error web:1 cannot sync'],
    },
    {
      description: 'retries speak again in a new outage after the target was idle',
      steps: [{ at: 0, view: [web(states.retrying(3))] }, { at: 1000, view: [web(states.idle)] }, { at: 2 * MIN, view: [web(states.retrying(3))] }],
      expected: ['0 error web:1 cannot sync', `${2 * MIN} error web:1 cannot sync`],
    },
    { description: 'a decision', steps: [{ at: 0, view: [web(states.scanning)] }, { at: 1000, view: [web(states.awaiting)] }], expected: ['1000 decision web:1 needs a decision'] },
    {
      description: 'deletions held back while the rest flows, said once',
      steps: [{ at: 0, view: [web(states.idle)] }, { at: 1000, view: [web(states.syncing, { holding: '900 deletions' })] }, { at: 2 * MIN, view: [web(states.idle, { holding: '900 deletions' })] }],
      expected: ['1000 decision web:1 needs a decision'],
    },
    {
      description: 'caught up after an outage of 5 minutes or more, through the catch-up sync',
      steps: [{ at: 0, view: [web(states.idle)] }, { at: MIN, view: [web(states.retrying(1))] }, { at: 6 * MIN, view: [web(states.syncing)] }, { at: 6 * MIN + 5000, view: [web(states.idle)] }],
      expected: [`${6 * MIN + 5000} caught-up web:1 caught up`],
    },
    {
      description: 'not caught up after a short outage',
      steps: [{ at: 0, view: [web(states.retrying(1))] }, { at: 4 * MIN, view: [web(states.idle)] }],
      expected: [],
    },
    {
      description: 'an engine pause (root unmounted) is an outage; a user pause is not',
      steps: [
        { at: 0, view: [web(states.paused, { paused: false }), db(states.paused, { paused: true })] },
        { at: 10 * MIN, view: [web(states.idle), db(states.idle)] },
      ],
      expected: [`${10 * MIN} caught-up web:1 caught up`],
    },
    {
      description: 'a changed host key opens pairing for the profile',
      steps: [{ at: 0, hostKey: { profile: 'web', host: 'backup.example', target: 'web:1' } }],
      expected: ['0 host-key Host key of backup.example changed'],
    },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(lines(play(testCase.steps, testCase.until ?? 20 * MIN, testCase.switches))).toEqual(testCase.expected));
  }

  it('each kind carries the action that helps', () => {
    const actions = (steps: Step[]) => play(steps, 0).map(({ shown }) => shown.action);
    expect(actions([{ at: 0, view: [web(states.halted)] }])).toEqual([{ label: 'Review', command: { open: 'safety', target: 'web:1' } }]);
    expect(actions([{ at: 0, view: [web(states.error)] }])).toEqual([{ label: 'Show log', command: { open: 'logs', target: 'web:1' } }]);
    expect(actions([{ at: 0, view: [web(states.awaiting)] }])).toEqual([{ label: 'Decide', command: { open: 'safety', target: 'web:1' } }]);
    expect(actions([{ at: 0, hostKey: { profile: 'web', host: 'h' } }])).toEqual([{ label: 'Pair again', command: { open: 'pairing', profile: 'web' } }]);
  });

  it("a target the core halts for a changed host key is a host-key notification, not a halt", () => {
    const changed = { kind: 'halted', reason: 'the host key has CHANGED since it was pinned: pinned SHA256:a, offered SHA256:b. Someone may be intercepting the connection' } as const;
    const shown = play([{ at: 0, view: [web(states.idle)] }, { at: 1000, view: [web(changed)] }], 0).map(({ shown }) => shown);
    expect(shown.map((notice) => notice.kind)).toEqual(['host-key']);
    expect(shown[0]!.action).toEqual({ label: 'Pair again', command: { open: 'pairing', profile: 'web' } });
    expect(shown[0]!.body).toContain('offered SHA256:b');
  });

  it('says the reason on one line', () => {
    const [entry] = play([{ at: 0, view: [web({ kind: 'error', reason: 'rsync error:\n  connection\tunexpectedly closed' })] }], 0);
    expect(entry?.shown.body).toBe('Syncing to ann@backup:/srv/web failed: rsync error: connection unexpectedly closed');
  });
});

describe('batching: one notification per target per minute', () => {
  const cases: { description: string; steps: Step[]; expected: string[] }[] = [
    {
      description: 'the first shows at once; what follows within the minute shows as one summary when it is up',
      steps: [
        { at: 0, view: [web(states.idle)] },
        { at: 1000, view: [web(states.halted)] },
        { at: 5000, view: [web(states.error)] },
        { at: 9000, view: [web(states.awaiting)] },
        { at: 20_000, view: [web(states.halted)] },
      ],
      expected: ['1000 halt web:1 halted', `${1000 + MIN} halt web:1: 3 problems`],
    },
    {
      description: 'targets are batched apart',
      steps: [{ at: 0, view: [web(states.halted), db(states.idle)] }, { at: 1000, view: [web(states.halted), db(states.error)] }],
      expected: ['0 halt web:1 halted', '1000 error db:1 cannot sync'],
    },
    {
      description: 'events of the same view show together, as one',
      steps: [{ at: 0, view: [web(states.idle)] }, { at: 1000, view: [web(states.halted, { holding: 'x' })] }],
      expected: ['1000 halt web:1: 2 problems'],
    },
    {
      description: 'after a quiet minute, the next shows at once',
      steps: [{ at: 0, view: [web(states.halted)] }, { at: MIN, view: [web(states.idle)] }, { at: MIN + 1, view: [web(states.error)] }],
      expected: ['0 halt web:1 halted', `${MIN + 1} error web:1 cannot sync`],
    },
    {
      description: 'a summary starts a new minute: the event after it waits again',
      steps: [
        { at: 0, view: [web(states.halted)] },
        { at: 10_000, view: [web(states.error)] },
        { at: MIN + 10_000, view: [web(states.awaiting)] },
      ],
      expected: ['0 halt web:1 halted', `${MIN} error web:1 cannot sync`, `${2 * MIN} decision web:1 needs a decision`],
    },
    {
      description: 'a host key change joins the target\'s batch',
      steps: [{ at: 0, view: [web(states.error)] }, { at: 1000, hostKey: { profile: 'web', host: 'h', target: 'web:1' } }],
      expected: ['0 error web:1 cannot sync', `${MIN} host-key Host key of h changed`],
    },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(lines(play(testCase.steps, 20 * MIN))).toEqual(testCase.expected));
  }

  it('a summary lists each event and takes the most severe action', () => {
    const log = play([{ at: 0, view: [web(states.idle)] }, { at: 1, view: [web(states.awaiting)] }, { at: 2, view: [web(states.error)] }, { at: 3, view: [web(states.halted)] }], 2 * MIN);
    const summary = log[1]?.shown;
    expect(summary?.title).toBe('web:1: 2 problems');
    expect(summary?.body).toBe('cannot sync: Syncing to ann@backup:/srv/web failed: rsync: permission denied\nhalted: Syncing to ann@backup:/srv/web stopped: mass delete: 900 of 1000 files');
    expect(summary?.action.command).toEqual({ open: 'safety', target: 'web:1' });
  });
});

describe('switches', () => {
  it('a kind switched off never shows, and does not use up the minute', () => {
    const log = play([{ at: 0, view: [web(states.idle)] }, { at: 1000, view: [web(states.halted)] }, { at: 2000, view: [web(states.error)] }], 5 * MIN, { ...allOn, halt: false });
    expect(lines(log)).toEqual(['2000 error web:1 cannot sync']);
  });

  it('a kind switched off while waiting in a batch is dropped from it', () => {
    const log = play([
      { at: 0, view: [web(states.halted)] },
      { at: 1000, view: [web(states.error)] },
      { at: 2000, view: [web(states.awaiting)] },
      { at: 3000, switches: { ...allOn, error: false } },
    ], 5 * MIN);
    expect(lines(log)).toEqual(['0 halt web:1 halted', `${MIN} decision web:1 needs a decision`]);
  });

  it('all off: silence', () => {
    const off = { halt: false, error: false, 'host-key': false, decision: false, 'caught-up': false };
    expect(play([{ at: 0, view: [web(states.halted)] }, { at: 0, hostKey: { profile: 'web', host: 'h' } }], MIN, off)).toEqual([]);
  });
});

describe('nextFlushAt', () => {
  it('is null when nothing waits, else when the minute of the waiting batch is up', () => {
    const model = new NotificationModel(allOn);
    model.observe([web(states.halted)], 0);
    expect(model.nextFlushAt).toBeNull();
    model.observe([web(states.error)], 5000);
    expect(model.nextFlushAt).toBe(MIN);
    expect(model.flush(MIN - 1)).toEqual([]);
    expect(model.flush(MIN)).toHaveLength(1);
    expect(model.nextFlushAt).toBeNull();
  });
});
