// The real built renderer through the UI host in Chromium: its scripts and styles load under the
// host's CSP (no inline styles or scripts allowed), resolveApi falls back to the WebSocket, and
// the page shows what app:info answers. Runs once `npm run build` has made out/renderer
// (or with TIDEMARK_TEST_RENDERER_DIR pointing at another build of src-renderer).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEvents } from '../../src-main/services/app-events';
import { appInfo } from '../../src-main/services/app-info';
import { startUiHost, type UiHost } from '../../src-main/services/ui-host/ui-host';
import { launchBrowser, type BrowserFixture } from '../fixtures/browser';

const rendererDir = process.env.TIDEMARK_TEST_RENDERER_DIR ?? join(import.meta.dirname, '../../out/renderer');
const built = existsSync(join(rendererDir, 'index.html'));

describe.skipIf(!built)('the built renderer through the UI host', () => {
  let host: UiHost;
  let browser: BrowserFixture;
  beforeAll(async () => {
    host = await startUiHost({ handlers: { 'app:info': () => appInfo('browser') }, events: new AppEvents(), staticDir: rendererDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('shows the version app:info answers, with no request refused and no CSP violation', async () => {
    const page = await browser.browser.newPage();
    const problems: string[] = [];
    page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && problems.push(`${response.status()} ${response.url()}`));
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('404') && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(host.url);
    await expect.poll(() => page.textContent('[data-testid="version"]')).toMatch(/Version .* \(browser\)/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
