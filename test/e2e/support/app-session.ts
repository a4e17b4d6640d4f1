// The e2e suite's world: the built `tidemark ui` (bin/tidemark.js, so `npm run build` first) in
// a temporary HOME with its own config and state, optionally the sshd fixture (with its password
// account) and a real gnome-keyring, and Debian's Chromium driving the real renderer through the
// printed URL. Helpers for axe-core checks and the screenshots README.md shows.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll } from 'vitest';
import { UiClient } from '../../integration/support/ui-client';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, type BrowserFixture } from '../../fixtures/browser';
import { startKeyringSession, type KeyringSession } from '../../fixtures/keyring';
import { startSshd, type SshdFixture } from '../../fixtures/sshd';

export const ROOT = join(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'docs/screenshots');

export interface AppSessionOptions {
  /** Start the sshd fixture (with a password account for pairing). */
  readonly sshd?: boolean;
  /** Start a gnome-keyring for the app's keys (else keys go to 0600 files: TIDEMARK_KEY_STORE=file). */
  readonly keyring?: boolean;
}

export interface AppSession {
  readonly base: string;
  readonly home: string;
  readonly config: string;
  readonly state: string;
  readonly env: Record<string, string>;
  readonly url: string;
  readonly sshd: SshdFixture | null;
  readonly browser: BrowserFixture;
  /** A page on the app, in the given colour scheme, with the token already spent on the cookie. */
  page(options?: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } }): Promise<Page>;
  /** Ends `tidemark ui` (TERM, then KILL) and starts it again on the same state: a restart of the app. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether this machine can run the suite: the build, Chromium, and root for the sshd fixture. */
export function e2eSkipReason(options: AppSessionOptions = {}): string | null {
  if (!existsSync(join(ROOT, 'out/cli/tidemark.js')) || !existsSync(join(ROOT, 'out/renderer/index.html'))) return 'the app is not built: run `npm run build` (npm run test:e2e does)';
  if (!existsSync('/usr/bin/chromium')) return 'Debian\'s chromium is not installed (apt install chromium)';
  if (options.sshd && process.getuid?.() !== 0) return 'the sshd fixture needs root (it creates a password account)';
  return null;
}

function startUi(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/tidemark.js'), 'ui', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (out += text));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tidemark ui printed no URL in 30 s: ${out}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tidemark ui exited ${code}: ${out}`));
    });
    child.stdout!.on('data', () => {
      const url = /URL: (\S+)/.exec(out)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ child, url, output: () => out });
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startAppSession(options: AppSessionOptions = {}): Promise<AppSession> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-e2e-'));
  const home = join(base, 'home');
  const config = join(base, 'config');
  const state = join(base, 'state');
  const runtime = join(base, 'run');
  await Promise.all([mkdir(home), mkdir(config), mkdir(state), mkdir(runtime, { mode: 0o700 })]);
  const [sshd, keyring]: [SshdFixture | null, KeyringSession | null] = await Promise.all([
    options.sshd ? startSshd({ createUser: true }) : null,
    options.keyring ? startKeyringSession() : null,
  ]);
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...(keyring?.env ?? {}),
    HOME: home,
    XDG_CONFIG_HOME: config,
    XDG_STATE_HOME: state,
    XDG_RUNTIME_DIR: runtime,
    TIDEMARK_KEY_STORE: keyring ? 'keychain' : 'file',
  };
  delete env.TIDEMARK_STATE_DIR;
  let ui = await startUi(env);
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    base,
    home,
    config,
    state,
    env,
    get url() {
      return ui.url;
    },
    sshd,
    browser,
    async page(pageOptions = {}) {
      const context = await browser.browser.newContext({ colorScheme: pageOptions.colorScheme ?? 'light', viewport: pageOptions.viewport ?? { width: 1280, height: 860 } });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(ui.url);
      return page;
    },
    async restart() {
      await stopChild(ui.child);
      ui = await startUi(env);
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await stopChild(ui.child);
      await Promise.all([sshd?.dispose(), keyring?.stop()]);
      await rm(base, { recursive: true, force: true });
    },
  };
}

/** axe-core's serious and critical violations on the page as it is now, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join('; ')})`);
}

/** Saves docs/screenshots/NAME-SCHEME.png (README.md shows them). */
export async function screenshot(page: Page, name: string, scheme: 'light' | 'dark'): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${scheme}.png`), fullPage: true, animations: 'disabled' });
}

/**
 * One app session and one contract client for a whole test file (registered as beforeAll and
 * afterAll): the setup the screens' e2e files share. Read `session` and `client` inside tests.
 */
export function useAppSession(options: AppSessionOptions = {}): { readonly skip: string | null; readonly session: AppSession; readonly client: UiClient } {
  const skip = e2eSkipReason(options);
  let session: AppSession | undefined;
  let client: UiClient | undefined;
  beforeAll(async () => {
    if (skip) return;
    session = await startAppSession(options);
    client = await UiClient.connect(session.url);
  }, 90_000);
  afterAll(async () => {
    client?.close();
    await session?.stop();
  });
  return {
    skip,
    get session() {
      if (!session) throw new Error('the app session is not started (skipped, or read outside a test)');
      return session;
    },
    get client() {
      if (!client) throw new Error('the app session is not started (skipped, or read outside a test)');
      return client;
    },
  };
}
