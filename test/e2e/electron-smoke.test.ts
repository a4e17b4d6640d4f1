import { describe, expect, it } from 'vitest';
import { _electron } from 'playwright-core';
import { findElectronBinary } from './electron-availability';
import pkg from '../../package.json' with { type: 'json' };

const electron = findElectronBinary();
const display = process.env.DISPLAY;
const skipReason = 'missing' in electron
  ? `Electron smoke test skipped: ${electron.missing}. It runs wherever a binary exists (set ELECTRON_OVERRIDE_DIST_PATH).`
  : display ? null : 'Electron smoke test skipped: no DISPLAY (run the suite under xvfb-run -a).';
if (skipReason) console.warn(skipReason);

describe('Electron shell', () => {
  it.skipIf(skipReason !== null)('starts, opens the window and answers app:info over real IPC', async () => {
    if (!('path' in electron)) throw new Error('unreachable: guarded by skipIf');
    const app = await _electron.launch({ executablePath: electron.path, args: ['out/main/main.js', '--no-sandbox'] });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByTestId('version').textContent()).toBe(`Version ${pkg.version} (electron)`);
      const bridgeKeys = await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort());
      expect(bridgeKeys).toEqual(['invoke', 'on']);
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
