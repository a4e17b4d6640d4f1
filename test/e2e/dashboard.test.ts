// The status dashboard in Chromium through the real `tidemark ui` and core: local profiles set
// up through the contract, then everything the screen is for done through the page. (1) A card
// reaches "Up to date", lists a file created then modified, pauses and resumes through its own
// button, and syncs all through the summary; axe is clean in light and dark. (2) Twenty targets
// under a writer for ~15 s: the events per minute the core sends, the page's frame times while
// it renders them, and every card right at the end.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TargetStatus } from '../../src-shared/model/status';
import type { UiClient } from '../integration/support/ui-client';
import { frameStats, installLoadProbe, knownTargets, receivedSoFar, startLoad, stopLoad } from './support/dashboard-load';
import { e2eSkipReason, ROOT, screenshot, seriousViolations, useAppSession } from './support/app-session';

const skip = e2eSkipReason();

/**
 * A local profile NAME syncing base/NAME-src to base/NAME-dst at once (delay 0); returns both
 * dirs. `eager` adds maxDelays 1: every change fires its batch, no settle window (lsyncd's knob).
 */
async function localProfile(client: UiClient, base: string, name: string, eager = false): Promise<{ source: string; target: string }> {
  const source = join(base, `${name}-src`);
  const target = join(base, `${name}-dst`);
  await Promise.all([mkdir(source, { recursive: true }), mkdir(target, { recursive: true })]);
  await client.call('profiles:save', { name, profile: { enabled: true, syncs: [{ source, target: { kind: 'local', dir: target }, delay: 0, ...(eager ? { maxDelays: 1 } : {}) }] } });
  return { source, target };
}

/** The card of a target, by its heading (the target id). */
const card = (page: Page, id: string): Locator => page.getByRole('article', { name: id, exact: true });
/** The state badge's words in a card. */
const stateOf = async (target: Locator): Promise<string> => (await target.locator('[data-severity]').first().textContent() ?? '').trim();
/** The recent-changes rows of a card that name `path`. */
const changeRows = (target: Locator, path: string): Locator => target.getByRole('region', { name: /^Recent changes of / }).getByRole('listitem').filter({ hasText: path });

