import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, resetElectronFake, session } from './electron-fake';

vi.mock('electron', async () => (await import('./electron-fake')).electronModule);

const { CONTENT_SECURITY_POLICY, createMainWindow, hardenSession, showWindow } = await import('../../../src-main/app/window');

const own = 'file:///opt/tidemark/resources/app.asar/out/renderer/index.html';

function open(show = true): FakeBrowserWindow {
  createMainWindow({ preload: '/app/out/preload/index.cjs', indexHtml: '/app/out/renderer/index.html', show });
  const win = FakeBrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window was created');
  return win;
}

/** Emits a webContents event the way Electron does and says whether the shell prevented it. */
function prevented(win: FakeBrowserWindow, event: string, url: string): boolean {
  let stopped = false;
  win.webContents.emit(event, { preventDefault: () => (stopped = true) }, url);
  return stopped;
}

beforeEach(() => resetElectronFake());

describe('main window', () => {
  it('is sandboxed and isolated, with the preload and no Node', () => {
    const win = open();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(win.loaded).toBe('/app/out/renderer/index.html');
  });

  it('denies every new window', () => {
    const win = open();
    expect(win.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(win.webContents.openHandler?.({ url: own })).toEqual({ action: 'deny' });
  });

  const navigations: { description: string; url: string; denied: boolean }[] = [
    { description: 'a web page', url: 'https://evil.example/', denied: true },
    { description: 'another local file', url: 'file:///etc/passwd', denied: true },
    { description: 'a javascript: url', url: 'javascript:alert(1)', denied: true },
    { description: 'the app’s own page', url: own, denied: false },
  ];
  for (const testCase of navigations) {
    it(`${testCase.denied ? 'denies' : 'allows'} navigating to ${testCase.description}`, () => {
      expect(prevented(open(), 'will-navigate', testCase.url)).toBe(testCase.denied);
    });
  }

  it('denies redirects and webviews', () => {
    const win = open();
    expect(prevented(win, 'will-redirect', own)).toBe(true);
    expect(prevented(win, 'will-attach-webview', own)).toBe(true);
  });

  it('shows once painted, or stays hidden when started into the tray', () => {
    const shown = open(true);
    const hidden = open(false);
    shown.emit('ready-to-show');
    hidden.emit('ready-to-show');
    expect(shown.visible).toBe(true);
    expect(hidden.visible).toBe(false);
  });

  it('showWindow restores, shows and focuses', () => {
    const win = open(false);
    win.minimized = true;
    showWindow(win as never);
    expect({ minimized: win.minimized, visible: win.visible, focused: win.focused }).toEqual({ minimized: false, visible: true, focused: 1 });
  });
});

describe('session hardening', () => {
  it('adds the CSP to every response, keeping the other headers', () => {
    hardenSession(session.defaultSession as never);
    let headers: Record<string, string[]> = {};
    session.defaultSession.headersHook?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('denies every permission request', () => {
    hardenSession(session.defaultSession as never);
    const answers: boolean[] = [];
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read']) session.defaultSession.permissionHook?.({}, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false]);
  });
});
