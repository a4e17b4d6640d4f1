// The settings screen through `tidemark ui` in Chromium against a real core: start at login
// writes and removes the autostart entry, notification switches and the defaults for new
// profiles persist across a reload, a field that does not parse is refused with its reason, and a
// settings file that does not validate is shown with the file, the key and what to do.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../src-shared/model/app-settings';
import { screenshot, seriousViolations, useAppSession } from './support/app-session';

const app = useAppSession();
const skip = app.skip;

async function openSettings(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Notifications' }).isVisible(), { timeout: 15_000 }).toBe(true);
}

describe.skipIf(skip !== null)(`the settings screen${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('start at login writes the autostart entry and removes it again', async () => {
    const page = await app.session.page();
    await openSettings(page);
    const entry = join(app.session.config, 'autostart', 'tidemark.desktop');
    const toggle = page.getByRole('switch', { name: 'Start at login' });
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => existsSync(entry)).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'will start when you log in' }).count()).toBe(1);
    await toggle.uncheck();
    await expect.poll(() => existsSync(entry)).toBe(false);
    await expect.poll(() => toggle.isChecked()).toBe(false);
  });

  it('says why when the autostart entry cannot be written, and puts the switch back', async () => {
    const autostart = join(app.session.config, 'autostart');
    await rm(autostart, { recursive: true, force: true });
    await writeFile(autostart, 'a file where the autostart folder belongs\n');
    try {
      const page = await app.session.page();
      await openSettings(page);
      const toggle = page.getByRole('switch', { name: 'Start at login' });
      // click, not check(): the switch goes back as soon as the write fails, which check() would call a failed click.
      await toggle.click();
      const alert = page.getByRole('alert').filter({ hasText: 'Could not turn on start at login' });
      await expect.poll(() => alert.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await alert.innerText()).toContain('autostart folder');
      await expect.poll(() => toggle.isChecked()).toBe(false);
      expect((await app.client.call<AppSettings>('settings:get')).startAtLogin).toBe(false);
    } finally {
      await rm(autostart, { force: true });
    }
  });

  it('saves a notification switch and the defaults, which persist across a reload', async () => {
    const page = await app.session.page();
    await openSettings(page);
    await page.getByRole('checkbox', { name: 'A decision is needed' }).uncheck();
    await page.getByRole('textbox', { name: 'Delay before syncing' }).fill('7.5');
    await page.getByRole('textbox', { name: 'Excluded patterns' }).fill('*.tmp\n\n/build/\n');
    await page.getByRole('group', { name: 'Most deletions at once' }).getByRole('checkbox', { name: 'No limit' }).check();
    await page.getByRole('textbox', { name: 'Largest share deleted at once' }).fill('25');
    await page.getByRole('textbox', { name: 'Path to add' }).fill(join(app.session.base, 'site.conf.lua'));
    await page.getByRole('textbox', { name: 'Path to add' }).press('Enter');
    await expect.poll(() => page.getByText('Unsaved changes').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(1);

    const saved = await app.client.call<AppSettings>('settings:get');
    expect(saved.notifications).toEqual({ halt: true, error: true, 'host-key': true, decision: false, 'caught-up': true });
    expect(saved.defaults).toEqual({ delay: 7.5, excludes: ['*.tmp', '/build/'], maxDeletes: false, maxDeletePercent: 25 });
    expect(saved.lsyncdConfigs).toEqual([join(app.session.base, 'site.conf.lua')]);

    await page.reload();
    await openSettings(page);
    await expect.poll(() => page.getByRole('checkbox', { name: 'A decision is needed' }).isChecked()).toBe(false);
    await expect.poll(() => page.getByRole('checkbox', { name: 'A halt' }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'A target halted' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Delay before syncing' }).inputValue()).toBe('7.5');
    expect(await page.getByRole('textbox', { name: 'Excluded patterns' }).inputValue()).toBe('*.tmp\n/build/');
    expect(await page.getByRole('group', { name: 'Most deletions at once' }).getByRole('checkbox', { name: 'No limit' }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Largest share deleted at once' }).inputValue()).toBe('25');
    expect(await page.getByRole('button', { name: `Remove ${join(app.session.base, 'site.conf.lua')}` }).count()).toBe(1);
  });

  it('refuses a field that does not parse, says why, and saves nothing', async () => {
    const page = await app.session.page();
    await openSettings(page);
    const before = await app.client.call<AppSettings>('settings:get');
    await page.getByRole('textbox', { name: 'Delay before syncing' }).fill('soon');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Not saved' }).count()).toBe(1);
    await expect.poll(() => page.getByText("The delay 'soon' is not a number.").isVisible()).toBe(true);
    expect(await app.client.call<AppSettings>('settings:get')).toEqual(before);
  });

  it('follows a change made by another face', async () => {
    const page = await app.session.page();
    await openSettings(page);
    await app.client.call('settings:set', { notifications: { 'caught-up': false } });
    await expect.poll(() => page.getByRole('checkbox', { name: 'Caught up again' }).isChecked()).toBe(false);
    await app.client.call('settings:set', { notifications: { 'caught-up': true } });
    await expect.poll(() => page.getByRole('checkbox', { name: 'Caught up again' }).isChecked()).toBe(true);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds nothing serious (${scheme}); screenshot`, async () => {
      const page = await app.session.page({ colorScheme: scheme });
      await openSettings(page);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'settings', scheme);
    });
  }

  it('shows a settings file that does not validate, with the file, the key and what to do', async () => {
    const file = join(app.session.config, 'tidemark', 'settings.json');
    await mkdir(join(app.session.config, 'tidemark'), { recursive: true });
    await writeFile(file, '{"startAtLogin": false, "notifications": {"halt": "loud"}}');
    const page = await app.session.page();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Settings' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The settings file cannot be used' });
    await expect.poll(() => alert.isVisible(), { timeout: 15_000 }).toBe(true);
    const text = await alert.textContent();
    expect(text).toContain(file);
    expect(text).toContain('notifications.halt');
    expect(text).toContain('delete the file to start again from the defaults');
    expect(await seriousViolations(page)).toEqual([]);

    await writeFile(file, 'not json at all');
    await page.reload();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'not valid JSON' }).isVisible(), { timeout: 15_000 }).toBe(true);

    await rm(file);
    await page.getByRole('button', { name: 'Reload settings' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Notifications' }).isVisible()).toBe(true);
  });
});
