import { describe, expect, it } from 'vitest';
import type { TargetStatus } from '../../../src-shared/model/status';
import { TrayModel, trayMenu, trayTooltip, worstSeverity, type TrayIcon, type TrayMenuItem } from '../../../src-main/services/desktop/tray-model';
import { states, target, transfer } from './fixtures';

describe('worst state across targets', () => {
  const cases: { description: string; targets: TargetStatus[]; expected: TrayIcon }[] = [
    { description: 'no targets is idle', targets: [], expected: 'idle' },
    { description: 'all idle', targets: [target('a:1', states.idle), target('b:1', states.idle)], expected: 'idle' },
    { description: 'paused beats idle', targets: [target('a:1', states.idle), target('b:1', states.paused)], expected: 'paused' },
    { description: 'syncing beats paused', targets: [target('a:1', states.syncing), target('b:1', states.paused)], expected: 'syncing' },
    { description: 'scanning counts as syncing', targets: [target('a:1', states.scanning)], expected: 'syncing' },
    { description: 'starting counts as syncing', targets: [target('a:1', states.starting)], expected: 'syncing' },
    { description: 'retrying counts as syncing', targets: [target('a:1', states.retrying(5))], expected: 'syncing' },
    { description: 'a decision beats syncing', targets: [target('a:1', states.syncing), target('b:1', states.awaiting)], expected: 'attention' },
    { description: 'halted needs attention', targets: [target('a:1', states.halted)], expected: 'attention' },
    { description: 'held-back deletions need attention while idle', targets: [target('a:1', states.idle, { holding: '900 deletions held' })], expected: 'attention' },
    { description: 'held-back deletions need attention while paused', targets: [target('a:1', states.paused, { holding: '900 deletions held' })], expected: 'attention' },
    { description: 'error beats everything', targets: [target('a:1', states.halted), target('b:1', states.error), target('c:1', states.syncing)], expected: 'error' },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(worstSeverity(testCase.targets)).toBe(testCase.expected));
  }
});

describe('tooltip', () => {
  const cases: { description: string; targets: TargetStatus[]; expected: string }[] = [
    { description: 'no targets', targets: [], expected: 'Tidemark: no profile runs yet' },
    { description: 'one target up to date', targets: [target('web:1', states.idle)], expected: 'Tidemark: 1 target, up to date' },
    { description: 'many targets up to date', targets: [target('web:1', states.idle), target('web:2', states.idle), target('db:1', states.idle)], expected: 'Tidemark: 3 targets, all up to date' },
    { description: 'one target waits for a decision', targets: [target('web:1', states.awaiting), target('db:1', states.idle)], expected: 'Tidemark: web:1 waits for a decision' },
    { description: 'one target halted', targets: [target('web:1', states.halted)], expected: 'Tidemark: web:1 halted: mass delete: 900 of 1000 files' },
    { description: 'one target holds deletions', targets: [target('web:1', states.idle, { holding: 'x' })], expected: 'Tidemark: web:1 holds back deletions' },
    { description: 'two need attention', targets: [target('web:1', states.awaiting), target('db:1', states.halted)], expected: 'Tidemark: 2 targets need attention (web:1, db:1)' },
    { description: 'one failed, with a one-line reason', targets: [target('web:1', { kind: 'error', reason: 'rsync:\n  permission denied' })], expected: 'Tidemark: web:1 failed: rsync: permission denied' },
    { description: 'two failed', targets: [target('web:1', states.error), target('db:1', states.error), target('x:1', states.idle)], expected: 'Tidemark: 2 targets failed (web:1, db:1)' },
    { description: 'syncing some of many, with the summed rate', targets: [target('web:1', states.syncing, { transfer: transfer(700_000) }), target('web:2', states.scanning, { transfer: transfer(500_000) }), target('db:1', states.idle)], expected: 'Tidemark: syncing 2 of 3 targets, 1.2 MB/s' },
    { description: 'syncing the only target, no transfer yet', targets: [target('web:1', states.starting)], expected: 'Tidemark: syncing web:1' },
    { description: 'syncing, with one retrying', targets: [target('web:1', states.retrying(2)), target('db:1', states.idle)], expected: 'Tidemark: syncing 1 of 2 targets, web:1 retrying' },
    { description: 'the only target paused', targets: [target('web:1', states.paused)], expected: 'Tidemark: 1 target, paused' },
    { description: 'all paused', targets: [target('web:1', states.paused), target('db:1', states.paused)], expected: 'Tidemark: all 2 targets paused' },
    { description: 'some paused', targets: [target('web:1', states.paused), target('db:1', states.idle)], expected: 'Tidemark: 1 of 2 targets paused, the others up to date' },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(trayTooltip(testCase.targets)).toBe(testCase.expected));
  }

  it('stays one line however long the reason', () => {
    const tooltip = trayTooltip([target('web:1', { kind: 'error', reason: 'x'.repeat(500) })]);
    expect(tooltip).not.toMatch(/\n/);
    expect(tooltip.length).toBeLessThan(120);
  });
});

