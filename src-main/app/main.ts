// Composition root of the Electron face. Only wiring lives here (desktop-app.ts): the sync core
// and every service stay Electron-free so that they run headless and under plain Node tests.
import { app } from 'electron';
import { fileURLToPath } from 'node:url';
import { createAppServices } from '../services/create-app-services';
import { desktopLaunchCommand, runDesktopApp } from './desktop-app';

// out/main/main.js: the app's root (build/, package.json) is two levels up, in the asar too.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

runDesktopApp({
  appRoot: here('../../'),
  preload: here('../preload/index.cjs'),
  indexHtml: here('../renderer/index.html'),
  argv: process.argv,
  createServices: () => createAppServices({ face: 'electron', launchCommand: desktopLaunchCommand(app.isPackaged, process) }),
}).catch((error: unknown) => {
  console.error(`Tidemark could not start: ${(error as Error).stack ?? String(error)}`);
  app.exit(1);
});
