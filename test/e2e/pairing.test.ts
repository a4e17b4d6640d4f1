// The pairing wizard through `tidemark ui` in Chromium, against the sshd fixture and a real
// keyring: a person pairs with the mouse (choosing the source in the folder browser, excluding
// with a live preview) and sees the first sync complete, then a file written in the source land
// on the server. axe on every step (light); the keyboard-only pairing, in dark, is its own file.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, useAppSession } from './support/app-session';
import { atStep, pairingFiles } from './support/pair-steps';

const app = useAppSession({ sshd: true, keyring: true });
const skip = app.skip;

describe.skipIf(skip !== null)(`pairing a server in the wizard${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('pairs with the mouse, checks the new target, syncs, and mirrors a new file (light)', async () => {
    const sshd = app.session.sshd!;
    const source = join(app.session.base, 'photos');
    await mkdir(join(source, 'album'), { recursive: true });
    await writeFile(join(source, 'album', 'one.jpg'), 'a picture');
    await writeFile(join(source, 'scratch.tmp'), 'never sent');
    const page = await app.session.page({ colorScheme: 'light' });
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Pair a server' }).click();

    await atStep(page, 1, 'The server');
    await screenshot(page, 'pair-server', 'light');
    await page.getByLabel('User').fill(sshd.user);
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(sshd.port));
    await page.getByLabel('Name', { exact: true }).fill('photos');
    await page.getByRole('button', { name: 'Connect' }).click();

    await atStep(page, 2, 'Check the host key');
    await expect.poll(() => page.getByTestId('host-key-description').textContent()).toBe(`ED25519 key fingerprint is ${sshd.hostKeyFingerprint}.`);
    await expect.poll(() => page.getByText('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub').count()).toBe(1);
    await screenshot(page, 'pair-hostkey', 'light');
    expect(await page.getByRole('button', { name: 'Confirm' }).isDisabled()).toBe(true);
    await page.getByLabel('I compared it').check();
    await page.getByRole('button', { name: 'Confirm' }).click();

    await atStep(page, 3, 'One-time password');
    await expect.poll(() => page.getByLabel('Key name').inputValue()).toBe('photos');
    await screenshot(page, 'pair-password', 'light');
    await page.getByLabel(/^Password for/).fill(sshd.password);
    await page.getByRole('button', { name: 'Install the key' }).click();

    await atStep(page, 4, 'Install and verify the key', false);
    await expect.poll(() => page.getByText('Log in with the key: done').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText('Install the key with the password: done').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continue' }).click();

    await atStep(page, 5, 'Folders');
    // The folder browser: from the session's directory into the source.
    await page.getByLabel('Source folder on this computer').fill(app.session.base);
    await page.getByRole('button', { name: 'Browse…' }).click();
    await page.getByRole('group', { name: 'Choose the source folder' }).getByRole('button', { name: 'photos' }).click();
    await expect.poll(() => page.getByText(`In ${source}`).count()).toBe(1);
    await page.getByRole('button', { name: 'Use this folder' }).click();
    expect(await page.getByLabel('Source folder on this computer').inputValue()).toBe(source);
    await page.getByLabel('Directory on the server').fill('mirror-photos');
    await page.getByRole('button', { name: 'Check the target' }).click();
    const checked = page.getByRole('region', { name: 'The target directory, checked' });
    await expect.poll(() => checked.textContent(), { timeout: 30_000 }).toMatch(/made now, writable.*rsync on the server.*version \d+\.\d+\.\d+.*Free space.*\d+(\.\d)? [kMGTP]B.*Mount point/s);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continue' }).click();

    await atStep(page, 6, 'Options');
    await page.getByLabel('Excludes').fill('*.tmp');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'entries excluded' }).textContent(), { timeout: 10_000 }).toMatch(/1 of 3 entries excluded/);
    expect(await page.getByRole('list', { name: 'Excluded paths' }).textContent()).toContain('scratch.tmp by - *.tmp');
    await page.getByLabel('Never').check();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'pair-options', 'light');
    await page.getByRole('button', { name: 'Continue' }).click();

    await atStep(page, 7, 'Save and check');
    await page.getByRole('button', { name: 'Save and start' }).click();
    await expect.poll(() => page.getByTestId('save-target-state').textContent(), { timeout: 60_000 }).toContain('Up to date');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continue' }).click();

    await atStep(page, 8, 'Done');
    await expect.poll(() => page.getByTestId('done-target-state').textContent()).toContain('Up to date');
    await screenshot(page, 'pair-done', 'light');
    const mirror = join(sshd.home, 'mirror-photos');
    expect(await readFile(join(mirror, 'album', 'one.jpg'), 'utf8')).toBe('a picture');
    expect(existsSync(join(mirror, 'scratch.tmp'))).toBe(false); // excluded from the very first sync
    const profile = JSON.parse(await readFile(pairingFiles(app.session).profile('photos'), 'utf8'));
    expect(profile.syncs[0]).toMatchObject({ source, delete: false, filters: ['- *.tmp'], target: { kind: 'ssh', keyName: 'photos', dir: 'mirror-photos' } });

    await writeFile(join(source, 'album', 'two.jpg'), 'written after pairing');
    await expect.poll(() => readFile(join(mirror, 'album', 'two.jpg'), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('written after pairing');
    await page.getByRole('link', { name: 'Open the dashboard' }).click();
    expect(new URL(page.url()).hash).toBe('#/status');
  });
});
