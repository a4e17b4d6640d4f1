// The decisions screen through `tidemark ui` in Chromium against the real core: a startup check
// decided entry by entry (pull one, trash one, delete the rest with the typed confirmation), a
// tripped mass-delete breaker undone by a pull, and a halted source root resumed. (A report of 100,000 entries is in
// safety-scale.test.ts, so that each file stays within its time budget.)
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, seriousViolations, useAppSession } from './support/app-session';

interface Status { id: string; state: { kind: string }; holding: string | null }

const app = useAppSession();
const skip = app.skip;

/** Makes a source and a target directory for a profile, each with the files named (path → text). */
async function dirs(name: string, source: Record<string, string>, target: Record<string, string>): Promise<{ src: string; dst: string }> {
  const src = join(app.session.base, `${name}-src`);
  const dst = join(app.session.base, `${name}-dst`);
  for (const [root, files] of [[src, source], [dst, target]] as const) {
    await mkdir(root, { recursive: true });
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), text);
    }
  }
  return { src, dst };
}

async function startProfile(name: string, src: string, dst: string, extra: Record<string, unknown> = {}): Promise<void> {
  await app.client.call('profiles:save', { name, profile: { enabled: true, syncs: [{ source: src, target: { kind: 'local', dir: dst }, delay: 1, ...extra }] } });
}

async function status(id: string): Promise<Status | undefined> {
  return (await app.client.call<Status[]>('status:targets')).find((target) => target.id === id);
}

async function openTarget(page: Page, id: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /^Decisions/ }).click();
  await page.getByRole('link', { name: new RegExp(id.replace(/[^\w]/g, '.')) }).or(page.locator(`a[href="#/safety/${encodeURIComponent(id)}"]`)).first().click();
  await expect.poll(() => page.getByRole('treegrid').count(), { timeout: 30_000 }).toBe(1);
}

async function decideInDialog(page: Page, confirm: RegExp, typed?: string): Promise<string> {
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.isVisible()).toBe(true);
  const summary = (await dialog.locator('#decision-summary').textContent()) ?? '';
  if (typed !== undefined) {
    expect(await dialog.getByRole('button', { name: confirm }).isDisabled()).toBe(true);
    await dialog.getByLabel(/to confirm/).fill(typed);
  }
  await dialog.getByRole('button', { name: confirm }).click();
  return summary;
}

