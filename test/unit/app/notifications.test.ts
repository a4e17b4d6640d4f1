import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_APP_SETTINGS } from '../../../src-shared/model/app-settings';
import type { NotificationCommand } from '../../../src-main/services/desktop/notification-model';
import { createFakeClock } from '../queue/fake-clock';
import { states, target } from '../desktop/fixtures';
import { FakeNotification, resetElectronFake } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);

const { DesktopNotifier } = await import('../../../src-main/app/notifications');

function setup() {
  const clock = createFakeClock(0);
  const commands: NotificationCommand[] = [];
  const notifier = new DesktopNotifier({ appRoot: '/app', clock, switches: DEFAULT_APP_SETTINGS.notifications, onCommand: (command) => commands.push(command) });
  return { notifier, clock, commands };
}

const shown = () => FakeNotification.shown.map((notification) => notification.options.title);

beforeEach(() => resetElectronFake());

describe('notifications adapter', () => {
  it('shows what the model says, with the icon of the state, and a click runs its command', () => {
    const { notifier, commands } = setup();
    notifier.observe([target('web:1', states.idle)]);
    notifier.observe([target('web:1', states.halted)]);
    const [notification] = FakeNotification.shown;
    expect(notification?.options).toMatchObject({ title: 'web:1 halted', icon: '/app/build/icons/tray-attention-48.png', urgency: 'normal' });
    notification?.emit('click');
    expect(commands).toEqual([{ open: 'safety', target: 'web:1' }]);
  });

  it('shows the held-back batch when its minute is up, by timer', () => {
    const { notifier, clock } = setup();
    notifier.observe([target('web:1', states.halted)]);
    clock.advance(1000);
    notifier.observe([target('web:1', states.error)]);
    expect(shown()).toEqual(['web:1 halted']);
    clock.advance(58_999);
    expect(shown()).toEqual(['web:1 halted']);
    clock.advance(1);
    expect(shown()).toEqual(['web:1 halted', 'web:1 cannot sync']);
    expect(clock.armed()).toBe(0);
  });

  it('a host key change opens pairing on click', () => {
    const { notifier, commands } = setup();
    notifier.hostKeyChanged({ profile: 'web', host: 'backup.example' });
    FakeNotification.shown[0]?.emit('click');
    expect(commands).toEqual([{ open: 'pairing', profile: 'web' }]);
  });

  it('follows the switches', () => {
    const { notifier } = setup();
    notifier.setSwitches({ ...DEFAULT_APP_SETTINGS.notifications, halt: false });
    notifier.observe([target('web:1', states.halted)]);
    expect(shown()).toEqual([]);
  });

  it('shows nothing where the desktop has no notification service', () => {
    FakeNotification.supported = false;
    const { notifier } = setup();
    notifier.observe([target('web:1', states.halted)]);
    expect(shown()).toEqual([]);
  });
});
