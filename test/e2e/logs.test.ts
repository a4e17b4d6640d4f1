// The log screen through `tidemark ui` in Chromium against the real core: lines appear as two
// profiles sync, the level and profile filters narrow them (the profile in the address too), a
// search finds words, new lines follow live, and scrolling up stops the follow behind a
// "Jump to latest" button. axe finds nothing serious in light or dark.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UiClient } from '../integration/support/ui-client';
import { e2eSkipReason, screenshot, seriousViolations, startAppSession, type AppSession } from './support/app-session';

interface Line { seq: number; level: string; profile: string | null; text: string }

const skip = e2eSkipReason();
let session: AppSession;
let client: UiClient;
const sources: Record<string, string> = {};

beforeAll(async () => {
  if (skip) return;
  session = await startAppSession();
  client = await UiClient.connect(session.url);
  for (const name of ['alpha', 'beta']) {
    const src = join(session.base, `${name}-src`);
    const dst = join(session.base, `${name}-dst`);
    await mkdir(src);
    await mkdir(dst);
    await writeFile(join(src, 'hello.txt'), name);
    sources[name] = src;
    await client.call('profiles:save', { name, profile: { enabled: true, syncs: [{ source: src, target: { kind: 'local', dir: dst }, delay: 0 }] } });
  }
}, 60_000);
afterAll(async () => {
  client?.close();
  await session?.stop();
});

const logLines = (page: Page) => page.getByRole('region', { name: 'Log lines' }).getByRole('listitem');

async function openLog(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Log' }).click();
  await expect.poll(() => logLines(page).count(), { timeout: 30_000 }).toBeGreaterThan(0);
}

describe.skipIf(skip !== null)(`the log screen in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('shows the lines of both profiles, and filters them by level, profile and search', async () => {
    const page = await session.page({ colorScheme: 'light' });
    await openLog(page);
    await expect.poll(async () => (await page.locator('[role=listitem] .profile').allTextContents()).filter((name) => name === 'alpha' || name === 'beta').length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'logs', 'light');

    // Errors only: the core logs none for two healthy syncs, so the screen says so.
    await page.getByLabel('Level').selectOption('Error');
    await expect.poll(async () => {
      const levels = await page.locator('[role=listitem] .level').allTextContents();
      return levels.every((level) => level === 'Error') && (levels.length > 0 || (await page.getByText('No errors. Good.').isVisible()));
    }, { timeout: 15_000 }).toBe(true);
    await page.getByLabel('Level').selectOption('Normal');
    await expect.poll(() => logLines(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // One profile: only its lines, and the address names it.
    await page.getByLabel('Profile').selectOption('beta');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/logs/beta');
    await expect.poll(async () => {
      const names = await page.locator('[role=listitem] .profile').allTextContents();
      return names.length > 0 && names.every((name) => name === 'beta');
    }, { timeout: 15_000 }).toBe(true);
    await page.getByLabel('Profile').selectOption('');
    await expect.poll(() => new URL(page.url()).hash).toBe('#/logs');

    // A search keeps the lines that contain it.
    const tail = await client.call<Line[]>('logs:tail', { level: 'Normal', profile: 'alpha' });
    const word = /\b([A-Za-z]{5,})\b/.exec(tail.at(-1)!.text)![1]!;
    await page.getByLabel('Search').fill(word);
    await expect.poll(async () => {
      const texts = await logLines(page).allTextContents();
      return texts.length > 0 && texts.every((text) => text.toLowerCase().includes(word.toLowerCase()));
    }, { timeout: 15_000 }).toBe(true);
    await page.getByLabel('Search').fill('no line says this 4711');
    await expect.poll(() => page.getByText(/No line contains/).isVisible()).toBe(true);
  });

  it('follows new lines live, and stops following while scrolled up', async () => {
    // A short window, so that a few dozen lines already scroll.
    const page = await session.page({ colorScheme: 'dark', viewport: { width: 1100, height: 480 } });
    await openLog(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'logs', 'dark');
    await page.getByLabel('Level').selectOption('Debug');
    await expect.poll(() => logLines(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // A change in a source: the core logs its sync, and the line shows without a reload.
    const before = (await client.call<Line[]>('logs:tail', { lines: 1 })).at(-1)?.seq ?? 0;
    for (let index = 0; index < 40; index += 1) await writeFile(join(sources.alpha!, `fresh-${index}.txt`), String(index));
    let newest: Line | undefined;
    await expect.poll(async () => {
      newest = (await client.call<Line[]>('logs:tail', { lines: 1, profile: 'alpha' })).at(-1);
      return (newest?.seq ?? 0) > before;
    }, { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await logLines(page).allTextContents()).some((text) => text.includes(newest!.text.slice(0, 60))), { timeout: 15_000 }).toBe(true);

    // Scrolled up, the list stays put and offers the latest instead.
    const region = page.getByRole('region', { name: 'Log lines' });
    await expect.poll(() => region.evaluate((element) => `${element.scrollHeight > element.clientHeight} (${element.scrollHeight} px of lines in ${element.clientHeight})`), { timeout: 30_000 }).toMatch(/^true/);
    await region.evaluate((element) => { element.scrollTop = 0; });
    const jump = page.getByRole('button', { name: /^Jump to latest/ });
    await expect.poll(() => jump.isVisible()).toBe(true);
    await writeFile(join(sources.alpha!, 'later.txt'), 'later');
    await expect.poll(() => jump.textContent(), { timeout: 30_000 }).toMatch(/new line/);
    expect(await region.evaluate((element) => element.scrollTop)).toBe(0);
    await jump.click();
    await expect.poll(() => region.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 4)).toBe(true);
    await expect.poll(() => jump.isVisible()).toBe(false);
  });
});
