import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TargetStatus } from '../../../src-shared/model/status';
import type { InvokeHandlers } from '../../../src-main/services/contract-router';
import { createFakeClock } from '../queue/fake-clock';
import { states, target } from '../desktop/fixtures';
import { FakeTray, menuItem, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);

const { DesktopTray } = await import('../../../src-main/app/tray');

/** A tray over `targets` (change the array to change the view), recording every call it makes. */
function setup(initial: TargetStatus[]) {
  resetElectronFake();
  const clock = createFakeClock(1_000_000);
  let targets = initial;
  const calls: string[] = [];
  const handlers: InvokeHandlers = {
    'control:pause': (input) => (calls.push(`pause ${JSON.stringify(input)}`), { targets: 1 }),
    'control:resume': (input) => (calls.push(`resume ${JSON.stringify(input)}`), { targets: 1 }),
    'control:sync-now': () => Promise.reject(new Error('the engine is gone')),
  };
  const reports: string[] = [];
  const tray = new DesktopTray({
    appRoot: '/app',
    clock,
    targets: () => targets,
    handlers,
    open: () => calls.push('open'),
    openSafety: (id) => calls.push(`safety ${id}`),
    quit: () => calls.push('quit'),
    report: (message) => reports.push(message),
  });
  const fake = FakeTray.instances[0];
  if (!fake) throw new Error('no tray was created');
  return { tray, fake, clock, calls, reports, set: (next: TargetStatus[]) => (targets = next) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => resetElectronFake());

describe('tray adapter', () => {
  it('renders the model: the 24 px icon with its 48 px HiDPI drawing, the tooltip, the menu', () => {
    const { fake } = setup([target('web:1', states.idle)]);
    expect(fake.image.path).toBe('/app/build/icons/tray-idle-24.png');
    expect(fake.image.representations.map((rep) => [rep.scaleFactor, rep.buffer.toString()])).toEqual([[2, '/app/build/icons/tray-idle-48.png']]);
    expect(fake.tooltip).toBe('Tidemark: 1 target, up to date');
    expect(fake.menu?.template.map((item) => item.label ?? item.type)).toEqual(['Open Tidemark', 'separator', 'Pause all', 'Sync now', 'separator', 'web:1: up to date', 'separator', 'Quit Tidemark']);
  });

  it('menu clicks call the services’ handlers and the window actions', async () => {
    const { fake, calls } = setup([target('web:1', states.awaiting), target('db:1', states.paused)]);
    menuItem(fake.menu, 'Open Tidemark').click?.();
    menuItem(fake.menu, 'Pause all').click?.();
    menuItem(fake.menu, 'Resume all').click?.();
    menuItem(fake.menu, 'web:1: waits for a decision', 'Pause').click?.();
    menuItem(fake.menu, 'web:1: waits for a decision', 'Review…').click?.();
    menuItem(fake.menu, 'db:1: paused', 'Resume').click?.();
    menuItem(fake.menu, 'Quit Tidemark').click?.();
    await flush();
    expect(calls).toEqual(['open', 'safety web:1', 'quit', 'pause {}', 'resume {}', 'pause {"target":"web:1"}', 'resume {"target":"db:1"}']);
  });

  it('reports a control call that fails instead of throwing into Electron', async () => {
    const { fake, reports } = setup([target('web:1', states.idle)]);
    menuItem(fake.menu, 'web:1: up to date', 'Sync now').click?.();
    await flush();
    expect(reports).toEqual(['Tidemark: sync-now web:1 failed: the engine is gone']);
  });

  it('shows & in a path as itself, not as a mnemonic', () => {
    const { fake } = setup([target('rd:1', states.idle, { source: '/srv/R&D', target: '/backup/R&D' })]);
    expect(menuItem(fake.menu, 'rd:1: up to date').submenu?.[0]?.label).toBe('/srv/R&&D → /backup/R&&D');
  });

  it('changes the icon only once a state is steady, by the timer the model asks for', () => {
    const { fake, clock, set, tray } = setup([target('web:1', states.idle)]);
    set([target('web:1', states.error)]);
    tray.refresh();
    expect(fake.image.path).toBe('/app/build/icons/tray-idle-24.png');
    expect(fake.tooltip).toBe('Tidemark: web:1 failed: rsync: permission denied');
    clock.advance(999);
    expect(fake.image.path).toBe('/app/build/icons/tray-idle-24.png');
    clock.advance(1);
    expect(fake.image.path).toBe('/app/build/icons/tray-error-24.png');
    expect(clock.armed()).toBe(0);
  });

  it('a short sync never reaches the icon, and leaves no timer behind', () => {
    const { fake, clock, set, tray } = setup([target('web:1', states.idle)]);
    set([target('web:1', states.syncing)]);
    tray.refresh();
    clock.advance(200);
    set([target('web:1', states.idle)]);
    tray.refresh();
    clock.advance(5000);
    expect(fake.image.path).toBe('/app/build/icons/tray-idle-24.png');
    expect(clock.armed()).toBe(0);
  });

  it('rebuilds the menu only when it changed', () => {
    const { fake, set, tray } = setup([target('web:1', states.syncing)]);
    expect(fake.menuBuilds).toBe(1);
    set([target('web:1', states.syncing, { pending: 40 })]);
    tray.refresh();
    expect(fake.menuBuilds).toBe(1);
    set([target('web:1', states.idle)]);
    tray.refresh();
    expect(fake.menuBuilds).toBe(2);
  });

  it('destroy removes the tray and its timer', () => {
    const { fake, clock, set, tray } = setup([target('web:1', states.idle)]);
    set([target('web:1', states.error)]);
    tray.refresh();
    tray.destroy();
    expect(fake.destroyed).toBe(true);
    expect(clock.armed()).toBe(0);
  });
});