describe.skipIf(skip !== null)(`the decisions screen in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('decides a startup report entry by entry: pull one back, trash one, keep one, delete the rest typed; the target goes idle; release the kept one', async () => {
    const { src, dst } = await dirs('start', { 'kept.txt': 'source' }, { 'alpha.txt': 'only on the target', 'beta.txt': 'to the trash', 'gamma.txt': 'kept', 'old/one.txt': '1', 'old/two.txt': '22' });
    await startProfile('start', src, dst);
    await expect.poll(async () => (await status('start:1'))?.state.kind, { timeout: 30_000 }).toBe('awaiting-decision');

    const dark = await app.session.page({ colorScheme: 'dark' });
    await openTarget(dark, 'start:1');
    expect(await seriousViolations(dark)).toEqual([]);
    await screenshot(dark, 'safety-startup', 'dark');

    const page = await app.session.page({ colorScheme: 'light' });
    await openTarget(page, 'start:1');
    await expect.poll(() => page.getByText('Files only on the target').isVisible()).toBe(true);
    expect(await page.getByRole('row', { name: /old\// }).count()).toBeGreaterThan(0); // the group row
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'safety-startup', 'light');

    // Select alpha.txt by clicking its row, then pull the selection back.
    await page.getByRole('row', { name: /alpha\.txt/ }).click();
    await expect.poll(() => page.getByRole('row', { name: /alpha\.txt/ }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('button', { name: /^Pull back 1 selected/ }).click();
    const pullSummary = await decideInDialog(page, /^Confirm: pull back/);
    expect(pullSummary).toBe(`Pull 1 file (18 B) back into ${src}; nothing is deleted.`);
    await expect.poll(() => existsSync(join(src, 'alpha.txt')), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 }).toContain(`Pulled back into ${src}: 1 file (18 B).`);
    await expect.poll(() => page.getByRole('row', { name: /alpha\.txt/ }).count(), { timeout: 30_000 }).toBe(0);

    // Trash beta.txt with its row's own button.
    await page.getByRole('button', { name: 'Trash beta.txt' }).click();
    expect(await decideInDialog(page, /^Confirm: trash/)).toContain('into .tidemark-trash/');
    await expect.poll(async () => {
      const trash = join(dst, '.tidemark-trash');
      if (!existsSync(trash)) return false;
      for (const stamp of await readdir(trash)) if (existsSync(join(trash, stamp, 'beta.txt'))) return true;
      return false;
    }, { timeout: 30_000 }).toBe(true);
    expect(existsSync(join(dst, 'beta.txt'))).toBe(false);
    await expect.poll(() => page.getByRole('row', { name: /beta\.txt/ }).count(), { timeout: 30_000 }).toBe(0);

    // Keep gamma.txt: it leaves the report for the list of kept entries.
    await page.getByRole('button', { name: 'Keep gamma.txt' }).click();
    expect(await decideInDialog(page, /^Confirm: keep/)).toMatch(/^Keep 1 file \(4 B\) on .*until you release them/);
    await expect.poll(() => page.getByRole('button', { name: 'Release gamma.txt' }).isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByRole('row', { name: /gamma\.txt/ }).count()).toBe(0);

    // Delete the rest: the dialog waits for the typed word.
    await page.getByRole('button', { name: /^Delete all \d+/ }).click();
    expect(await decideInDialog(page, /^Delete for good/, 'delete')).toMatch(/^Delete .* from .* for good\. This cannot be undone\.$/);
    await expect.poll(async () => (await status('start:1'))?.state.kind, { timeout: 30_000 }).toBe('idle');
    expect(existsSync(join(dst, 'old/one.txt'))).toBe(false);
    expect(existsSync(join(dst, 'alpha.txt'))).toBe(true); // pulled back, so now mirrored
    expect(existsSync(join(dst, 'gamma.txt'))).toBe(true); // kept: never deleted

    // The kept entry is still listed once the target is idle, and Release lets it sync again
    // (so the check asks about it again: it is only on the target).
    await expect.poll(() => page.getByRole('treegrid').count(), { timeout: 30_000 }).toBe(0);
    await page.getByRole('button', { name: 'Release gamma.txt' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 30_000 }).toContain('Released 1 kept entry');
    await expect.poll(async () => (await status('start:1'))?.state.kind, { timeout: 30_000 }).toBe('awaiting-decision');
    await expect.poll(() => page.getByRole('row', { name: /gamma\.txt/ }).count(), { timeout: 30_000 }).toBe(1);
    await app.client.call('profiles:set-enabled', { name: 'start', enabled: false });
  });

  it('shows a tripped mass-delete breaker, and a pull restores every deleted file in the source and on the target', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`tree/f${String(index).padStart(2, '0')}.txt`, `file ${index}`]));
    const { src, dst } = await dirs('burst', files, {});
    await startProfile('burst', src, dst, { maxDeletes: 10 });
    const count = async (root: string) => (existsSync(join(root, 'tree')) ? (await readdir(join(root, 'tree'))).length : 0);
    await expect.poll(async () => ((await status('burst:1'))?.state.kind === 'idle' ? count(dst) : -1), { timeout: 30_000 }).toBe(60);

    for (let index = 0; index < 50; index += 1) await rm(join(src, `tree/f${String(index).padStart(2, '0')}.txt`));
    await expect.poll(async () => (await status('burst:1'))?.holding ?? null, { timeout: 30_000 }).not.toBeNull();

    const dark = await app.session.page({ colorScheme: 'dark' });
    await openTarget(dark, 'burst:1');
    await expect.poll(() => dark.getByRole('heading', { name: 'Mass delete held back' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await seriousViolations(dark)).toEqual([]);
    await screenshot(dark, 'safety-breaker', 'dark');

    const page = await app.session.page({ colorScheme: 'light' });
    await openTarget(page, 'burst:1');
    await expect.poll(() => page.getByText(/50 entries were deleted in .* within the breaker's window/).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'safety-breaker', 'light');

    await page.getByRole('button', { name: /^Pull back all 50/ }).click();
    expect(await decideInDialog(page, /^Confirm: pull back/)).toMatch(new RegExp(`^Restore 50 files \\(\\d+ B\\) into ${src.replace(/[/.-]/g, '\\$&')} .*nothing is deleted\\.$`));
    await expect.poll(() => count(src), { timeout: 30_000 }).toBe(60);
    await expect.poll(async () => ((await status('burst:1'))?.holding === null ? count(dst) : -1), { timeout: 30_000 }).toBe(60);
    await app.client.call('profiles:set-enabled', { name: 'burst', enabled: false });
  });

  it('explains a halted source root and resumes it', async () => {
    const { src, dst } = await dirs('gone', { 'a.txt': 'a' }, {});
    await startProfile('gone', src, dst);
    await expect.poll(async () => ((await status('gone:1'))?.state.kind === 'idle' ? existsSync(join(dst, 'a.txt')) : false), { timeout: 30_000 }).toBe(true);
    // The source root is deleted and a new directory takes its place: the target halts and
    // waits for a resume (the same directory coming back would resume by itself).
    await rm(src, { recursive: true });
    await expect.poll(async () => (await status('gone:1'))?.state.kind, { timeout: 30_000 }).toBe('halted');
    await mkdir(src);
    await writeFile(join(src, 'b.txt'), 'b');

    const page = await app.session.page({ colorScheme: 'light' });
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: /^Decisions/ }).click();
    await page.locator('a[href="#/safety/gone%3A1"]').click();
    await expect.poll(() => page.getByRole('heading', { name: 'The source is halted' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 15_000 }).toContain('Resumed gone:1');
    await expect.poll(async () => (await status('gone:1'))?.state.kind, { timeout: 30_000 }).not.toBe('halted');
    await expect.poll(() => page.getByRole('heading', { name: 'The source is halted' }).count(), { timeout: 30_000 }).toBe(0);
    await app.client.call('profiles:set-enabled', { name: 'gone', enabled: false });
  });
});
