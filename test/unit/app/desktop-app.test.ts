import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { AppEvents } from '../../../src-main/services/app-events';
import type { AppServices } from '../../../src-main/services/app-services';
import { appPaths } from '../../../src-main/services/app-paths';
import { DEFAULT_APP_SETTINGS } from '../../../src-shared/model/app-settings';
import { invoke } from '../../../src-shared/ipc/contract';
import type { TargetStatus } from '../../../src-shared/model/status';
import { createFakeClock } from '../queue/fake-clock';
import { states, target } from '../desktop/fixtures';
import { app, FakeBrowserWindow, FakeNotification, FakeTray, ipcMain, menuItem, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);

const { desktopLaunchCommand, runDesktopApp } = await import('../../../src-main/app/desktop-app');

/** Services as the shell sees them, recording start and stop; `finishStop` ends a stop. */
function fakeServices(options: { startFails?: boolean } = {}) {
  const log: string[] = [];
  let targets: TargetStatus[] = [target('web:1', states.idle)];
  let finishStop = () => undefined as void;
  const services: AppServices = {
    paths: appPaths({ HOME: '/home/ann' }),
    handlers: { 'app:info': () => ({ name: 'Tidemark', version: '0.1.0', face: 'electron' }), 'settings:set': () => ({ ...DEFAULT_APP_SETTINGS, notifications: { ...DEFAULT_APP_SETTINGS.notifications, halt: false } }) },
    events: new AppEvents(),
    targets: () => targets,
    settings: async () => DEFAULT_APP_SETTINGS,
    start: async () => {
      log.push('start');
      if (options.startFails) throw new Error('profile web: source is gone');
    },
    stop: () => {
      log.push('stop asked');
      return new Promise<void>((resolve) => (finishStop = () => {
        log.push('stop done');
        resolve();
      }));
    },
  };
  return { services, log, setTargets: (next: TargetStatus[]) => (targets = next), finishStop: () => finishStop() };
}

async function run(argv: string[] = ['electron', 'out/main/main.js'], options: { startFails?: boolean } = {}) {
  const fake = fakeServices(options);
  const created: number[] = [];
  const logged: string[] = [];
  const signals = new EventEmitter();
  await runDesktopApp({
    signals,
    appRoot: '/app',
    preload: '/app/out/preload/index.cjs',
    indexHtml: '/app/out/renderer/index.html',
    argv,
    clock: createFakeClock(0),
    log: (message) => logged.push(message),
    createServices: () => (created.push(1), fake.services),
  });
  return { ...fake, created, logged, signals };
}

beforeEach(() => resetElectronFake());

describe('single instance', () => {
  it('a second launch quits at once, without building services or a window', async () => {
    app.hasLock = false;
    const { created } = await run();
    expect(app.quitDone).toBe(true);
    expect(created).toEqual([]);
    expect(FakeBrowserWindow.instances).toEqual([]);
  });

  it('the first instance shows its window when a second one starts', async () => {
    await run();
    const [win] = FakeBrowserWindow.instances;
    win?.emit('ready-to-show');
    app.emit('second-instance');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win?.focused).toBe(1);
  });

  it('a second launch after the window was closed opens a new one', async () => {
    await run();
    FakeBrowserWindow.instances[0]?.close();
    app.emit('second-instance');
    expect(FakeBrowserWindow.instances).toHaveLength(2);
  });
});

describe('start', () => {
  it('starts the services, serves every contract channel over ipcMain, and opens the window', async () => {
    const { log } = await run();
    expect(log).toEqual(['start']);
    expect([...ipcMain.handled.keys()].sort()).toEqual(Object.keys(invoke).sort());
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeTray.instances).toHaveLength(1);
  });

  it('started at login (--autostart), it stays in the tray with no window', async () => {
    await run(['/usr/bin/tidemark', '--autostart']);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(FakeTray.instances).toHaveLength(1);
  });

  it('profiles that fail to start leave the window and the tray up, and say why', async () => {
    const { logged } = await run(undefined, { startFails: true });
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeTray.instances).toHaveLength(1);
    expect(logged).toEqual(['Tidemark: starting the profiles failed: profile web: source is gone']);
  });
});

