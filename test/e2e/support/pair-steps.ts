// Shared by the pairing e2e files: the places pairing writes to, and an accessibility check that
// names the step it failed on.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
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