/** The menu's labels as an outline, `>` marking a submenu's items and `(off)` a disabled action. */
function outline(items: readonly TrayMenuItem[], depth = 0): string[] {
  return items.flatMap((item) => {
    const indent = '>'.repeat(depth);
    switch (item.kind) {
      case 'separator': return [`${indent}---`];
      case 'label': return [`${indent}[${item.label}]`];
      case 'action': return [`${indent}${item.label}${item.enabled ? '' : ' (off)'}`];
      case 'submenu': return [`${indent}${item.label}`, ...outline(item.items, depth + 1)];
    }
  });
}

describe('menu', () => {
  const cases: { description: string; targets: TargetStatus[]; expected: string[] }[] = [
    {
      description: 'no targets: nothing to pause or sync',
      targets: [],
      expected: ['Open Tidemark', '---', 'Pause all (off)', 'Sync now (off)', '---', 'Quit Tidemark'],
    },
    {
      description: 'running targets: pause all, one submenu each with its state in words (no rate: it would rebuild the menu every second)',
      targets: [target('web:1', states.syncing, { transfer: transfer(2_500_000) }), target('db:1', states.idle)],
      expected: [
        'Open Tidemark', '---', 'Pause all', 'Sync now', '---',
        'web:1: syncing', '>[/home/ann/web → ann@backup:/srv/web]', '>Pause', '>Sync now',
        'db:1: up to date', '>[/home/ann/db → ann@backup:/srv/db]', '>Pause', '>Sync now',
        '---', 'Quit Tidemark',
      ],
    },
    {
      description: 'all paused: resume all, nothing to sync',
      targets: [target('web:1', states.paused)],
      expected: ['Open Tidemark', '---', 'Resume all', 'Sync now (off)', '---', 'web:1: paused', '>[/home/ann/web → ann@backup:/srv/web]', '>Resume', '>Sync now (off)', '---', 'Quit Tidemark'],
    },
    {
      description: 'some paused: both pause all and resume all apply',
      targets: [target('web:1', states.paused), target('db:1', states.halted)],
      expected: [
        'Open Tidemark', '---', 'Resume all', 'Pause all', 'Sync now', '---',
        'web:1: paused', '>[/home/ann/web → ann@backup:/srv/web]', '>Resume', '>Sync now (off)',
        'db:1: halted: mass delete: 900 of 1000 files', '>[/home/ann/db → ann@backup:/srv/db]', '>Review…', '>Pause', '>Sync now',
        '---', 'Quit Tidemark',
      ],
    },
    {
      description: 'a pause asked during a transfer, and held deletions, are said in words',
      targets: [target('web:1', states.syncing, { paused: true, holding: 'x' })],
      expected: [
        'Open Tidemark', '---', 'Resume all', 'Sync now (off)', '---',
        'web:1: syncing (holds back deletions, pauses after this transfer)', '>[/home/ann/web → ann@backup:/srv/web]', '>Review…', '>Resume', '>Sync now (off)',
        '---', 'Quit Tidemark',
      ],
    },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(outline(trayMenu(testCase.targets))).toEqual(testCase.expected));
  }

  it('carries the target in per-target commands and none in the global ones', () => {
    const menu = trayMenu([target('web:1', states.awaiting)]);
    const submenu = menu.find((item) => item.kind === 'submenu');
    const commands = submenu?.kind === 'submenu' ? submenu.items.flatMap((item) => (item.kind === 'action' ? [item.command] : [])) : [];
    expect(commands).toEqual([{ kind: 'open-safety', target: 'web:1' }, { kind: 'pause', target: 'web:1' }, { kind: 'sync-now', target: 'web:1' }]);
    expect(menu.flatMap((item) => (item.kind === 'action' ? [item.command] : []))).toEqual([{ kind: 'open' }, { kind: 'pause' }, { kind: 'sync-now' }, { kind: 'quit' }]);
  });
});

const idle = [target('web:1', states.idle)];
const syncing = [target('web:1', states.syncing)];
const paused = [target('web:1', states.paused)];
const attention = [target('web:1', states.awaiting)];
const failed = [target('web:1', states.error)];

/**
 * Plays a timeline of status views into a TrayModel and samples the icon every 50 ms (and at
 * every nextCheckAt) as an adapter re-rendering on each event and timer would; returns the icon
 * at each sampled time.
 */