describe('events and the window', () => {
  it('forwards events to the window while it exists, and not after it closed', async () => {
    const { services } = await run();
    const [win] = FakeBrowserWindow.instances;
    services.events.emit('app:notice', { text: 'one' });
    win?.close();
    services.events.emit('app:notice', { text: 'two' });
    expect(win?.webContents.sent).toEqual([{ channel: 'app:notice', payload: { text: 'one' } }]);
  });

  it('a status event reaches the tray', async () => {
    const { services, setTargets } = await run();
    const next = [target('web:1', states.awaiting)];
    setTargets(next);
    services.events.emit('status:target', next[0] as TargetStatus);
    expect(FakeTray.instances[0]?.tooltip).toBe('Tidemark: web:1 waits for a decision');
  });
});

describe('notifications', () => {
  const ownFrame = { senderFrame: { url: 'file:///app/out/renderer/index.html' } };

  it('a status event that needs the user shows a notification', async () => {
    const { services, setTargets } = await run();
    setTargets([target('web:1', states.halted)]);
    services.events.emit('status:target', target('web:1', states.halted));
    expect(FakeNotification.shown.map((notification) => notification.options.title)).toEqual(['web:1 halted']);
  });

  it('follows the switches saved through settings:set', async () => {
    const { services, setTargets } = await run();
    await ipcMain.handled.get('settings:set')?.(ownFrame, { notifications: { halt: false } });
    setTargets([target('web:1', states.halted)]);
    services.events.emit('status:target', target('web:1', states.halted));
    expect(FakeNotification.shown).toEqual([]);
  });
});

describe('closing and quitting', () => {
  it('closing the window keeps Tidemark running', async () => {
    const { log } = await run();
    FakeBrowserWindow.instances[0]?.close();
    app.emit('window-all-closed');
    expect(app.quitAsked).toBe(0);
    expect(log).toEqual(['start']);
  });

  it('Quit in the tray stops the services, waits for running transfers, then quits', async () => {
    const { log, finishStop } = await run();
    menuItem(FakeTray.instances[0]?.menu ?? null, 'Quit Tidemark').click?.();
    expect(log).toEqual(['start', 'stop asked']);
    expect(app.quitDone).toBe(false);
    app.quit(); // asked again meanwhile: still one stop
    finishStop();
    await vi.waitFor(() => expect(app.quitDone).toBe(true));
    expect(log).toEqual(['start', 'stop asked', 'stop done']);
    expect(FakeTray.instances[0]?.destroyed).toBe(true);
  });
});

describe('signals', () => {
  it('SIGTERM (systemd stop, logout) quits the same careful way', async () => {
    const { log, signals, finishStop } = await run();
    signals.emit('SIGTERM');
    expect(log).toEqual(['start', 'stop asked']);
    finishStop();
    await vi.waitFor(() => expect(app.quitDone).toBe(true));
  });
});

describe('launch command for the autostart entry', () => {
  const cases: { description: string; packaged: boolean; proc: { execPath: string; argv: string[]; env: NodeJS.ProcessEnv }; expected: string[] }[] = [
    { description: 'an AppImage starts the AppImage, not its temporary mount', packaged: true, proc: { execPath: '/tmp/.mount_Tide/tidemark', argv: ['/tmp/.mount_Tide/tidemark'], env: { APPIMAGE: '/home/ann/Apps/Tidemark.AppImage' } }, expected: ['/home/ann/Apps/Tidemark.AppImage', '--autostart'] },
    { description: 'a packaged app starts its binary', packaged: true, proc: { execPath: '/opt/Tidemark/tidemark', argv: ['/opt/Tidemark/tidemark'], env: {} }, expected: ['/opt/Tidemark/tidemark', '--autostart'] },
    { description: 'development starts electron with the entry script', packaged: false, proc: { execPath: '/src/node_modules/electron/dist/electron', argv: ['/src/node_modules/electron/dist/electron', '/src/out/main/main.js'], env: {} }, expected: ['/src/node_modules/electron/dist/electron', '/src/out/main/main.js', '--autostart'] },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(desktopLaunchCommand(testCase.packaged, testCase.proc)).toEqual(testCase.expected));
  }
});
