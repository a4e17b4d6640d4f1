// Shows what the notification model decides, as Electron notifications. What to say, and when,
// is NotificationModel's; this file only draws it and turns a click into a command.
import { Notification } from 'electron';
import type { Clock, TimerHandle } from '../core/queue/clock';
import { NotificationModel, type AppNotification, type HostKeyChange, type NotificationCommand, type NotificationSwitches } from '../services/desktop/notification-model';
import type { TargetStatus } from '../../src-shared/model/status';
import type { TrayIcon } from '../services/desktop/tray-model';
import { trayIconFile } from './tray-icons';

export interface DesktopNotifierOptions {
  readonly appRoot: string;
  readonly clock: Clock;
  readonly switches: NotificationSwitches;
  /** A click on a notification: show the window at the place the command names. */
  readonly onCommand: (command: NotificationCommand) => void;
}

/** The tray icon that goes with each kind, so a notification looks like the state it reports. */
const ICON_OF: Record<AppNotification['kind'], TrayIcon> = {
  halt: 'attention',
  error: 'error',
  'host-key': 'error',
  decision: 'attention',
  'caught-up': 'idle',
};

export class DesktopNotifier {
  readonly #options: DesktopNotifierOptions;
  readonly #model: NotificationModel;
  /** Shown notifications, held until closed: a collected one loses its click handler. */
  readonly #live = new Set<Notification>();
  #timer: TimerHandle | null = null;

  constructor(options: DesktopNotifierOptions) {
    this.#options = options;
    this.#model = new NotificationModel(options.switches);
  }

  setSwitches(switches: NotificationSwitches): void {
    this.#model.setSwitches(switches);
  }

  /** Takes the status stream's current view; call on every status event. */
  observe(targets: readonly TargetStatus[]): void {
    this.#show(this.#model.observe(targets, this.#options.clock.now()));
  }

  hostKeyChanged(change: HostKeyChange): void {
    this.#show(this.#model.hostKeyChanged(change, this.#options.clock.now()));
  }

  destroy(): void {
    if (this.#timer !== null) this.#options.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  #show(notices: readonly AppNotification[]): void {
    // Without a notification daemon Electron shows nothing; the tray still says it all.
    if (notices.length > 0 && Notification.isSupported()) {
      for (const notice of notices) {
        const notification = new Notification({
          title: notice.title,
          body: notice.body,
          icon: trayIconFile(this.#options.appRoot, ICON_OF[notice.kind], 48),
          urgency: notice.kind === 'caught-up' ? 'low' : 'normal',
        });
        this.#live.add(notification);
        notification.on('click', () => this.#options.onCommand(notice.action.command));
        notification.on('close', () => this.#live.delete(notification));
        notification.show();
      }
    }
    this.#schedule();
  }

  /** A timer for the next batch the model holds back, replacing any earlier one. */
  #schedule(): void {
    const { clock } = this.#options;
    if (this.#timer !== null) clock.clearTimer(this.#timer);
    const due = this.#model.nextFlushAt;
    this.#timer = due === null ? null : clock.setTimer(Math.max(0, due - clock.now()), () => {
      this.#timer = null;
      this.#show(this.#model.flush(clock.now()));
    });
  }
}
