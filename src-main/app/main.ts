// Composition root of the Electron face. Only wiring lives here: the sync core and every
// service stay Electron-free so that they run headless and under plain Node tests.
import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { registerInvokeHandlers } from './ipc-router';
import { appInfo } from '../services/app-info';
import { isOwnRendererUrl } from './window-policy';

const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const indexHtml = fileURLToPath(new URL('../renderer/index.html', import.meta.url));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 960,
    height: 680,
    webPreferences: { preload, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnRendererUrl(url)) event.preventDefault();
  });
  void win.loadFile(indexHtml);
  return win;
}

void app.whenReady().then(() => {
  registerInvokeHandlers(ipcMain, { 'app:info': () => appInfo('electron') }, isOwnRendererUrl);
  createWindow();
});

// Syncing goes on in the background; the app quits only when asked (tray, a later issue).
app.on('window-all-closed', () => {
  if (process.platform !== 'linux') app.quit();
});
