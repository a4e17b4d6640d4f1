// Shared by the pairing e2e files: the places pairing writes to, and an accessibility check that
// names the step it failed on.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { SshdFixture } from '../../fixtures/sshd';
import { seriousViolations, type AppSession } from './app-session';

/** The app's known_hosts and a profile's file in the session's config directory. */
export function pairingFiles(session: AppSession) {
  return {
    knownHosts: join(session.config, 'tidemark', 'known_hosts'),
    profile: (name: string) => join(session.config, 'tidemark', 'profiles', `${name}.json`),
  };
}

/** Waits for step N's heading to hold the focus (each step moves it there), then checks axe. */
export async function atStep(page: Page, step: number, title: string, axe = true): Promise<void> {
  const heading = page.getByRole('heading', { name: `Step ${step} of 8: ${title}` });
  await expect.poll(() => heading.evaluate((element) => element === document.activeElement), { timeout: 30_000 }).toBe(true);
  if (axe) expect(await seriousViolations(page), `axe on step ${step}`).toEqual([]);
}

/** Opens the wizard and submits step 1 for the sshd fixture's account, as profile `name`. */
export async function connectTo(page: Page, sshd: SshdFixture, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Pair a server' }).click();
  await atStep(page, 1, 'The server', false);
  await page.getByLabel('User').fill(sshd.user);
  await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(sshd.port));
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** Step 2: confirms the host key shown, and waits for step 3. */
export async function confirmHostKey(page: Page): Promise<void> {
  await page.getByLabel('I compared it').check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await atStep(page, 3, 'One-time password', false);
}
