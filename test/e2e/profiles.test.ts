// The profiles screen through `tidemark ui` in Chromium against a real core: an lsyncd config is
// pasted, its mapping report shows what maps and what does not with line numbers, it is imported
// and runs (the target gets the source's files), exported back to Lua, edited (delay and an
// exclude; the change is in profiles:get and the profile still runs), disabled and enabled, and
// deleted after its name is typed. axe finds nothing serious in light or dark.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Profile } from '../../src-shared/model/profile';
import { UiClient } from '../integration/support/ui-client';
import { e2eSkipReason, screenshot, seriousViolations, startAppSession, type AppSession } from './support/app-session';

const skip = e2eSkipReason();
let session: AppSession;
let client: UiClient;
let source: string;
let target: string;
let page: Page;

/** The config the test imports: a local sync, plus rsync.perms = true, which Tidemark does not store (line 9). */
function config(): string {
  return [
    'settings {',
    '  logfacility = "user",',
    '}',
    'sync {',
    '  default.rsync,',
    `  source = "${source}",`,
    `  target = "${target}",`,
    '  delay = 1,',
    '  rsync = { perms = true, compress = true },',
    '}',
    '',
  ].join('\n');
}

beforeAll(async () => {
  if (skip) return;
  session = await startAppSession();
  client = await UiClient.connect(session.url);
  source = join(session.base, 'source');
  target = join(session.base, 'target');
  await mkdir(join(source, 'docs'), { recursive: true });
  await mkdir(target);
  await writeFile(join(source, 'a.txt'), 'alpha\n');
  await writeFile(join(source, 'docs', 'b.txt'), 'beta\n');
  page = await session.page();
}, 60_000);
afterAll(async () => {
  client?.close();
  await session?.stop();
});

async function openProfiles(on: Page): Promise<void> {
  await on.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Profiles' }).click();
  await expect.poll(() => on.getByRole('heading', { name: 'Import an lsyncd config' }).isVisible(), { timeout: 15_000 }).toBe(true);
}

/** Fills the import form and runs the dry run. */
async function checkImport(on: Page, name: string): Promise<void> {
  await on.getByRole('textbox', { name: 'Profile name' }).fill(name);
  await on.getByRole('textbox', { name: 'lsyncd config' }).fill(config());
  await on.getByRole('button', { name: 'Check the mapping' }).click();
  await expect.poll(() => on.getByRole('table', { name: /Not carried over/ }).isVisible(), { timeout: 15_000 }).toBe(true);
}

const site = () => page.getByRole('article', { name: 'site' });

