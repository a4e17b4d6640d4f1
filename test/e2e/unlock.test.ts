// A profile whose key has a passphrase, on the Profiles screen after a restart of the app: it
// shows "Locked" with a field for the passphrase; a wrong one is refused with what to do and
// kept nowhere; the right one starts the profile, which then mirrors what waited. The pairing
// itself goes through the contract (the wizard's own e2e files drive its screens).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, useAppSession } from './support/app-session';

// The shared client speaks to the first `tidemark ui`; after the restart the page takes over.
const app = useAppSession({ sshd: true, keyring: true });
const skip = app.skip;

const PASSPHRASE = 'correct horse battery';

describe.skipIf(skip !== null)(`unlocking a profile's key on the Profiles screen${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('after a restart the profile is locked; a wrong passphrase is refused, the right one starts it', { timeout: 120_000 }, async () => {
    const { session, client } = app;
    const sshd = session.sshd!;
    const source = join(session.base, 'vault-src');
    const mirror = join(sshd.home, 'vault-e2e');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'first.txt'), 'before the restart');
    await client.call('keys:generate', { name: 'locked', passphrase: PASSPHRASE });
    const { pairing } = await client.call<{ pairing: string }>('pairing:begin');
    const connected = await client.call<{ fingerprint: string }>('pairing:connect', { pairing, host: '127.0.0.1', port: sshd.port, user: sshd.user });
    await client.call('pairing:confirm-host-key', { pairing, fingerprint: connected.fingerprint });
    await client.call('pairing:install-key', { pairing, keyName: 'locked', password: sshd.password });
    expect(await client.call('pairing:verify', { pairing, passphrase: PASSPHRASE })).toEqual({ kind: 'ok' });
    await client.call('pairing:preflight', { pairing, targetDir: 'vault-e2e' });
    expect(await client.call('pairing:save', { pairing, name: 'vault', source, targetDir: 'vault-e2e' })).toEqual({ kind: 'ok', profile: 'vault' });
    await expect.poll(() => existsSync(join(mirror, 'first.txt')), { timeout: 60_000 }).toBe(true);

    await session.restart();
    await writeFile(join(source, 'while-locked.txt'), 'waited for the passphrase');
    const page = await session.page();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Profiles' }).click();
    const card = page.getByRole('article', { name: 'vault' });
    await expect.poll(() => card.getByText('Locked: needs a passphrase').count(), { timeout: 30_000 }).toBe(1);
    const field = card.getByLabel('Passphrase of key locked');
    const unlock = card.getByRole('button', { name: 'Unlock and start vault' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'profiles-locked', 'light');

    await field.fill('wrong horse');
    await unlock.click();
    await expect.poll(() => card.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/wrong passphrase for key locked: nothing was kept; type it again/);
    expect(await field.inputValue()).toBe('');

    await field.fill(PASSPHRASE);
    await unlock.press('Enter');
    await expect.poll(() => card.getByText('Running', { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => existsSync(join(mirror, 'while-locked.txt')), { timeout: 60_000 }).toBe(true);
    expect(await card.getByLabel('Passphrase of key locked').count()).toBe(0);
    // The passphrase is nowhere on disk: not in the profile, the key's record, the log or the state.
    for (const dir of [session.config, session.state]) {
      for (const entry of await readdir(dir, { recursive: true })) {
        const text = await readFile(join(dir, entry)).catch(() => Buffer.alloc(0));
        expect(text.toString('utf8'), entry).not.toContain(PASSPHRASE);
      }
    }
  });
});
