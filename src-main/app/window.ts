// The one window: sandboxed, isolated, with no way to navigate away, open another window or ask
// for a permission. The renderer is untrusted (it shows file names from remote hosts), so the
// shell gives it nothing it does not need.
import { BrowserWindow, session, type Session } from 'electron';
import { isOwnRendererUrl } from './window-policy';

/**
 * The policy sent with every response the session loads over http(s). The renderer itself loads
 * from file://, which has no headers: there the meta tag in src-renderer/index.html rules.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface MainWindowOptions {
  readonly preload: string;
  readonly indexHtml: string;
  /** Whether to show the window once painted (false when started at login, into the tray). */
  readonly show: boolean;
  readonly icon?: string;
}

/** Locks the session down: a CSP header on every response, every permission request denied. */
export function hardenSession(target: Session = session.defaultSession): void {
  target.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  target.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1040,
    height: 720,
    minWidth: 640,
    minHeight: 480,
    title: 'Tidemark',
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Even the app's own page is not reloaded by navigation: the renderer routes in memory.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnRendererUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  if (options.show) win.once('ready-to-show', () => win.show());
  void win.loadFile(options.indexHtml);
  return win;
}

/** Brings the window to the front, restoring it from the taskbar or the tray. */
export function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