describe.skipIf(skip !== null)(`the profiles screen${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('imports an lsyncd config: the mapping report with line numbers first, then the profile, which runs', async () => {
    await openProfiles(page);
    await expect.poll(() => page.getByText('No profiles yet').isVisible()).toBe(true);
    await checkImport(page, 'site');
    const dropped = await page.getByRole('table', { name: 'Not carried over (1)' }).getByRole('row').allInnerTexts();
    expect(dropped.slice(1)).toEqual([expect.stringMatching(/^9\s+rsync\.perms\s+Tidemark's default already/)]);
    const mapped = (await page.getByRole('table', { name: /^Carried over/ }).getByRole('row').allInnerTexts()).slice(1);
    expect(mapped).toContainEqual(expect.stringMatching(/^2\s+settings\.logfacility\s+\$\.settings\.logfacility$/));
    expect(mapped).toContainEqual(expect.stringMatching(/^8\s+delay\s+\$\.syncs\[0\]\.delay$/));
    expect(mapped).toContainEqual(expect.stringMatching(/^9\s+rsync\.compress\s+\$\.syncs\[0\]\.rsync\.compress$/));
    expect(await client.call<unknown[]>('profiles:list')).toEqual([]); // a dry run saves nothing

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Imported site.' }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => site().getByText('Running').isVisible(), { timeout: 30_000 }).toBe(true);
    const syncs = await site().getByRole('list', { name: 'Syncs of site' }).innerText();
    expect(syncs).toContain(source);
    expect(syncs).toContain(target);
    await expect.poll(() => existsSync(join(target, 'a.txt')) && existsSync(join(target, 'docs', 'b.txt')), { timeout: 30_000 }).toBe(true);
  });

  it('exports the profile as Lua, with a download link and Copy', async () => {
    await site().getByRole('link', { name: 'Edit site' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Edit site' }).isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Show the lsyncd config' }).click();
    const lua = page.getByRole('textbox', { name: 'site.conf.lua' });
    await expect.poll(() => lua.inputValue(), { timeout: 15_000 }).toContain(`source = "${source}"`);
    expect(await lua.inputValue()).toContain('-- tidemark profile:');
    const download = page.getByRole('link', { name: 'Download site.conf.lua' });
    expect(await download.getAttribute('href')).toMatch(/^blob:/);
    expect(await download.getAttribute('download')).toBe('site.conf.lua');
    expect(await page.getByRole('button', { name: 'Copy' }).isEnabled()).toBe(true);
  });

  it('edits the delay and adds an exclude; the change is saved and the profile still runs', async () => {
    expect(page.url()).toMatch(/#\/profiles\/site$/);
    await page.getByRole('textbox', { name: 'Excludes and filters' }).fill('not a rule');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText("Line 1 ('not a rule') is not a rule").isVisible()).toBe(true);
    // The keyboard is taken to the field to fix.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(await page.getByRole('textbox', { name: 'Excludes and filters' }).evaluate((field) => field === document.activeElement)).toBe(true);

    // The core refuses a target inside the source, and says which key.
    await page.getByRole('textbox', { name: 'Excludes and filters' }).fill('- *.tmp');
    await page.getByRole('textbox', { name: 'Target folder' }).fill(join(source, 'inner'));
    await page.getByRole('button', { name: 'Save profile' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Tidemark did not save the profile' });
    await expect.poll(() => refused.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await refused.innerText()).toMatch(/target/i);

    await page.getByRole('textbox', { name: 'Target folder' }).fill(target);
    await page.getByRole('textbox', { name: 'Delay', exact: true }).fill('0.5');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved. site reloaded' }).count(), { timeout: 15_000 }).toBe(1);
    const { profile } = await client.call<{ profile: Profile }>('profiles:get', { name: 'site' });
    expect(profile.syncs[0]!.delay).toBe(0.5);
    expect(profile.syncs[0]!.filters).toEqual(['- *.tmp']);
    expect(profile.syncs[0]!.rsync).toEqual({ compress: true });

    await writeFile(join(source, 'c.txt'), 'gamma\n');
    await writeFile(join(source, 'scratch.tmp'), 'not shipped\n');
    await expect.poll(() => existsSync(join(target, 'c.txt')), { timeout: 30_000 }).toBe(true);
    expect(existsSync(join(target, 'scratch.tmp'))).toBe(false);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`axe finds nothing serious on the list, the editor and the import report (${scheme}); screenshots`, async () => {
      const view = await session.page({ colorScheme: scheme });
      await openProfiles(view);
      await expect.poll(() => view.getByRole('article', { name: 'site' }).getByText('Running').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await seriousViolations(view)).toEqual([]);
      await screenshot(view, 'profiles', scheme);

      await checkImport(view, 'site-copy');
      expect(await seriousViolations(view)).toEqual([]);
      await view.getByRole('heading', { name: 'Import an lsyncd config' }).scrollIntoViewIfNeeded();
      await screenshot(view, 'import-report', scheme);

      await view.getByRole('article', { name: 'site' }).getByRole('link', { name: 'Edit site' }).click();
      await expect.poll(() => view.getByRole('textbox', { name: 'Delay', exact: true }).inputValue(), { timeout: 15_000 }).toBe('0.5');
      expect(await seriousViolations(view)).toEqual([]);
      await screenshot(view, 'profile-editor', scheme);
      await view.context().close();
    });
  }

  it('disables and enables the profile with its switch', async () => {
    await page.getByRole('link', { name: '← All profiles' }).click();
    const enabled = site().getByRole('switch', { name: 'Enabled' });
    await expect.poll(() => enabled.isChecked(), { timeout: 15_000 }).toBe(true);
    await enabled.uncheck();
    await expect.poll(() => site().getByText('Disabled').isVisible(), { timeout: 15_000 }).toBe(true);
    expect((await client.call<{ profile: Profile }>('profiles:get', { name: 'site' })).profile.enabled).toBe(false);
    await enabled.check();
    await expect.poll(() => site().getByText('Running').isVisible(), { timeout: 30_000 }).toBe(true);
    expect((await client.call<{ profile: Profile }>('profiles:get', { name: 'site' })).profile.enabled).toBe(true);
  });

  it('reads a chosen .lua file in the page, and says why a config cannot be imported', async () => {
    const custom = `sync {\n  default.rsync,\n  source = "${source}",\n  target = "${target}",\n  onCreate = function(event) end,\n}\n`;
    await page.getByRole('textbox', { name: 'Profile name' }).fill('site');
    await page.getByRole('textbox', { name: 'lsyncd config' }).fill(config());
    await page.getByRole('button', { name: 'Check the mapping' }).click();
    await expect.poll(() => page.getByText('The name is taken by a profile you have').isVisible()).toBe(true);
    await page.getByRole('textbox', { name: 'Profile name' }).fill('');
    await page.getByLabel('Choose a .lua file').setInputFiles({ name: 'mirror.conf.lua', mimeType: 'text/plain', buffer: Buffer.from(custom) });
    await expect.poll(() => page.getByRole('textbox', { name: 'lsyncd config' }).inputValue()).toBe(custom);
    expect(await page.getByRole('textbox', { name: 'Profile name' }).inputValue()).toBe('mirror');
    await page.getByRole('button', { name: 'Check the mapping' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The config cannot be imported' });
    await expect.poll(() => refused.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await refused.innerText()).toMatch(/mirror\.conf\.lua:5.*onCreate/s);
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'lsyncd config' }).fill('');
  });

  it('deletes the profile only after its name is typed', async () => {
    await site().getByRole('button', { name: 'Delete site' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete site?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const confirm = dialog.getByRole('button', { name: 'Delete profile' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await site().count()).toBe(1);

    await site().getByRole('button', { name: 'Delete site' }).click();
    await dialog.getByRole('textbox', { name: 'Type site to confirm' }).fill('sit');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: 'Type site to confirm' }).fill('site');
    await confirm.click();
    await expect.poll(() => page.getByText('No profiles yet').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'site deleted.' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'Your profiles' }).evaluate((heading) => heading === document.activeElement)).toBe(true);
    expect(await client.call<unknown[]>('profiles:list')).toEqual([]);
    expect(existsSync(join(target, 'a.txt'))).toBe(true); // the mirror stays
  });
});
