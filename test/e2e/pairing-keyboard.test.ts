// The pairing wizard with the keyboard alone (only page.keyboard: Tab, Enter, Space, Escape and
// typing), from the screens' links to the last step, in the dark scheme: each step's heading
// takes the focus, Enter submits a step, Escape goes back with what was typed kept. axe on the
// steps whose dark screenshots README.md shows.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot, useAppSession } from './support/app-session';
import { atStep } from './support/pair-steps';

const app = useAppSession({ sshd: true, keyring: true });
const skip = app.skip;

describe.skipIf(skip !== null)(`pairing a server with the keyboard alone${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('pairs with the keyboard alone, from step 1 to the end (dark)', async () => {
    const sshd = app.session.sshd!;
    const source = join(app.session.base, 'notes');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'todo.txt'), 'pair by keyboard');
    const page = await app.session.page({ colorScheme: 'dark' });
    const keys = page.keyboard;
    const tab = async (times = 1) => {
      for (let i = 0; i < times; i++) await keys.press('Tab');
    };
    // The header has no controls: Tab reaches the screens' links, Status first.
    await expect.poll(() => page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Pair a server' }).count(), { timeout: 15_000 }).toBe(1);
    await tab(2);
    await keys.press('Enter');

    await atStep(page, 1, 'The server');
    await screenshot(page, 'pair-server', 'dark');
    await tab();
    await keys.type(sshd.user);
    await tab();
    await keys.type('127.0.0.1');
    await tab();
    await keys.type(String(sshd.port));
    await tab();
    await keys.type('notes');
    await keys.press('Enter');

    await atStep(page, 2, 'Check the host key');
    await screenshot(page, 'pair-hostkey', 'dark');
    // Escape goes back with what was typed kept; Enter goes on to the same key again.
    await keys.press('Escape');
    await atStep(page, 1, 'The server', false);
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('notes');
    await tab(4);
    await keys.press('Enter');
    await atStep(page, 2, 'Check the host key', false);
    await tab();
    await keys.press('Space');
    await tab(2); // Back, then Confirm
    await keys.press('Enter');

    await atStep(page, 3, 'One-time password');
    await screenshot(page, 'pair-password', 'dark');
    await tab();
    await keys.type(sshd.password);
    await keys.press('Enter');

    await atStep(page, 4, 'Install and verify the key', false);
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    await tab(2); // Back, then Continue
    await keys.press('Enter');

    await atStep(page, 5, 'Folders', false);
    await tab();
    await keys.type(source);
    await tab(2); // Browse…, then the directory on the server
    await keys.type('mirror-notes');
    await keys.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'The target directory, checked' }).count(), { timeout: 30_000 }).toBe(1);
    await keys.press('Enter');

    await atStep(page, 6, 'Options');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'entries are mirrored' }).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'pair-options', 'dark');
    await tab();
    await keys.press('Enter'); // in the delay field: submits the step

    await atStep(page, 7, 'Save and check', false);
    await expect.poll(() => page.getByRole('button', { name: 'Save and start' }).isEnabled()).toBe(true);
    await tab(2); // Back, then Save and start
    await keys.press('Enter');
    await expect.poll(() => page.getByTestId('save-target-state').textContent(), { timeout: 60_000 }).toContain('Up to date');
    await tab();
    await keys.press('Enter');

    await atStep(page, 8, 'Done');
    await expect.poll(() => page.getByTestId('done-target-state').textContent()).toContain('Up to date');
    await screenshot(page, 'pair-done', 'dark');
    expect(await readFile(join(sshd.home, 'mirror-notes', 'todo.txt'), 'utf8')).toBe('pair by keyboard');
  });
});
