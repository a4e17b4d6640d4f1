// Renders the tray model into an Electron Tray. No decisions here: what to show, and when the
// icon may change, come from TrayModel; this file turns its data into images, a tooltip and a
// menu, and menu clicks into service calls.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { Clock, TimerHandle } from '../core/queue/clock';
import type { InvokeHandlers } from '../services/contract-router';
import { TrayModel, type TrayCommand, type TrayIcon, type TrayMenuItem } from '../services/desktop/tray-model';
import type { TargetStatus } from '../../src-shared/model/status';
import { trayIconFile } from './tray-icons';

export interface DesktopTrayOptions {
  /** The directory holding build/icons (the app's root). */
  readonly appRoot: string;
  readonly clock: Clock;
  /** The status stream's current view. */
  readonly targets: () => readonly TargetStatus[];
  /** The services' handlers: pause, resume and sync now go through them. */
  readonly handlers: InvokeHandlers;
  readonly open: () => void;
  readonly openSafety: (target: string) => void;
  readonly quit: () => void;
  /** Where a failed control call is reported (default: console.error). */
  readonly report?: (message: string) => void;
}

/** Electron reads & in a label as a mnemonic marker; a path such as /srv/R&D must show as it is. */
function menuLabel(text: string): string {
  return text.replaceAll('&', '&&');
}

export class DesktopTray {
  readonly #options: DesktopTrayOptions;
  readonly #model = new TrayModel();
  readonly #tray: Tray;
  readonly #images = new Map<TrayIcon, NativeImage>();
  #timer: TimerHandle | null = null;
  #shown: { icon: TrayIcon | null; tooltip: string; menu: string } = { icon: null, tooltip: '', menu: '' };

  constructor(options: DesktopTrayOptions) {
    this.#options = options;
    this.#model.update(options.targets(), options.clock.now());
    this.#tray = new Tray(this.#image(this.#model.display(options.clock.now()).icon));
    this.#render();
  }

  /** Takes the status stream's current view; call on every status event. */
  refresh(): void {
    this.#model.update(this.#options.targets(), this.#options.clock.now());
    this.#render();
  }

  destroy(): void {
    if (this.#timer !== null) this.#options.clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#tray.destroy();
  }

  #render(): void {
    const { clock } = this.#options;
    const view = this.#model.display(clock.now());
    if (view.icon !== this.#shown.icon) this.#tray.setImage(this.#image(view.icon));
    if (view.tooltip !== this.#shown.tooltip) this.#tray.setToolTip(view.tooltip);
    // Rebuilt only when it changed: a menu replaced while open closes on some panels.
    const menuKey = JSON.stringify(view.menu);
    if (menuKey !== this.#shown.menu) this.#tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((item) => this.#template(item))));
    this.#shown = { icon: view.icon, tooltip: view.tooltip, menu: menuKey };
    if (this.#timer !== null) clock.clearTimer(this.#timer);
    this.#timer = view.nextCheckAt === null ? null : clock.setTimer(Math.max(0, view.nextCheckAt - clock.now()), () => {
      this.#timer = null;
      this.#render();
    });
  }

  #image(icon: TrayIcon): NativeImage {
    let image = this.#images.get(icon);
    if (!image) {
      // 24 px is what most Linux panels draw; the 48 px drawing serves HiDPI panels.
      image = nativeImage.createFromPath(trayIconFile(this.#options.appRoot, icon, 24));
      image.addRepresentation({ scaleFactor: 2, buffer: nativeImage.createFromPath(trayIconFile(this.#options.appRoot, icon, 48)).toPNG() });
      this.#images.set(icon, image);
    }
    return image;
  }

  #template(item: TrayMenuItem): MenuItemConstructorOptions {
    switch (item.kind) {
      case 'separator': return { type: 'separator' };
      case 'label': return { label: menuLabel(item.label), enabled: false };
      case 'submenu': return { label: menuLabel(item.label), submenu: item.items.map((child) => this.#template(child)) };
      case 'action': return { label: menuLabel(item.label), enabled: item.enabled, click: () => this.#run(item.command) };
    }
  }

  #run(command: TrayCommand): void {
    const { handlers, report = (message: string) => console.error(message) } = this.#options;
    switch (command.kind) {
      case 'open': return this.#options.open();
      case 'open-safety': return this.#options.openSafety(command.target);
      case 'quit': return this.#options.quit();
      case 'pause':
      case 'resume':
      case 'sync-now': {
        const input = command.target === undefined ? {} : { target: command.target };
        const handler = handlers[`control:${command.kind}`];
        if (!handler) return report(`Tidemark: '${command.kind}' is not served by this app`);
        void Promise.resolve()
          .then(() => handler(input))
          .then(() => this.refresh())
          .catch((error: unknown) => report(`Tidemark: ${command.kind} ${command.target ?? 'all'} failed: ${(error as Error).message}`));
        return;
      }
    }
  }
}
