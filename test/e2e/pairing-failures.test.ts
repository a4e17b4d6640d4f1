// The pairing wizard when it goes wrong, through `tidemark ui` in Chromium against the sshd
// fixture: a wrong password says what to do and leaves nothing (no pin, no profile, no key on
// the server), and "Start again" comes back to the password with the rest kept; a server whose
// host key changed since it was paired shows the pinned key and the new one side by side, and
// confirming it re-pairs the existing profile; a target directory that holds what the source
// does not waits for a decision, and the save step lists it and leads to the decisions screen.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seriousViolations, useAppSession } from './support/app-session';
import { atStep, confirmHostKey, connectTo, pairingFiles } from './support/pair-steps';

const app = useAppSession({ sshd: true, keyring: true });
const skip = app.skip;

const authorizedKeys = () => readFile(join(app.session.sshd!.home, '.ssh', 'authorized_keys'), 'utf8').catch(() => '');

describe.skipIf(skip !== null)(`the pairing wizard when it fails${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('a wrong password says what to do and leaves nothing; Start again returns to the password with the rest kept', async () => {
    const sshd = app.session.sshd!;
    const files = pairingFiles(app.session);
    const page = await app.session.page({ colorScheme: 'light' });
    await connectTo(page, sshd, 'wrong');
    await atStep(page, 2, 'Check the host key', false);
    await confirmHostKey(page);
    await page.getByLabel(/^Password for/).fill('not-the-password-at-all');
    await page.getByRole('button', { name: 'Install the key' }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'What to do' });
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/That did not work:.*password.*What to do:/s);
    expect(await alert.textContent()).not.toContain('not-the-password-at-all');
    expect(await page.getByText('Install the key with the password: failed').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing left: no pin, no profile, no key line on the server.
    expect(existsSync(files.knownHosts)).toBe(false);
    expect(existsSync(files.profile('wrong'))).toBe(false);
    expect(await authorizedKeys()).toBe('');

    await page.getByRole('button', { name: 'Start again' }).click();
    await atStep(page, 3, 'One-time password', false);
    expect(await page.getByLabel(/^Password for/).inputValue()).toBe(''); // never kept
    expect(await page.getByLabel('Key name').inputValue()).toBe('wrong');
    await page.getByLabel(/^Password for/).fill('still-not-the-password');
    await page.getByRole('button', { name: 'Install the key' }).click();
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
    expect(existsSync(files.knownHosts)).toBe(false);
    expect(existsSync(files.profile('wrong'))).toBe(false);
  });

  it('a re-pair whose host key changed shows the pinned key and the new one side by side; confirming it updates the profile, which syncs again', async () => {
    const sshd = app.session.sshd!;
    const source = join(app.session.base, 'site');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'index.html'), 'hello');
    // The first pairing, set up through the contract: it pins the key the server has now.
    const { client } = app;
    const { pairing } = await client.call<{ pairing: string }>('pairing:begin', {});
    const steps: [string, Record<string, unknown>][] = [
      ['pairing:connect', { host: '127.0.0.1', user: sshd.user, port: sshd.port }],
      ['pairing:confirm-host-key', { fingerprint: sshd.hostKeyFingerprint }],
      ['pairing:install-key', { keyName: 'site', password: sshd.password }],
      ['pairing:verify', {}],
      ['pairing:preflight', { targetDir: 'mirror-site' }],
      ['pairing:save', { name: 'site', source, targetDir: 'mirror-site' }],
    ];
    for (const [channel, input] of steps) expect(await client.call<{ kind: string }>(channel, { pairing, ...input }), channel).toMatchObject({ kind: 'ok' });
    const pinned = sshd.hostKeyFingerprint;
    await sshd.restartWithNewHostKey();
    const offered = sshd.hostKeyFingerprint;
    expect(offered).not.toBe(pinned);
    const knownHostsBefore = await readFile(pairingFiles(app.session).knownHosts, 'utf8');

    const page = await app.session.page({ colorScheme: 'dark' });
    await connectTo(page, sshd, 'site');
    await atStep(page, 2, 'Check the host key');
    const warning = page.getByRole('alert').filter({ hasText: 'not the one pinned' });
    expect(await warning.count()).toBe(1);
    expect(await page.getByTestId('pinned-fingerprint').textContent()).toBe(pinned);
    expect(await page.getByTestId('offered-fingerprint').textContent()).toBe(offered);
    expect(await page.getByTestId('host-key-description').textContent()).toBe(`ED25519 key fingerprint is ${offered}.`);
    // Nothing is trusted until it is confirmed.
    expect(await readFile(pairingFiles(app.session).knownHosts, 'utf8')).toBe(knownHostsBefore);

    // Confirming the new key re-pairs: the existing profile is updated (asked first) and runs again.
    await confirmHostKey(page);
    await page.getByLabel(/^Password for/).fill(sshd.password);
    await page.getByRole('button', { name: 'Install the key' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 5, 'Folders', false);
    await page.getByLabel('Source folder on this computer').fill(source);
    await page.getByLabel('Directory on the server').fill('mirror-site');
    await page.getByRole('button', { name: 'Check the target' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 6, 'Options', false);
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 7, 'Save and check', false);
    const save = page.getByRole('button', { name: 'Save and start' });
    await expect.poll(() => page.getByText('A profile named site exists already.').count()).toBe(1);
    expect(await save.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: /Update it/ }).check();
    await save.click();
    await expect.poll(() => page.getByTestId('save-target-state').textContent(), { timeout: 60_000 }).toContain('Up to date');
    expect(await seriousViolations(page)).toEqual([]);
    const known = await readFile(pairingFiles(app.session).knownHosts, 'utf8');
    expect(known).not.toBe(knownHostsBefore);
    await writeFile(join(source, 'after.html'), 'after the re-pair');
    await expect.poll(() => readFile(join(sshd.home, 'mirror-site', 'after.html'), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe('after the re-pair');
  });

  it('a target that holds files the source lacks waits for a decision: the save step lists them and opens the decisions screen', async () => {
    const sshd = app.session.sshd!;
    const source = join(app.session.base, 'shared');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'ours.txt'), 'from here');
    const target = join(sshd.home, 'mirror-shared');
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'only-there.txt'), 'written on the server');
    execFileSync('chown', ['-R', `${sshd.user}:`, target]);

    const page = await app.session.page({ colorScheme: 'light' });
    await connectTo(page, sshd, 'shared');
    await atStep(page, 2, 'Check the host key', false);
    await confirmHostKey(page);
    await page.getByLabel(/^Password for/).fill(sshd.password);
    await page.getByRole('button', { name: 'Install the key' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 5, 'Folders', false);
    await page.getByLabel('Source folder on this computer').fill(source);
    await page.getByLabel('Directory on the server').fill('mirror-shared');
    await page.getByRole('button', { name: 'Check the target' }).click();
    const checked = page.getByRole('region', { name: 'The target directory, checked' });
    await expect.poll(() => checked.textContent(), { timeout: 30_000 }).toContain('(exists, writable)');
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 6, 'Options', false);
    await page.getByRole('button', { name: 'Continue' }).click();
    await atStep(page, 7, 'Save and check', false);
    await page.getByRole('button', { name: 'Save and start' }).click();

    await expect.poll(() => page.getByTestId('save-target-state').textContent(), { timeout: 60_000 }).toContain('Waiting for your decision');
    await expect.poll(() => page.getByRole('list', { name: 'Only on the server' }).textContent(), { timeout: 15_000 }).toContain('only-there.txt');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await readFile(join(target, 'only-there.txt'), 'utf8')).toBe('written on the server'); // nothing deleted
    await page.getByRole('button', { name: 'Decide what happens to them' }).click();
    expect(new URL(page.url()).hash).toBe('#/safety/shared%3A1');
  });
});
