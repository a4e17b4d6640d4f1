// The renderer through `tidemark ui` in Debian's Chromium: it connects over the WebSocket with
// the token's cookie, shows the version the core reports and the screens' navigation, and axe
// finds no serious violation in light or dark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eSkipReason, seriousViolations, startAppSession, type AppSession } from './support/app-session';

const skip = e2eSkipReason();
let session: AppSession;
beforeAll(async () => {
  if (!skip) session = await startAppSession();
}, 60_000);
afterAll(async () => session?.stop());

describe.skipIf(skip !== null)(`the app shell in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`connects, shows the version and every screen's link (${colorScheme}); axe finds nothing serious`, async () => {
      const page = await session.page({ colorScheme });
      await expect.poll(() => page.getByTestId('version').textContent(), { timeout: 15_000 }).toMatch(/^Version \d+\.\d+\.\d+ \(browser\)$/);
      const links = await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents();
      expect(links).toEqual(['Status', 'Pair a server', 'Decisions', 'Profiles', 'Log', 'Settings']);
      expect(new URL(page.url()).search).toBe(''); // the token left the address bar for a cookie
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