function play(timeline: readonly { at: number; targets: readonly TargetStatus[] }[], until: number): Map<number, TrayIcon> {
  const model = new TrayModel();
  const shown = new Map<number, TrayIcon>();
  let next = 0;
  for (let now = 0; now <= until; now += 50) {
    let entry = timeline[next];
    while (entry && entry.at <= now) {
      model.update(entry.targets, entry.at);
      shown.set(entry.at, model.display(entry.at).icon);
      entry = timeline[++next];
    }
    shown.set(now, model.display(now).icon);
  }
  return shown;
}

describe('the icon does not flicker', () => {
  const cases: { description: string; timeline: { at: number; targets: readonly TargetStatus[] }[]; until: number; expected: Record<number, TrayIcon>; never?: TrayIcon[] }[] = [
    {
      description: 'syncing 200 ms then idle never shows syncing',
      timeline: [{ at: 0, targets: idle }, { at: 5000, targets: syncing }, { at: 5200, targets: idle }],
      until: 9000,
      expected: { 0: 'idle', 5100: 'idle', 6000: 'idle', 9000: 'idle' },
      never: ['syncing'],
    },
    {
      description: 'a sync of 2 s shows after 1 s, and idle returns 1 s after it ends',
      timeline: [{ at: 0, targets: idle }, { at: 1000, targets: syncing }, { at: 3000, targets: idle }],
      until: 6000,
      expected: { 1950: 'idle', 2000: 'syncing', 3000: 'syncing', 3950: 'syncing', 4000: 'idle' },
    },
    {
      description: 'an error that lasts shows 1 s after it began',
      timeline: [{ at: 0, targets: idle }, { at: 1000, targets: failed }],
      until: 3000,
      expected: { 1950: 'idle', 2000: 'error' },
    },
    {
      description: 'an error of 500 ms never shows',
      timeline: [{ at: 0, targets: syncing }, { at: 2000, targets: failed }, { at: 2500, targets: syncing }],
      until: 5000,
      expected: { 0: 'syncing', 2400: 'syncing', 5000: 'syncing' },
      never: ['error'],
    },
    {
      description: 'flapping between syncing and error shows syncing, never idle or error',
      timeline: [{ at: 0, targets: idle }, ...Array.from({ length: 10 }, (_, i) => ({ at: 1000 + i * 600, targets: i % 2 === 0 ? syncing : failed }))],
      until: 7000,
      expected: { 1950: 'idle', 2000: 'syncing', 7000: 'syncing' },
      never: ['error', 'attention'],
    },
    {
      description: 'an error falling to a decision shows attention 1 s later, not idle in between',
      timeline: [{ at: 0, targets: failed }, { at: 2000, targets: attention }],
      until: 4000,
      expected: { 0: 'error', 2950: 'error', 3000: 'attention' },
      never: ['idle', 'syncing'],
    },
    {
      description: 'from error, idle 600 ms then paused 600 ms lands on paused (at most paused for 1 s)',
      timeline: [{ at: 0, targets: failed }, { at: 2000, targets: idle }, { at: 2600, targets: paused }],
      until: 5000,
      expected: { 2950: 'error', 3000: 'paused', 3550: 'paused', 3650: 'paused', 5000: 'paused' },
      never: ['idle'],
    },
    {
      description: 'the first view shows at once',
      timeline: [{ at: 0, targets: attention }],
      until: 100,
      expected: { 0: 'attention' },
    },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => {
      const shown = play(testCase.timeline, testCase.until);
      for (const [at, icon] of Object.entries(testCase.expected)) expect(shown.get(Number(at)), `at ${at} ms`).toBe(icon);
      for (const icon of testCase.never ?? []) expect([...shown.values()]).not.toContain(icon);
    });
  }
});

describe('nextCheckAt', () => {
  it('is when a new state becomes steady, and null once it has', () => {
    const model = new TrayModel();
    model.update(idle, 0);
    expect(model.display(0).nextCheckAt).toBeNull();
    model.update(failed, 5000);
    expect(model.display(5000)).toMatchObject({ icon: 'idle', nextCheckAt: 6000 });
    expect(model.display(6000)).toMatchObject({ icon: 'error', nextCheckAt: null });
  });

  it('follows the state still pending, not one already dropped', () => {
    const model = new TrayModel();
    model.update(idle, 0);
    model.update(syncing, 1000);
    model.update(idle, 1200);
    expect(model.display(1200)).toMatchObject({ icon: 'idle', nextCheckAt: null });
  });

  it('keeps the tooltip and menu live while the icon waits', () => {
    const model = new TrayModel();
    model.update(idle, 0);
    model.update(failed, 100);
    const view = model.display(100);
    expect(view.icon).toBe('idle');
    expect(view.tooltip).toBe('Tidemark: web:1 failed: rsync: permission denied');
  });
});
