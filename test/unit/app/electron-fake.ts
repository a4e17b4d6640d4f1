// A stand-in for the parts of electron the shell uses, recording what the shell does with them.
// No Electron binary exists on these machines, and require('electron') would try to download
// one; tests do `vi.mock('electron', async () => (await import('./electron-fake')).electronModule)`
// and read the records from the same module.
import { EventEmitter } from 'node:events';

export interface FakeMenu {
  readonly template: readonly FakeMenuItem[];
}
export interface FakeMenuItem {
  readonly label?: string;
  readonly type?: string;
  readonly enabled?: boolean;
  readonly click?: () => void;
  readonly submenu?: readonly FakeMenuItem[];
}

export class FakeImage {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  constructor(readonly path: string) {}
  addRepresentation(rep: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push(rep);
  }
  toPNG(): Buffer {
    return Buffer.from(this.path);
  }
}

export class FakeTray {
  static instances: FakeTray[] = [];
  tooltip = '';
  menu: FakeMenu | null = null;
  menuBuilds = 0;
  destroyed = false;
  constructor(public image: FakeImage) {
    FakeTray.instances.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
    this.menuBuilds++;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static supported = true;
  static shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string; icon?: string; urgency?: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  visible = false;
  focused = 0;
  minimized = false;
  destroyed = false;
  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadFile(file: string): Promise<void> {
    this.loaded = file;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused++;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** The user closes the window. */
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

/** The app: quit() runs the before-quit listeners, and quits unless one prevented it. */
class FakeApp extends EventEmitter {
  hasLock = true;
  quitAsked = 0;
  quitDone = false;
  exitCode: number | null = null;
  isPackaged = false;
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  isReady(): boolean {
    return true;
  }
  quit(): void {
    this.quitAsked++;
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitDone = true;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export const app = new FakeApp();
export const ipcMain = { handled: new Map<string, (...args: unknown[]) => unknown>(), handle(channel: string, fn: (...args: unknown[]) => unknown) { this.handled.set(channel, fn); } };
type HeadersHook = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;
type PermissionHook = (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void;

/** The default session, keeping the hooks the shell installs so a test can call them. */
class FakeSession {
  headersHook: HeadersHook | null = null;
  permissionHook: PermissionHook | null = null;
  readonly webRequest = { onHeadersReceived: (hook: HeadersHook) => void (this.headersHook = hook) };
  setPermissionRequestHandler(hook: PermissionHook): void {
    this.permissionHook = hook;
  }
}
export const session = { defaultSession: new FakeSession() };

export const electronModule = {
  app,
  ipcMain,
  session,
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  Menu: { buildFromTemplate: (template: readonly FakeMenuItem[]): FakeMenu => ({ template }) },
  nativeImage: { createFromPath: (path: string) => new FakeImage(path) },
};

/** Forgets every record, as a fresh Electron would have none. */
export function resetElectronFake(): void {
  FakeTray.instances = [];
  FakeNotification.shown = [];
  FakeNotification.supported = true;
  FakeBrowserWindow.instances = [];
  app.removeAllListeners();
  app.hasLock = true;
  app.quitAsked = 0;
  app.quitDone = false;
  app.exitCode = null;
  ipcMain.handled.clear();
  session.defaultSession.headersHook = null;
  session.defaultSession.permissionHook = null;
}

/** A menu item by its labels, walking into submenus: `item(menu, 'web:1: syncing', 'Pause')`. */
export function menuItem(menu: FakeMenu | null, ...labels: string[]): FakeMenuItem {
  let items: readonly FakeMenuItem[] = menu?.template ?? [];
  let found: FakeMenuItem | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label === label);
    if (!found) throw new Error(`no menu item '${label}' among ${JSON.stringify(items.map((item) => item.label ?? item.type))}`);
    items = found.submenu ?? [];
  }
  if (!found) throw new Error('no labels given');
  return found;
}