describe.skipIf(skip !== null)(`the status dashboard${skip ? ` (skipped: ${skip})` : ''}`, () => {
  describe('a few local targets', () => {
    const app = useAppSession();
    let alpha: { source: string; target: string };

    it('shows nothing running with the way to start a target', async () => {
      const page = await app.session.page();
      await expect.poll(() => page.getByRole('heading', { name: 'No target is running' }).count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByRole('link', { name: 'Pair a server' }).last().getAttribute('href')).toBe('#/pair');
      expect(await page.getByRole('main').getByRole('link', { name: 'Profiles' }).getAttribute('href')).toBe('#/profiles');
      expect(await seriousViolations(page)).toEqual([]);
      await page.context().close();
    });

    it('a card reaches Up to date, lists a file created then modified, pauses and resumes by its button, and syncs all', async () => {
      alpha = await localProfile(app.client, app.session.base, 'alpha');
      const witness = await localProfile(app.client, app.session.base, 'witness');
      const page = await app.session.page();
      const alphaCard = card(page, 'alpha:1');
      await expect.poll(() => stateOf(alphaCard), { timeout: 30_000 }).toBe('Up to date');
      await expect.poll(() => stateOf(card(page, 'witness:1')), { timeout: 30_000 }).toBe('Up to date');

      await writeFile(join(alpha.source, 'hello.txt'), 'hello');
      // created (and modified too, when a busy machine splits the write into two batches)
      await expect.poll(() => changeRows(alphaCard, 'hello.txt').last().textContent(), { timeout: 20_000 }).toMatch(/^created\s*hello\.txt/);
      await writeFile(join(alpha.source, 'hello.txt'), 'hello, world, a longer text');
      await expect.poll(() => changeRows(alphaCard, 'hello.txt').first().textContent(), { timeout: 20_000 }).toMatch(/^modified\s*hello\.txt/);
      expect(await changeRows(alphaCard, 'hello.txt').count()).toBeGreaterThanOrEqual(2); // modified, then created below it

      // The filters narrow the list: by kind, then by text.
      await alphaCard.getByLabel('Kind of change for alpha:1').selectOption('created');
      expect(await alphaCard.getByRole('region', { name: 'Recent changes of alpha:1' }).getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^created\s*hello\.txt/)]);
      await alphaCard.getByLabel('Kind of change for alpha:1').selectOption('all');
      await alphaCard.getByLabel('Filter recent changes of alpha:1 by path').fill('no-such-file');
      await expect.poll(() => alphaCard.getByText('No recent change matches these filters.').count()).toBe(1);
      await alphaCard.getByLabel('Filter recent changes of alpha:1 by path').fill('');

      // Pause through the card: the state says so, and a new file does not go through while a
      // file written after it in the running witness target does.
      await alphaCard.getByRole('button', { name: 'Pause alpha:1' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Paused alpha:1.');
      await expect.poll(() => stateOf(alphaCard), { timeout: 15_000 }).toBe('Paused');
      expect(await alphaCard.getByRole('button', { name: 'Pause alpha:1' }).count()).toBe(0);
      await writeFile(join(alpha.source, 'while-paused.txt'), 'held');
      await writeFile(join(witness.source, 'witness.txt'), 'sent');
      await expect.poll(() => changeRows(card(page, 'witness:1'), 'witness.txt').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1); // created, and modified too when the write lands in a second batch
      expect(existsSync(join(witness.target, 'witness.txt'))).toBe(true);
      expect(existsSync(join(alpha.target, 'while-paused.txt'))).toBe(false);
      expect(await changeRows(alphaCard, 'while-paused.txt').count()).toBe(0);

      // Resume (the button changed its name): the file goes through.
      await alphaCard.getByRole('button', { name: 'Resume alpha:1' }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Resumed alpha:1.');
      await expect.poll(() => existsSync(join(alpha.target, 'while-paused.txt')), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => stateOf(alphaCard), { timeout: 20_000 }).toBe('Up to date');

      // Sync now for all, from the summary.
      await page.getByRole('button', { name: 'Sync now', exact: true }).click();
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Sync started for all 2 targets.');
      await page.context().close();
    });

    it('with three targets and their changes, axe finds nothing serious in light and dark (screenshots)', async () => {
      const beta = await localProfile(app.client, app.session.base, 'beta');
      const gamma = await localProfile(app.client, app.session.base, 'gamma');
      await app.client.call('profiles:set-enabled', { name: 'witness', enabled: false });
      await mkdir(join(beta.source, 'docs'));
      for (const [index, name] of ['docs/readme.md', 'docs/guide.md', 'notes.txt', 'draft.txt'].entries()) await writeFile(join(beta.source, name), `text ${index}`);
      await writeFile(join(gamma.source, 'photo-001.jpg'), Buffer.alloc(200_000, 1));
      await writeFile(join(gamma.source, 'photo-002.jpg'), Buffer.alloc(300_000, 2));
      const page = await app.session.page();
      await expect.poll(() => changeRows(card(page, 'beta:1'), 'draft.txt').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      await rename(join(beta.source, 'draft.txt'), join(beta.source, 'final.txt'));
      await expect.poll(() => changeRows(card(page, 'beta:1'), 'final.txt').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await rm(join(gamma.source, 'photo-001.jpg'));
      await expect.poll(() => changeRows(card(page, 'gamma:1'), 'photo-001.jpg').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
      for (const id of ['alpha:1', 'beta:1', 'gamma:1']) await expect.poll(() => stateOf(card(page, id)), { timeout: 20_000 }).toBe('Up to date');
      await expect.poll(() => card(page, 'witness:1').count()).toBe(0); // disabled: its card went away
      expect(await page.getByRole('region', { name: 'Summary' }).getByRole('listitem').first().textContent()).toBe('3 targets');

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'dashboard', 'light');
      const dark = await app.session.page({ colorScheme: 'dark' });
      for (const id of ['alpha:1', 'beta:1', 'gamma:1']) await expect.poll(() => stateOf(card(dark, id)), { timeout: 20_000 }).toBe('Up to date');
      expect(await seriousViolations(dark)).toEqual([]);
      await screenshot(dark, 'dashboard', 'dark');
    });
  });


  describe('twenty busy targets', () => {
    const TARGETS = 20;
    const WRITE_MS = 8_000; // long enough for a steady rate; each second costs the whole suite
    const EVENTS_PER_MINUTE_GOAL = 10_000;
    /** The derived snapshots fed on top of the core's (see support/dashboard-load.ts): 12,000 a minute. */
    const FEED_PER_SECOND = 200;
    const app = useAppSession();

    it('renders over 10,000 status events a minute, measures its frames, and every card is right at the end', async () => {
      const names = Array.from({ length: TARGETS }, (_, index) => `busy${String(index).padStart(2, '0')}`);
      const dirs = await Promise.all(names.map((name) => localProfile(app.client, app.session.base, name, true)));
      const page = await app.session.page({ viewport: { width: 1280, height: 1000 } });
      await installLoadProbe(page);
      await page.reload();
      const summary = page.getByRole('region', { name: 'Summary' });
      await expect.poll(() => summary.getByText(`${TARGETS} up to date`).count(), { timeout: 60_000 }).toBe(1);

      // A writer creates a file in every source each round and rewrites the one before.
      let writing = true;
      let rounds = 0;
      const writer = (async () => {
        while (writing) {
          await Promise.all(dirs.map(({ source }, index) => Promise.all([
            writeFile(join(source, `file-${rounds}.txt`), `round ${rounds} of ${names[index]}`),
            rounds > 0 ? writeFile(join(source, `file-${rounds - 1}.txt`), `round ${rounds} rewrote this (${'x'.repeat(rounds % 50)})`) : null,
          ])));
          rounds += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      // The feed derives from each target's real snapshot: wait until the page has one of each.
      await expect.poll(() => knownTargets(page), { timeout: 30_000 }).toBe(TARGETS);

      const coreBefore = app.client.events.filter((event) => event.event === 'status:target').length;
      const pageBefore = await receivedSoFar(page);
      const started = Date.now();
      await startLoad(page, FEED_PER_SECOND);
      await new Promise((resolve) => setTimeout(resolve, WRITE_MS)); // the measuring window, not a wait for a result
      const load = await stopLoad(page);
      const elapsedMs = Date.now() - started;
      writing = false;
      await writer;

      const perMinute = (count: number): number => Math.round((count / elapsedMs) * 60_000);
      const coreEvents = app.client.events.filter((event) => event.event === 'status:target').length - coreBefore;
      const pageEvents = load.received - pageBefore;
      const result = {
        targets: TARGETS,
        seconds: Math.round(elapsedMs / 100) / 10,
        writerRounds: rounds,
        coreEvents,
        coreEventsPerMinute: perMinute(coreEvents),
        fedEvents: load.injected,
        pageEvents,
        pageEventsPerMinute: perMinute(pageEvents),
        frames: load.frames.length,
        frameMs: frameStats(load.frames),
      };
      await mkdir(join(ROOT, 'test-results'), { recursive: true });
      await writeFile(join(ROOT, 'test-results/dashboard-frames.json'), `${JSON.stringify(result, null, 2)}\n`);
      console.log(`dashboard under load: ${JSON.stringify(result)}`);

      expect(coreEvents).toBeGreaterThan(0);
      expect(result.pageEventsPerMinute).toBeGreaterThanOrEqual(EVENTS_PER_MINUTE_GOAL);
      // A frame every ~16 ms when idle; under this load the page must still paint regularly.
      expect(load.frames.length).toBeGreaterThan(WRITE_MS / 1000);

      // The core has the last word: a sync of every target sends real snapshots over the fed ones.
      await app.client.call('control:sync-now', {});
      await expect.poll(() => summary.getByText(`${TARGETS} up to date`).count(), { timeout: 60_000 }).toBe(1);
      expect(await page.getByRole('list', { name: 'Targets' }).getByRole('article').count()).toBe(TARGETS);
      const statuses = await app.client.call<TargetStatus[]>('status:targets');
      expect(statuses).toHaveLength(TARGETS);
      for (const status of statuses) {
        const target = card(page, status.id);
        expect(status.pending).toBe(0);
        expect(existsSync(join(dirs[names.indexOf(status.profile)]!.target, `file-${rounds - 1}.txt`))).toBe(true);
        await expect.poll(() => stateOf(target)).toBe('Up to date');
        await expect.poll(() => target.getByRole('definition').nth(1).textContent()).toBe('0 changes');
        const newest = status.recent[0]!;
        await expect.poll(() => changeRows(target, newest.path).count()).toBeGreaterThan(0);
        expect(await changeRows(target, 'load/').count()).toBe(0);
      }
    }, 150_000);
  });
});
