// The Electron face's wiring: one instance, the services, the IPC, the window, the tray and the
// notifications. Closing the window leaves Tidemark syncing in the tray; only Quit (or the
// session ending) stops it, and then running transfers finish first.
import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Clock } from '../core/queue/clock';
import { systemClock } from '../core/session/system-clock';
import type { AppServices } from '../services/app-services';
import type { InvokeHandlers } from '../services/contract-router';
import { DEFAULT_APP_SETTINGS, type AppSettings } from '../../src-shared/model/app-settings';
import { registerInvokeHandlers } from './ipc-router';
import { DesktopNotifier } from './notifications';
import { DesktopTray } from './tray';
import { createMainWindow, hardenSession, showWindow } from './window';
import { isOwnRendererUrl } from './window-policy';

/** The argument an autostart entry passes: start into the tray, without the window. */
export const AUTOSTART_FLAG = '--autostart';

export interface DesktopAppOptions {
  /** The directory holding build/ (the app's root, or the asar's). */
  readonly appRoot: string;
  readonly preload: string;
  readonly indexHtml: string;
  readonly argv: readonly string[];
  readonly createServices: () => AppServices | Promise<AppServices>;
  readonly clock?: Clock;
  readonly log?: (message: string) => void;
  /** Where SIGTERM and SIGINT come from (default: process). */
  readonly signals?: { once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown };
}

/**
 * The command that starts this app again, for the autostart entry: the AppImage itself when run
 * from one (its executable lives in a mount that is gone after exit), the packaged binary, or in
 * development the Electron binary and the entry script.
 */
export function desktopLaunchCommand(packaged: boolean, proc: { readonly execPath: string; readonly argv: readonly string[]; readonly env: NodeJS.ProcessEnv }): string[] {
  if (proc.env.APPIMAGE) return [proc.env.APPIMAGE, AUTOSTART_FLAG];
  if (packaged) return [proc.execPath, AUTOSTART_FLAG];
  const entry = proc.argv[1];
  return entry ? [proc.execPath, entry, AUTOSTART_FLAG] : [proc.execPath, AUTOSTART_FLAG];
}

/** The handlers, with settings:set also telling `onSettings` what was saved. */
function followingSettings(handlers: InvokeHandlers, onSettings: (settings: AppSettings) => void): InvokeHandlers {
  const set = handlers['settings:set'];
  if (!set) return handlers;
  return {
    ...handlers,
    'settings:set': async (input) => {
      const saved = await set(input);
      onSettings(saved);
      return saved;
    },
  };
}

/** Runs the desktop app; resolves once it is up (or at once in a second instance, which quits). */
export async function runDesktopApp(options: DesktopAppOptions): Promise<void> {
  const log = options.log ?? ((message: string) => console.error(message));
  const clock = options.clock ?? systemClock;
  // A second launch (the menu entry clicked again, autostart racing a manual start) hands over
  // to the first one, which shows its window.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let win: BrowserWindow | null = null;
  let services: AppServices | null = null;
  let tray: DesktopTray | null = null;
  let notifier: DesktopNotifier | null = null;
  let stopping: Promise<void> | null = null;
  let stopped = false;

  const openWindow = () => {
    if (!app.isReady()) return;
    if (win && !win.isDestroyed()) return showWindow(win);
    const created = createMainWindow({ preload: options.preload, indexHtml: options.indexHtml, show: true, icon: join(options.appRoot, 'build', 'icon.png') });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    win = created;
  };

  app.on('second-instance', () => openWindow());
  // Closing the window is not quitting: syncing goes on, and the tray brings the window back.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (stopped || !services) return;
    event.preventDefault();
    const running = services;
    stopping ??= running.stop()
      .catch((error: unknown) => log(`Tidemark: stopping the engines failed: ${(error as Error).message}`))
      .finally(() => {
        stopped = true;
        tray?.destroy();
        notifier?.destroy();
        app.quit();
      });
  });
  // systemd stop, a logout or ^C in a terminal: quit the same careful way.
  const signals = options.signals ?? process;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) signals.once(signal, () => app.quit());

  await app.whenReady();
  hardenSession();
  const ready = await options.createServices();
  services = ready;
  const settings = await ready.settings().catch((error: unknown) => {
    log(`Tidemark: ${(error as Error).message}; notifications use the defaults`);
    return DEFAULT_APP_SETTINGS;
  });

  registerInvokeHandlers(ipcMain, followingSettings(ready.handlers, (saved) => notifier?.setSwitches(saved.notifications)), isOwnRendererUrl);
  ready.events.subscribe((channel, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
  });

  // TODO(contract): a click should also take the window to the screen it names (safety, logs,
  // pairing); that needs an event channel such as 'app:open' in src-shared/ipc/contract.ts.
  tray = new DesktopTray({ appRoot: options.appRoot, clock, targets: () => ready.targets(), handlers: ready.handlers, open: openWindow, openSafety: openWindow, quit: () => app.quit(), report: log });
  notifier = new DesktopNotifier({ appRoot: options.appRoot, clock, switches: settings.notifications, onCommand: openWindow });
  ready.events.subscribe((channel) => {
    if (channel !== 'status:target' && channel !== 'status:removed') return;
    tray?.refresh();
    notifier?.observe(ready.targets());
  });

  if (!options.argv.includes(AUTOSTART_FLAG)) openWindow();
  try {
    await ready.start();
  } catch (error) {
    // The window and the tray stay up: the user must be able to see and fix what failed.
    log(`Tidemark: starting the profiles failed: ${(error as Error).message}`);
    ready.events.emit('app:notice', { text: `Starting the profiles failed: ${(error as Error).message}` });
  }
  tray.refresh();
  notifier.observe(ready.targets());
}
